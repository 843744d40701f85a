// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: virtio-net driven by a
 * guest through virtio-mmio (mmio_driver.h), with 1 to 3 queue pairs (more
 * than one brings the control queue). Each pair's tap is a datagram
 * socket pair: the device reads and writes frames on one end, and the
 * backend records put frames of any length on the other. Checksum and
 * queue-steering ioctls fail on a socket, as they may on a real tap.
 * Nothing may crash or touch memory outside guest RAM; the driver's
 * choice of active pairs always stays within what the device offers.
 *
 * With the first byte's top bit set the device is in mode=user instead:
 * one pair whose "passt" is a stream socket pair, on which the backend
 * records put well-formed frames or raw bytes (lengths of any size, frames
 * cut anywhere), as a broken passt could. The link may go down; nothing
 * else may happen.
 *
 * Input: one byte choosing the number of pairs (or mode=user), then the
 * records.
 */
#include <sys/socket.h>

#include "mmio_driver.h"
#include "virtio/net.h"
#include "virtio/passt.h"

static struct virtio_net net;
static int tap_end[NET_MAX_PAIRS], far_end[NET_MAX_PAIRS];
static struct passt fake_passt;
static int passt_end, passt_far_end;

static void open_fake_taps(void)
{
	for (unsigned int i = 0; i < NET_MAX_PAIRS; i++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
			abort();
		tap_end[i] = sv[0];
		far_end[i] = sv[1];
	}
}

/* Forget frames from the last input, in both directions. */
static void drain(int fd)
{
	char frame[2048];

	while (recv(fd, frame, sizeof(frame), MSG_DONTWAIT) >= 0)
		;
}

/* Bytes from "passt": a whole frame (rec[1] < 128) or six raw bytes. */
static void stream_arrives(const unsigned char rec[8])
{
	static unsigned char buf[4 + 2000];
	size_t len = (rec[2] | rec[3] << 8) % 2000;
	struct net_pair *p = &net.pairs[0];

	if (rec[1] < 128) {
		u32 be_len = htobe32(len);

		memcpy(buf, &be_len, 4);
		memset(buf + 4, rec[4], len);
		(void)send(passt_far_end, buf, 4 + len, MSG_DONTWAIT);
	} else {
		(void)send(passt_far_end, rec + 2, 6, MSG_DONTWAIT);
	}
	drain(passt_far_end);	/* what the guest sent, read as passt would */
	if (!p->tap.paused)
		p->tap.fn(p->tap.opaque);	/* the I/O loop's turn */
}

/* A frame arrives on a tap, and the I/O loop runs if it is watching. */
static void frame_arrives(const unsigned char rec[8])
{
	static unsigned char frame[1600];
	struct net_pair *p = &net.pairs[rec[1] % net.nr_pairs];
	size_t len = (rec[2] | rec[3] << 8) % sizeof(frame);

	memset(frame, rec[4], len);
	memcpy(frame, rec + 4, MIN(len, 4u));
	(void)send(far_end[p - net.pairs], frame, len, MSG_DONTWAIT);
	if (!p->tap.paused)
		p->tap.fn(p->tap.opaque);	/* the I/O loop's turn */
}

static int fuzz_user_mode(const unsigned char *data, size_t size)
{
	static const u8 mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct mmio_target *m;
	int sv[2];

	if (!passt_end) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
			abort();
		passt_end = sv[0];
		passt_far_end = sv[1];
	}
	drain(passt_end);
	drain(passt_far_end);
	net_setup(&net, 1, mac);
	memset(&fake_passt, 0, sizeof(fake_passt));
	fake_passt.fd = passt_end;
	net.passt = &fake_passt;
	net.ops.features = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS);
	net.pairs[0].tap.fd = passt_end;
	net.pairs[0].tap.paused = true;
	m = mmio_driver_start(&net.vdev);
	mmio_driver_run(m, &net.vdev, data + 1, size - 1, stream_arrives);
	if (fake_passt.rx_start > fake_passt.rx_end || fake_passt.rx_end > sizeof(fake_passt.rx))
		__builtin_trap();
	mmio_driver_stop(&net.vdev);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const u8 mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct mmio_target *m;

	if (!tap_end[0])
		open_fake_taps();
	if (size < 1)
		return 0;
	memset(&net, 0, sizeof(net));
	if (data[0] & 0x80)
		return fuzz_user_mode(data, size);
	net_setup(&net, 1 + data[0] % 3, mac);
	for (unsigned int i = 0; i < net.nr_pairs; i++) {
		drain(tap_end[i]);
		drain(far_end[i]);
		net.pairs[i].tap.fd = tap_end[i];
		net.pairs[i].tap.paused = true;
	}
	m = mmio_driver_start(&net.vdev);
	mmio_driver_run(m, &net.vdev, data + 1, size - 1, frame_arrives);
	if (net.active_pairs < 1 || net.active_pairs > net.nr_pairs)
		__builtin_trap();
	mmio_driver_stop(&net.vdev);
	return 0;
}

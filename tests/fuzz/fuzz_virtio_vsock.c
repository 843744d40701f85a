// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: virtio-vsock driven by a guest through virtio-mmio
 * (mmio_driver.h), started as gicvm starts it (its kicks are ioeventfds),
 * with the kernel's vhost-vsock replaced by tests/fakes/fake_vhost.c. The
 * fake traps on a ring outside guest RAM, a ring started twice or before
 * the memory table, and an interrupt moved for a ring not started. The
 * backend records signal a started ring's call fd, which on virtio-mmio is
 * always gicvm's relay, and the I/O loop takes it.
 *
 * After every record: the receive and transmit queues are with the backend
 * exactly when its rings run, gicvm does not watch their kicks meanwhile,
 * and each runs with the relay as its call fd; the event queue is never
 * handed over.
 *
 * Input: one byte (bit 0: the backend offers SEQPACKET), then records.
 */
#include <linux/virtio_vsock.h>
#include <unistd.h>

#include "fake_vhost.h"
#include "mmio_driver.h"
#include "virtio/vsock.h"

static struct virtio_vsock vsock;

/* The backend signals ring rec[1] % 2, as vhost would after using buffers. */
static void backend_signals(const unsigned char rec[8])
{
	unsigned int q = rec[1] % 2;
	u64 one = 1;

	if (!(vsock.vhost.running & (1U << q)))
		return;
	if (write(fake_vhost.call_fd[q], &one, sizeof(one)) != sizeof(one))
		__builtin_trap();
	fake_ioloop_fire(fake_vhost.call_fd[q]);
}

static void check_contract(void)
{
	const struct virtio_device *vdev = &vsock.vdev;

	if (vdev->handed_over != vsock.vhost.running || (vdev->handed_over & ~3u))
		__builtin_trap();
	for (unsigned int q = VSOCK_RX; q <= VSOCK_EVENT; q++) {
		bool held = vdev->handed_over & (1U << q);

		if (vdev->kick[q] && vdev->kick[q]->entry.paused != held)
			__builtin_trap();
		if (held && fake_vhost.call_fd[q] != vdev->relays[q].entry.fd)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct mmio_target *m;

	if (size < 1)
		return 0;
	memset(&vsock, 0, sizeof(vsock));
	fake_vhost_reset((data[0] & 1) ? 1ULL << VIRTIO_VSOCK_F_SEQPACKET : 0);
	vsock.cid = 3;
	if (vhost_open(&vsock.vhost, "/dev/vhost-vsock"))
		abort();
	vsock_setup(&vsock);
	m = mmio_driver_start(&vsock.vdev);
	if (virtio_backend_init(&vsock.vdev) || m->dev->start(m->dev, &fx.vm))
		abort();
	for (data++, size--; size >= 8; data += 8, size -= 8) {
		mmio_driver_run(m, &vsock.vdev, data, 8, backend_signals);
		check_contract();
	}
	m->dev->reset(m->dev);		/* a reboot gives every ring back */
	if (vsock.vhost.running || vsock.vdev.handed_over)
		__builtin_trap();
	for (unsigned int q = 0; q < vsock.vdev.num_queues; q++)
		close(vsock.vdev.relays[q].entry.fd);
	free(vsock.vdev.relays);
	mmio_driver_stop(&vsock.vdev);
	return 0;
}

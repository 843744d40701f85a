// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the small virtio devices (virtio-console, virtio-rng,
 * the guest command's multiport console, and virtio-balloon, whose page
 * numbers, statistics and reported ranges are the guest's to choose) driven by a guest through virtio-mmio
 * (mmio_driver.h). The console's input is one end of a socket pair: the
 * backend records type up to six bytes on the other end, or close it
 * (end of input); what the guest transmits goes to stdout (/dev/null
 * here). Nothing may crash or touch memory outside guest RAM, and no rng
 * request is filled with more than RNG_MAX_REQUEST bytes however long its
 * chain.
 *
 * Input: one byte choosing the device (modulo 4: console, rng, the
 * command's ports, whose stdin is a socket like the console's, balloon),
 * then the records.
 */
#include <fcntl.h>
#include <linux/virtio_console.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mmio_driver.h"
#include "virtio/balloon.h"
#include "virtio/cmdio.h"
#include "virtio/console.h"
#include "virtio/rng.h"

/*
 * virtio-rng fills no request with more than RNG_MAX_REQUEST bytes: the
 * last used element the device wrote says so. (Only the last: the guest
 * may lay a buffer over the used ring, and a later request's random bytes
 * then overwrite an earlier element; nothing is written after the last.)
 */
static u16 rng_used_seen;

static void rng_check(struct virtio_device *vdev)
{
	const struct virtqueue *vq = &vdev->vqs[0];

	if (vq->ready && vq->used && rng_used_seen != vq->used_idx &&
	    le32toh(vq->used->ring[(u16)(vq->used_idx - 1) % vq->num].len) > RNG_MAX_REQUEST)
		__builtin_trap();
	rng_used_seen = vq->used_idx;
}

static struct virtio_console console;
static struct cmdio ports;
static int keyboard = -1;	/* the far end of the console's (or ports') input */
static int keyboard_fd;		/* the near end: what the loop may watch */

static void key_typed(const unsigned char rec[8])
{
	if (keyboard < 0)
		return;
	if (rec[1] == 0xff) {
		close(keyboard);	/* end of input */
		keyboard = -1;
	} else {
		(void)send(keyboard, rec + 2, rec[1] % 7, MSG_DONTWAIT);
	}
	fake_ioloop_fire(keyboard_fd);	/* if the loop watches it */
}

/* A socket pair: the device reads keyboard_fd, key_typed() writes the other end. */
static void keyboard_open(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	keyboard = sv[1];
	keyboard_fd = sv[0];
}

static void keyboard_close(void)
{
	close(keyboard_fd);
	if (keyboard >= 0)
		close(keyboard);
	keyboard = -1;
}

static void fuzz_console(const unsigned char *data, size_t size)
{
	struct virtio_console_config cfg = { .cols = htole16(80), .rows = htole16(25) };
	struct mmio_target *m;

	keyboard_open();
	memset(&console, 0, sizeof(console));
	console.vdev.ops = &virtio_console_ops;
	console.vdev.priv = &console;
	memcpy(console.vdev.config, &cfg, sizeof(cfg));
	m = mmio_driver_start(&console.vdev);
	virtio_console_start(&console, &fx.vm, keyboard_fd);
	mmio_driver_run(m, &console.vdev, data, size, key_typed);
	mmio_driver_stop(&console.vdev);
	keyboard_close();
}

/* The command's ports: control messages, stdin, and output to /dev/null. */
static void fuzz_ports(const unsigned char *data, size_t size)
{
	struct virtio_console_config cfg = { .max_nr_ports = htole32(NR_PORTS) };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	struct mmio_target *m;

	if (null < 0)
		abort();
	keyboard_open();
	memset(&ports, 0, sizeof(ports));
	ports.vdev.ops = &cmdio_ops;
	ports.vdev.priv = &ports;
	memcpy(ports.vdev.config, &cfg, sizeof(cfg));
	m = mmio_driver_start(&ports.vdev);
	cmdio_start(&ports, &fx.vm, keyboard_fd, null, null);
	mmio_driver_run(m, &ports.vdev, data, size, key_typed);
	mmio_driver_stop(&ports.vdev);
	keyboard_close();
	close(null);
}

/* The balloon: what it discards of guest RAM (the fixture's) stays inside it. */
static struct balloon bal;

static void fuzz_balloon(const unsigned char *data, size_t size)
{
	struct mmio_target *m;

	memset(&bal, 0, sizeof(bal));
	bal.vdev.ops = &virtio_balloon_ops;
	m = mmio_driver_start(&bal.vdev);
	bal.vm = &fx.vm;
	mmio_driver_run(m, &bal.vdev, data, size, NULL);
	mmio_driver_stop(&bal.vdev);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* The console writes to stdout, which libFuzzer may have closed. */
	if (fcntl(STDOUT_FILENO, F_GETFD) < 0 && open("/dev/null", O_WRONLY) != STDOUT_FILENO)
		abort();
	if (size < 1)
		return 0;
	device_check = data[0] % 4 == 1 ? rng_check : NULL;
	rng_used_seen = 0;
	if (data[0] % 4 == 1)
		mmio_driver_fuzz(&virtio_rng_ops, data + 1, size - 1);
	else if (data[0] % 4 == 2)
		fuzz_ports(data + 1, size - 1);
	else if (data[0] % 4 == 3)
		fuzz_balloon(data + 1, size - 1);
	else
		fuzz_console(data + 1, size - 1);
	return 0;
}

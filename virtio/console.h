/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console's state: private to virtio/console.c, shared only with
 * its fuzz target (tests/fuzz), which types on a socket instead of stdin.
 */
#ifndef GICVM_VIRTIO_CONSOLE_H
#define GICVM_VIRTIO_CONSOLE_H

#include "virtio.h"

enum { RX_QUEUE, TX_QUEUE };

/* The most of one transmit request written out (the rest dropped). */
#define CONSOLE_MAX_REQUEST	(64 << 10)

struct virtio_console {
	struct virtio_device vdev;
	struct ioloop_entry input;
	struct vq_req req;
};

extern const struct virtio_ops virtio_console_ops;

/* Take input from @in_fd (gicvm's stdin) once the guest posts buffers. */
int virtio_console_start(struct virtio_console *c, struct vm *vm, int in_fd);

#endif

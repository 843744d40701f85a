/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest command's stdio device (virtio/cmdio.c): private to it, shared
 * only with its fuzz target, which gives it a socket for stdin.
 */
#ifndef GICVM_VIRTIO_CMDIO_H
#define GICVM_VIRTIO_CMDIO_H

#include "virtio.h"

enum { PORT_STDIN, PORT_STDOUT, PORT_STDERR, PORT_STATUS, NR_PORTS };

/*
 * Queues: port 0's receive and transmit, the control pair, then a pair per
 * further port: port P > 0 receives on 2P + 2 and transmits on 2P + 3.
 */
#define CTRL_RX		2	/* device to driver */
#define CTRL_TX		3
#define NR_QUEUES	(2 * (NR_PORTS + 1))
#define MAX_PENDING	(4 * NR_PORTS + 4)
#define CMDIO_MAX_REQUEST	(64 << 10)	/* the most taken from one transmit request */

/* A control message waiting for a buffer on the control receive queue. */
struct ctrl_msg {
	u32 id;
	u16 event, value;
};

struct cmdio {
	struct virtio_device vdev;
	struct ioloop_entry input;	/* gicvm's stdin */
	int out_fd, err_fd;		/* gicvm's stdout and stderr */
	bool input_polled;		/* a file epoll refuses: read when buffers come */
	bool input_ended;
	bool stdin_port_ready;
	bool stdin_opened;		/* the guest opened it: before, it drops data */
	struct ctrl_msg pending[MAX_PENDING];
	unsigned int nr_pending;
	char status[64];		/* the status port's line so far */
	size_t status_len;
	bool status_pending;		/* "exit N" read, not yet taken */
	int status_value;
	bool warned_status;		/* an unknown status line was reported */
	struct vq_req req;
};

extern const struct virtio_ops cmdio_ops;

/* Serve the ports on these fds (stdin is watched once the guest opens it). */
void cmdio_start(struct cmdio *c, struct vm *vm, int in_fd, int out_fd, int err_fd);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's vhost backends (/dev/vhost-net, /dev/vhost-vsock): one
 * device file serves a set of a device's queues straight from guest RAM,
 * kicked by the queues' ioeventfds and signalling their irqfds, so the data
 * path never enters gicvm. A device opens it while the VM is built (so a
 * missing or forbidden backend stops gicvm before the guest runs), starts
 * it when the driver is ready and stops it on reset.
 */
#ifndef GICVM_VHOST_H
#define GICVM_VHOST_H

#include "gicvm/util.h"

struct vm;
struct vq_handoff;

struct vhost {
	int fd;
	const char *path;	/* for messages */
	u64 features;		/* what the kernel's backend offers */
	unsigned int running;	/* rings started, one bit each */
};

/* Open @path and own it (VHOST_SET_OWNER); one clear line and -1 if not. */
int vhost_open(struct vhost *v, const char *path);

/*
 * Give the backend guest RAM and the features the driver negotiated (those
 * the backend knows), then ring @idx of it @h. 0 or -1 (said why).
 */
int vhost_set_memory(struct vhost *v, struct vm *vm, u64 features);
int vhost_start_ring(struct vhost *v, unsigned int idx, const struct vq_handoff *h);
/* Point ring @idx's interrupt at @fd (an irqfd, or gicvm's relay). */
int vhost_set_call(struct vhost *v, unsigned int idx, int fd);
/* Stop ring @idx; *next_avail is where the backend got to. */
int vhost_stop_ring(struct vhost *v, unsigned int idx, u16 *next_avail);

/*
 * vhost-vsock: take the guest's CID (host-wide: EADDRINUSE if another VM
 * holds it), and start or stop the rings. -1 with errno set, silently.
 */
int vhost_vsock_set_cid(struct vhost *v, u64 cid);
int vhost_vsock_set_running(struct vhost *v, bool running);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vhost-user frontend: a backend in another process (virtiofsd) serves a
 * device's queues over a unix socket. gicvm sends it guest RAM (the memfd
 * behind it, which it maps), and per ring the size, the next index, the
 * rings' addresses, the queue's ioeventfd as its kick and an irqfd (or
 * gicvm's relay) as its call, as the vhost-user protocol (QEMU's
 * docs/interop/vhost-user.rst) orders them. Neither kicks, interrupts nor
 * data pass through gicvm after that.
 *
 * Every call but vhost_user_connect() runs with the device's lock held, on
 * the vCPU thread that set DRIVER_OK or on the I/O thread (a reboot): a
 * backend that stops answering must not stall it, so each message waits
 * at most VHOST_USER_TIMEOUT_MS for its reply.
 */
#ifndef GICVM_VHOST_USER_H
#define GICVM_VHOST_USER_H

#include "gicvm/util.h"

struct vm;
struct vq_handoff;

#define VHOST_USER_TIMEOUT_MS	2000

struct vhost_user {
	int fd;			/* the connection; -1 once the backend is gone */
	const char *name;	/* the device, for messages */
	u64 features;		/* what the backend offers */
	u64 protocol;		/* protocol features both sides speak */
	unsigned int running;	/* rings started, one bit each */
};

/*
 * Connect to the backend at @path and take it (features, protocol
 * features, SET_OWNER); one clear line and -1 if not.
 */
int vhost_user_connect(struct vhost_user *u, const char *name, const char *path);

/* As vhost.h: guest RAM and the driver's features, then ring by ring. */
int vhost_user_set_memory(struct vhost_user *u, struct vm *vm, u64 features);
int vhost_user_start_ring(struct vhost_user *u, unsigned int idx, const struct vq_handoff *h);
int vhost_user_set_call(struct vhost_user *u, unsigned int idx, int fd);
int vhost_user_stop_ring(struct vhost_user *u, unsigned int idx, u16 *next_avail);

/* The backend is gone (its socket hung up): forget it, say so once. */
void vhost_user_lost(struct vhost_user *u);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O loop: one epoll set, served by gicvm's main thread while the vCPU
 * threads run. Devices hang their fds here so their work never runs on a
 * vCPU thread. It knows nothing of the VM: the VM owns one (vm->loop) and
 * stops it.
 */
#ifndef GICVM_IOLOOP_H
#define GICVM_IOLOOP_H

#include <stdatomic.h>

#include "gicvm/util.h"

typedef void (*ioloop_fn)(void *opaque);

struct ioloop_entry {
	int fd;
	ioloop_fn fn;
	void *opaque;
	bool paused;		/* kept by ioloop_pause() */
};

struct ioloop {
	int epoll_fd;
	atomic_bool stopping;
	atomic_bool halted;	/* ioloop_halt(): not even the events at hand */
	atomic_ulong wakeups;	/* epoll_wait() returned with work */
};

int ioloop_init(struct ioloop *loop);
/* Call @fn whenever @fd is readable. @entry must outlive the loop. */
int ioloop_add(struct ioloop *loop, struct ioloop_entry *entry);
/*
 * Stop or resume watching @entry (e.g. while a receive buffer is full).
 * Asking for the state it is already in costs nothing. A paused entry is
 * not watched at all, not even for a hang-up.
 */
int ioloop_pause(struct ioloop *loop, struct ioloop_entry *entry, bool paused);
int ioloop_del(struct ioloop *loop, struct ioloop_entry *entry);
/* Serve events until ioloop_stop(); -1 if epoll failed (said why). */
int ioloop_run(struct ioloop *loop);
/*
 * From any thread: ioloop_run() returns once it has served the events at
 * hand. The caller wakes it (writes an fd it watches) if it may be asleep.
 */
void ioloop_stop(struct ioloop *loop);
/*
 * The I/O thread, from a handler: stop, and serve none of the events at
 * hand either (a VM saved by `gicvm snapshot --stop`, whose devices must
 * not move on from what was saved).
 */
void ioloop_halt(struct ioloop *loop);

#endif

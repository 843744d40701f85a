/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The I/O loop: one epoll set, served by gicvm's main thread while the vCPU
 * threads run. Devices hang their fds here so their work never runs on a
 * vCPU thread.
 */
#ifndef GICVM_IOLOOP_H
#define GICVM_IOLOOP_H

#include "gicvm/util.h"

struct vm;

typedef void (*ioloop_fn)(void *opaque);

struct ioloop_entry {
	int fd;
	ioloop_fn fn;
	void *opaque;
	bool paused;		/* kept by ioloop_pause() */
};

int ioloop_init(struct vm *vm);
/* Call @fn whenever @fd is readable. @entry must outlive the loop. */
int ioloop_add(struct vm *vm, struct ioloop_entry *entry);
/*
 * Stop or resume watching @entry (e.g. while a receive buffer is full).
 * Asking for the state it is already in costs nothing.
 */
int ioloop_pause(struct vm *vm, struct ioloop_entry *entry, bool paused);
int ioloop_del(struct vm *vm, struct ioloop_entry *entry);
/* Serve events until vm_request_stop() is called. */
void ioloop_run(struct vm *vm);

#endif

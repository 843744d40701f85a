/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake of the kernel's vhost (virtio/vhost.h), for a fuzz target that
 * links it in place of virtio/vhost.c. It holds a device to the order the
 * kernel wants (memory before rings, no ring started twice) and checks
 * what a backend is handed: rings inside guest RAM, a kick and a call fd.
 * A broken promise is a trap.
 */
#ifndef GICVM_FAKE_VHOST_H
#define GICVM_FAKE_VHOST_H

#include "gicvm/util.h"

#define FAKE_VHOST_RINGS	8

struct fake_vhost {
	u64 features;			/* what vhost_open() says the backend offers */
	bool memory_set;
	bool running;			/* vhost-vsock's SET_RUNNING */
	int call_fd[FAKE_VHOST_RINGS];	/* each started ring's call fd */
	u16 base[FAKE_VHOST_RINGS];	/* ...and where it started */
	unsigned int starts, stops;
};

extern struct fake_vhost fake_vhost;

void fake_vhost_reset(u64 features);

#endif

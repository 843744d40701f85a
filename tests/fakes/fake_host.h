/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one fake of what device code needs from KVM's side of gicvm (the
 * GIC, KVM's ioeventfds, the I/O loop, vm_request_stop()), for the unit
 * tests and the fuzz targets, which link the real device objects against
 * it. It behaves as KVM would where a device could get it wrong (an
 * ioeventfd assigned twice or removed where it is not is a trap, as is a
 * route for a vector nobody made) and records what it was asked, for the
 * tests to check. Every fd it hands out is closed by fake_host_reset().
 */
#ifndef GICVM_FAKE_HOST_H
#define GICVM_FAKE_HOST_H

#include "gicvm/ioloop.h"
#include "gicvm/util.h"

#define FAKE_MAX_FDS		1024
#define FAKE_MAX_ENTRIES	64

struct fake_host {
	/* The GIC */
	unsigned int spis;		/* lines handed out by gic_alloc_spi() */
	unsigned int msi_vectors;	/* vectors handed out by gic_msi_irqfd() */
	unsigned int routes;		/* gic_msi_route() calls */
	u64 last_addr;			/* ...and the last message routed */
	u32 last_data, last_devid;
	unsigned int signals;		/* gic_signal() calls */
	/* KVM's ioeventfds: where each eventfd is assigned (0: nowhere) */
	u64 ioeventfd_at[FAKE_MAX_FDS];
	/* The I/O loop: what it watches */
	struct ioloop_entry *entries[FAKE_MAX_ENTRIES];
	unsigned int nr_entries;
	/* vm_request_stop(): the last reason, -1 for none */
	int stop_reason;
	/* fds the fake made, closed at reset */
	int fds[FAKE_MAX_FDS];
	unsigned int nr_fds;
};

extern struct fake_host fake_host;

/* Forget everything recorded and close every fd the fake made. */
void fake_host_reset(void);

/*
 * The I/O loop's turn for @fd: call the entry watching it, unless it is
 * paused (a paused entry is not read, as in the real loop). Returns whether
 * an entry ran.
 */
bool fake_ioloop_fire(int fd);

/* Every unpaused entry once, in the order they were added. */
void fake_ioloop_fire_all(void);

#endif

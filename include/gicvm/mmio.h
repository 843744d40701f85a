/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO bus: guest physical ranges that trap to gicvm, and their handlers. */
#ifndef GICVM_MMIO_H
#define GICVM_MMIO_H

#include <stdatomic.h>

#include "gicvm/util.h"

/*
 * Called on a vCPU thread for an access of @len (1, 2, 4 or 8) bytes at
 * @offset into the region. On a read the handler fills @data.
 */
typedef void (*mmio_fn)(void *opaque, u64 offset, u8 *data, u32 len, bool is_write);

struct mmio_region {
	u64 base;
	u64 len;
	mmio_fn fn;
	void *opaque;
	const char *name;	/* what traps here, for the exit counts */
	atomic_ulong exits;	/* accesses routed here */
};

#define MMIO_MAX_REGIONS	64

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned int nr;
	atomic_ulong unhandled;		/* accesses that hit no region */
	bool trace;			/* --debug-mmio: one line on stderr per access */
};

/*
 * Register before the vCPUs run; -1 on overlap or a full table. @name (a
 * string that outlives the bus) labels the region's exits in mmio_report().
 */
int mmio_register(struct mmio_bus *bus, const char *name, u64 base, u64 len, mmio_fn fn,
		  void *opaque);

/* Route one access; an access outside every region reads 0, writes are dropped. */
bool mmio_dispatch(struct mmio_bus *bus, u64 addr, u8 *data, u32 len, bool is_write);

/* Userspace MMIO exits so far, per region name (regions of one name summed). */
struct report;
void mmio_report(struct mmio_bus *bus, struct report *r);

#endif

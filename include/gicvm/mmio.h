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
};

#define MMIO_MAX_REGIONS	64

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned int nr;
	atomic_ulong unhandled;		/* accesses that hit no region */
};

/* Register before the vCPUs run; -1 on overlap or a full table. */
int mmio_register(struct mmio_bus *bus, u64 base, u64 len, mmio_fn fn, void *opaque);

/* Route one access; an access outside every region reads 0, writes are dropped. */
bool mmio_dispatch(struct mmio_bus *bus, u64 addr, u8 *data, u32 len, bool is_write);

#endif

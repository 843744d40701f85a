// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "gicvm/mmio.h"

int mmio_register(struct mmio_bus *bus, u64 base, u64 len, mmio_fn fn, void *opaque)
{
	if (!len || base + len < base || bus->nr == MMIO_MAX_REGIONS)
		return -1;
	for (unsigned int i = 0; i < bus->nr; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (base < r->base + r->len && r->base < base + len)
			return -1;
	}
	bus->regions[bus->nr++] = (struct mmio_region){ base, len, fn, opaque };
	return 0;
}

bool mmio_dispatch(struct mmio_bus *bus, u64 addr, u8 *data, u32 len, bool is_write)
{
	for (unsigned int i = 0; i < bus->nr; i++) {
		const struct mmio_region *r = &bus->regions[i];

		/* The whole access must fall inside the region. */
		if (addr >= r->base && addr - r->base < r->len &&
		    len <= r->len - (addr - r->base)) {
			r->fn(r->opaque, addr - r->base, data, len, is_write);
			return true;
		}
	}
	if (!is_write)
		memset(data, 0, len);
	atomic_fetch_add(&bus->unhandled, 1);
	return false;
}

// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "gicvm/mmio.h"
#include "gicvm/report.h"

int mmio_register(struct mmio_bus *bus, const char *name, u64 base, u64 len, mmio_fn fn,
		  void *opaque)
{
	struct mmio_region *new;

	if (!len || base + len < base || bus->nr == MMIO_MAX_REGIONS)
		return -1;
	for (unsigned int i = 0; i < bus->nr; i++) {
		const struct mmio_region *r = &bus->regions[i];

		if (base < r->base + r->len && r->base < base + len)
			return -1;
	}
	new = &bus->regions[bus->nr++];
	new->base = base;
	new->len = len;
	new->fn = fn;
	new->opaque = opaque;
	new->name = name;
	atomic_store(&new->exits, 0);
	return 0;
}

/* --debug-mmio: the access, its value (read's after the device answered) and who took it. */
static void trace(u64 addr, const u8 *data, u32 len, bool is_write, const char *who)
{
	u64 val = get_le(data, MIN(len, 8U));

	fprintf(stderr, "gicvm: mmio: %s %#llx len %u %s %#llx (%s)\n", is_write ? "write" : "read",
		(unsigned long long)addr, len, is_write ? "<-" : "->", (unsigned long long)val, who);
}

bool mmio_dispatch(struct mmio_bus *bus, u64 addr, u8 *data, u32 len, bool is_write)
{
	for (unsigned int i = 0; i < bus->nr; i++) {
		struct mmio_region *r = &bus->regions[i];

		/* The whole access must fall inside the region. */
		if (addr >= r->base && addr - r->base < r->len &&
		    len <= r->len - (addr - r->base)) {
			atomic_fetch_add_explicit(&r->exits, 1, memory_order_relaxed);
			r->fn(r->opaque, addr - r->base, data, len, is_write);
			if (bus->trace)
				trace(addr, data, len, is_write, r->name);
			return true;
		}
	}
	if (!is_write)
		memset(data, 0, len);
	atomic_fetch_add(&bus->unhandled, 1);
	if (bus->trace)
		trace(addr, data, len, is_write, "nothing there");
	return false;
}

void mmio_report(struct mmio_bus *bus, struct report *r)
{
	for (unsigned int i = 0; i < bus->nr; i++) {
		const char *name = bus->regions[i].name;
		u64 sum = 0;
		bool seen = false;

		for (unsigned int j = 0; j < bus->nr; j++) {
			if (strcmp(bus->regions[j].name, name))
				continue;
			if (j < i)
				seen = true;	/* reported with the first of its name */
			sum += atomic_load(&bus->regions[j].exits);
		}
		if (!seen)
			report_u64(r, name, sum);
	}
}

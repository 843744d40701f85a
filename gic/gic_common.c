// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parts of the GIC that need no KVM: its place in the memory map, SPI
 * allocation and its device-tree node. Unit-tested natively.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>

#include "gic_internal.h"
#include "gicvm/memmap.h"

static const struct {
	const char *name;
	enum gic_type type;
} gic_names[] = {
	{ "v3", GIC_V3 },
	{ "gicv3", GIC_V3 },
};

int gic_parse_type(const char *name, enum gic_type *type)
{
	for (size_t i = 0; i < ARRAY_SIZE(gic_names); i++) {
		if (!strcmp(name, gic_names[i].name)) {
			*type = gic_names[i].type;
			return 0;
		}
	}
	return -1;
}

const char *gic_type_name(enum gic_type type)
{
	switch (type) {
	case GIC_V3:
		return "v3";
	}
	return "?";
}

void gic_layout_init(struct gic_layout *l, enum gic_type type, unsigned int nr_cpus)
{
	memset(l, 0, sizeof(*l));
	l->type = type;
	l->dist_base = MMAP_GIC_DIST_BASE;
	l->dist_size = MMAP_GIC_DIST_SIZE;
	l->redist_size = (u64)nr_cpus * MMAP_GIC_REDIST_SIZE;
	l->redist_base = mmap_gic_redist_base(nr_cpus);
}

int gic_layout_alloc_spi(struct gic_layout *l, enum irq_trigger trigger)
{
	if (l->nr_spis >= GIC_MAX_SPIS)
		return -1;
	l->trigger[l->nr_spis] = trigger;
	return GIC_SPI_BASE + l->nr_spis++;
}

unsigned int gic_layout_nr_irqs(const struct gic_layout *l)
{
	unsigned int n = ALIGN_UP(GIC_SPI_BASE + l->nr_spis, 32U);

	/* KVM wants at least one block of SPIs next to the private interrupts. */
	return n < 64 ? 64 : n;
}

void gic_fdt_irq_cells(unsigned int intid, enum irq_trigger trigger, u32 cells[3])
{
	/* DT binding: <type number flags>, type 0 = SPI, 1 = PPI. */
	bool spi = intid >= GIC_SPI_BASE;

	cells[0] = cpu_to_fdt32(spi ? 0 : 1);
	cells[1] = cpu_to_fdt32(spi ? intid - GIC_SPI_BASE : intid - GIC_PPI_BASE);
	cells[2] = cpu_to_fdt32(trigger == IRQ_LEVEL ? 4 : 1);
}

#define GIC_PHANDLE	1

u32 gic_layout_fdt_node(const struct gic_layout *l, void *fdt)
{
	char name[64];
	u64 reg[] = {
		cpu_to_fdt64(l->dist_base), cpu_to_fdt64(l->dist_size),
		cpu_to_fdt64(l->redist_base), cpu_to_fdt64(l->redist_size),
	};

	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)l->dist_base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "arm,gic-v3");
	fdt_property_cell(fdt, "#interrupt-cells", 3);
	fdt_property(fdt, "interrupt-controller", NULL, 0);
	fdt_property_cell(fdt, "#address-cells", 2);
	fdt_property_cell(fdt, "#size-cells", 2);
	fdt_property(fdt, "ranges", NULL, 0);
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property_cell(fdt, "#redistributor-regions", 1);
	fdt_property_cell(fdt, "phandle", GIC_PHANDLE);
	fdt_end_node(fdt);
	return GIC_PHANDLE;
}

u32 gic_fdt_node(const struct gic *gic, void *fdt)
{
	return gic_layout_fdt_node(&gic->layout, fdt);
}

u32 gic_fdt_phandle(const struct gic *gic)
{
	(void)gic;
	return GIC_PHANDLE;
}

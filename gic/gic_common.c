// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parts of the GIC that need no KVM: its place in the memory map, SPI
 * allocation, MSI routing entries and its device-tree node. Unit-tested
 * natively.
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
	{ "auto", GIC_AUTO },
	{ "v2", GIC_V2 },
	{ "v2m", GIC_V2M },
	{ "v3", GIC_V3 },
	{ "v3-its", GIC_V3_ITS },
	/* lkvm's --irqchip spellings */
	{ "gicv2", GIC_V2 },
	{ "gicv2m", GIC_V2M },
	{ "gicv3", GIC_V3 },
	{ "gicv3-its", GIC_V3_ITS },
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
	for (size_t i = 0; i < ARRAY_SIZE(gic_names); i++)
		if (gic_names[i].type == type)
			return gic_names[i].name;
	return "?";
}

bool gic_type_has_msi(enum gic_type type)
{
	return type == GIC_V3_ITS || type == GIC_V2M;
}

bool gic_type_is_v3(enum gic_type type)
{
	return type == GIC_V3 || type == GIC_V3_ITS;
}

/*
 * Region 0 ends at the distributor; the ITS sits directly below it; the
 * other regions follow further down, each directly below the previous.
 */
static void place_v3(struct gic_layout *l, unsigned int nr_cpus)
{
	u64 top = l->dist_base;

	for (unsigned int left = nr_cpus; left; l->nr_redist++) {
		struct gic_redist_region *r = &l->redist[l->nr_redist];

		r->count = left < MMAP_GIC_REDIST_REGION_CPUS ? left : MMAP_GIC_REDIST_REGION_CPUS;
		r->base = top - (u64)r->count * MMAP_GIC_REDIST_SIZE;
		top = r->base;
		left -= r->count;
		if (l->nr_redist == 0 && l->type == GIC_V3_ITS) {
			l->its_base = top - MMAP_GIC_ITS_SIZE;
			top = l->its_base;
		}
	}
}

int gic_layout_init(struct gic_layout *l, enum gic_type type, unsigned int nr_cpus)
{
	memset(l, 0, sizeof(*l));
	l->type = type;
	l->dist_base = MMAP_GIC_DIST_BASE;
	if (gic_type_is_v3(type)) {
		if (nr_cpus > GIC_MAX_REDIST_REGIONS * MMAP_GIC_REDIST_REGION_CPUS)
			return -1;
		l->dist_size = MMAP_GIC_DIST_SIZE;
		place_v3(l, nr_cpus);
		return 0;
	}
	if (nr_cpus > GICV2_MAX_CPUS)
		return -1;
	l->dist_size = MMAP_GICV2_DIST_SIZE;
	l->cpu_base = MMAP_GICV2_CPU_BASE;
	l->cpu_size = MMAP_GICV2_CPU_SIZE;
	if (type == GIC_V2M)
		l->v2m_base = MMAP_GICV2M_BASE;
	return 0;
}

int gic_layout_alloc_spi(struct gic_layout *l, enum irq_trigger trigger)
{
	if (l->nr_spis >= GIC_MAX_SPIS)
		return -1;
	l->trigger[l->nr_spis] = trigger;
	return GIC_SPI_BASE + l->nr_spis++;
}

int gic_layout_reserve_v2m(struct gic_layout *l)
{
	if (l->nr_spis + GICV2M_NR_SPIS > GIC_MAX_SPIS)
		return -1;
	l->v2m_spi_base = GIC_SPI_BASE + l->nr_spis;
	for (unsigned int i = 0; i < GICV2M_NR_SPIS; i++)
		gic_layout_alloc_spi(l, IRQ_EDGE);
	return 0;
}

unsigned int gic_layout_nr_irqs(const struct gic_layout *l)
{
	unsigned int n = ALIGN_UP(GIC_SPI_BASE + l->nr_spis, 32U);

	/* KVM wants at least one block of SPIs next to the private interrupts. */
	return n < 64 ? 64 : n;
}

bool gic_layout_msi_entry(const struct gic_layout *l, u32 gsi, u64 addr, u32 data,
			  u32 devid, struct kvm_irq_routing_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	if (l->type == GIC_V3_ITS) {
		/* The ITS checks the doorbell and the event itself: pass it on. */
		e->type = KVM_IRQ_ROUTING_MSI;
		e->flags = KVM_MSI_VALID_DEVID;
		e->u.msi.address_lo = (u32)addr;
		e->u.msi.address_hi = addr >> 32;
		e->u.msi.data = data;
		e->u.msi.devid = devid;
		return true;
	}
	if (l->type != GIC_V2M || addr != l->v2m_base + GICV2M_MSI_SETSPI_NS ||
	    data < l->v2m_spi_base || data >= l->v2m_spi_base + GICV2M_NR_SPIS)
		return false;
	/* A v2m doorbell write of an SPI number is that SPI, raised. */
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = 0;
	e->u.irqchip.pin = data - GIC_SPI_BASE;
	return true;
}

void gic_fdt_irq_cells(unsigned int intid, enum irq_trigger trigger, u32 cells[3])
{
	/* DT binding: <type number flags>, type 0 = SPI, 1 = PPI. */
	bool spi = intid >= GIC_SPI_BASE;

	cells[0] = cpu_to_fdt32(spi ? 0 : 1);
	cells[1] = cpu_to_fdt32(spi ? intid - GIC_SPI_BASE : intid - GIC_PPI_BASE);
	cells[2] = cpu_to_fdt32(trigger == IRQ_LEVEL ? 4 : 1);
}

static void its_node(const struct gic_layout *l, void *fdt)
{
	u64 reg[] = { cpu_to_fdt64(l->its_base), cpu_to_fdt64(MMAP_GIC_ITS_SIZE) };
	char name[48];

	snprintf(name, sizeof(name), "msi-controller@%llx", (unsigned long long)l->its_base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "arm,gic-v3-its");
	fdt_property(fdt, "msi-controller", NULL, 0);
	fdt_property_cell(fdt, "#msi-cells", 1);
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property_cell(fdt, "phandle", GIC_MSI_PHANDLE);
	fdt_end_node(fdt);
}

static void v2m_node(const struct gic_layout *l, void *fdt)
{
	u64 reg[] = { cpu_to_fdt64(l->v2m_base), cpu_to_fdt64(MMAP_GICV2M_SIZE) };
	char name[48];

	snprintf(name, sizeof(name), "v2m@%llx", (unsigned long long)l->v2m_base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "arm,gic-v2m-frame");
	fdt_property(fdt, "msi-controller", NULL, 0);
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property_cell(fdt, "arm,msi-base-spi", l->v2m_spi_base);
	fdt_property_cell(fdt, "arm,msi-num-spis", GICV2M_NR_SPIS);
	fdt_property_cell(fdt, "phandle", GIC_MSI_PHANDLE);
	fdt_end_node(fdt);
}

/* The sequential-write API cannot append, so build "reg" from one array. */
static void gic_reg(const struct gic_layout *l, void *fdt)
{
	u64 reg[2 * (2 + GIC_MAX_REDIST_REGIONS)];
	unsigned int n = 0;

	reg[n++] = cpu_to_fdt64(l->dist_base);
	reg[n++] = cpu_to_fdt64(l->dist_size);
	if (gic_type_is_v3(l->type)) {
		for (unsigned int i = 0; i < l->nr_redist; i++) {
			reg[n++] = cpu_to_fdt64(l->redist[i].base);
			reg[n++] = cpu_to_fdt64((u64)l->redist[i].count * MMAP_GIC_REDIST_SIZE);
		}
	} else {
		reg[n++] = cpu_to_fdt64(l->cpu_base);
		reg[n++] = cpu_to_fdt64(l->cpu_size);
	}
	fdt_property(fdt, "reg", reg, n * sizeof(reg[0]));
}

void gic_layout_fdt_node(const struct gic_layout *l, void *fdt)
{
	bool v3 = gic_type_is_v3(l->type);
	char name[64];

	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)l->dist_base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", v3 ? "arm,gic-v3" : "arm,cortex-a15-gic");
	fdt_property_cell(fdt, "#interrupt-cells", 3);
	fdt_property(fdt, "interrupt-controller", NULL, 0);
	fdt_property_cell(fdt, "#address-cells", 2);
	fdt_property_cell(fdt, "#size-cells", 2);
	fdt_property(fdt, "ranges", NULL, 0);
	gic_reg(l, fdt);
	if (v3)
		fdt_property_cell(fdt, "#redistributor-regions", l->nr_redist);
	/* Where the guest's own KVM (--nested) takes its vGIC's maintenance interrupts. */
	if (l->maint_intid) {
		u32 cells[3];

		gic_fdt_irq_cells(l->maint_intid, IRQ_LEVEL, cells);
		fdt_property(fdt, "interrupts", cells, sizeof(cells));
	}
	fdt_property_cell(fdt, "phandle", GIC_PHANDLE);
	if (l->type == GIC_V3_ITS)
		its_node(l, fdt);
	if (l->type == GIC_V2M)
		v2m_node(l, fdt);
	fdt_end_node(fdt);
}

void gic_fdt_node(const struct gic *gic, void *fdt)
{
	gic_layout_fdt_node(&gic->layout, fdt);
}

u32 gic_fdt_phandle(const struct gic *gic)
{
	(void)gic;
	return GIC_PHANDLE;
}

u32 gic_fdt_msi_phandle(const struct gic *gic)
{
	return gic_type_has_msi(gic->layout.type) ? GIC_MSI_PHANDLE : 0;
}

bool gic_fdt_msi_uses_map(const struct gic *gic)
{
	return gic->layout.type == GIC_V3_ITS;
}

enum gic_type gic_type(const struct gic *gic)
{
	return gic->layout.type;
}

bool gic_has_msi(const struct gic *gic)
{
	return gic_type_has_msi(gic->layout.type);
}

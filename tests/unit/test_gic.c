// SPDX-License-Identifier: GPL-2.0-only
/* GIC placement, SPI allocation, vGIC sizing and interrupt specifiers. */
#include <libfdt.h>

#include "gic/gic_internal.h"
#include "gicvm/memmap.h"
#include "harness.h"

static void placement(void)
{
	struct gic_layout l;

	CHECK(!gic_layout_init(&l, GIC_V3, 1));
	CHECK_EQ(l.dist_base, 0x3fff0000);
	CHECK_EQ(l.dist_size, 0x10000);
	CHECK_EQ(l.nr_redist, 1);
	CHECK_EQ(l.redist[0].base, 0x3ffd0000);
	CHECK_EQ(l.redist[0].count, 1);
	gic_layout_init(&l, GIC_V3, 8);
	/* Redistributors sit directly below the distributor. */
	CHECK_EQ(l.redist[0].base + 8 * 0x20000, l.dist_base);
	CHECK_EQ(l.its_base, 0);
	CHECK(l.redist[0].base > MMAP_VIRTIO_MMIO_BASE);
}

static void its_below_first_region(void)
{
	struct gic_layout l;

	CHECK(!gic_layout_init(&l, GIC_V3_ITS, 4));
	CHECK_EQ(l.its_base + MMAP_GIC_ITS_SIZE, l.redist[0].base);
	CHECK_EQ(l.its_base, 0x3fff0000 - 4 * 0x20000 - 0x20000);
}

static void many_vcpus_many_regions(void)
{
	struct gic_layout l;
	unsigned int total = 0;

	CHECK(!gic_layout_init(&l, GIC_V3_ITS, 40));
	CHECK_EQ(l.nr_redist, 3);
	CHECK_EQ(l.redist[0].count, MMAP_GIC_REDIST_REGION_CPUS);
	CHECK_EQ(l.redist[2].count, 40 - 2 * MMAP_GIC_REDIST_REGION_CPUS);
	/* ITS under region 0, region 1 under the ITS, region 2 under region 1. */
	CHECK_EQ(l.its_base + MMAP_GIC_ITS_SIZE, l.redist[0].base);
	CHECK_EQ(l.redist[1].base + l.redist[1].count * MMAP_GIC_REDIST_SIZE, l.its_base);
	CHECK_EQ(l.redist[2].base + l.redist[2].count * MMAP_GIC_REDIST_SIZE, l.redist[1].base);
	for (unsigned int i = 0; i < l.nr_redist; i++) {
		total += l.redist[i].count;
		CHECK_EQ(l.redist[i].base % 0x10000, 0);	/* KVM wants 64 KiB alignment */
	}
	CHECK_EQ(total, 40);
	CHECK(!gic_layout_init(&l, GIC_V3, 512));
	CHECK(l.redist[l.nr_redist - 1].base > MMAP_VIRTIO_MMIO_BASE + 0x100000);
	CHECK(gic_layout_init(&l, GIC_V3, 513));
}

static void gicv2_layout(void)
{
	struct gic_layout l;

	CHECK(!gic_layout_init(&l, GIC_V2M, 8));
	CHECK_EQ(l.dist_size, 0x1000);
	CHECK_EQ(l.cpu_size, 0x2000);
	CHECK(l.cpu_base + l.cpu_size <= l.dist_base);
	CHECK(l.v2m_base + MMAP_GICV2M_SIZE <= l.cpu_base);
	CHECK(gic_layout_init(&l, GIC_V2, 9));		/* a GICv2 has 8 CPU interfaces */
	/* The v2m frame's SPIs come after the devices' own lines. */
	gic_layout_init(&l, GIC_V2M, 1);
	gic_layout_alloc_spi(&l, IRQ_LEVEL);
	CHECK(!gic_layout_reserve_v2m(&l));
	CHECK_EQ(l.v2m_spi_base, 33);
	CHECK_EQ(l.nr_spis, 1 + GICV2M_NR_SPIS);
	CHECK_EQ(gic_layout_nr_irqs(&l), 128);
}

static void msi_routes(void)
{
	struct gic_layout l;
	struct kvm_irq_routing_entry e;

	gic_layout_init(&l, GIC_V3_ITS, 1);
	CHECK(gic_layout_msi_entry(&l, 1030, l.its_base + GITS_TRANSLATER, 5, 0x18, &e));
	CHECK_EQ(e.type, KVM_IRQ_ROUTING_MSI);
	CHECK_EQ(e.flags, KVM_MSI_VALID_DEVID);
	CHECK_EQ(e.gsi, 1030);
	CHECK_EQ(e.u.msi.data, 5);
	CHECK_EQ(e.u.msi.devid, 0x18);
	CHECK_EQ(e.u.msi.address_lo, (u32)(l.its_base + GITS_TRANSLATER));

	gic_layout_init(&l, GIC_V2M, 1);
	gic_layout_reserve_v2m(&l);
	/* data = the SPI's intid, written to the frame's doorbell */
	CHECK(gic_layout_msi_entry(&l, 1024, l.v2m_base + GICV2M_MSI_SETSPI_NS, 40, 0, &e));
	CHECK_EQ(e.type, KVM_IRQ_ROUTING_IRQCHIP);
	CHECK_EQ(e.u.irqchip.pin, 8);
	/* A wrong doorbell, or an SPI the frame does not own, routes nowhere. */
	CHECK(!gic_layout_msi_entry(&l, 1024, l.v2m_base, 40, 0, &e));
	CHECK(!gic_layout_msi_entry(&l, 1024, l.v2m_base + GICV2M_MSI_SETSPI_NS, 31, 0, &e));
	CHECK(!gic_layout_msi_entry(&l, 1024, l.v2m_base + GICV2M_MSI_SETSPI_NS,
				    32 + GICV2M_NR_SPIS, 0, &e));
	gic_layout_init(&l, GIC_V3, 1);
	CHECK(!gic_layout_msi_entry(&l, 1024, 0x3fff0040, 40, 0, &e));
}

/* Every subnode of the GIC node has a "compatible"; reg lists each region. */
static void dt_nodes(void)
{
	static char buf[4096];
	struct gic_layout l;
	int node, child, len;
	const fdt64_t *reg;

	for (int t = GIC_V2; t <= GIC_V3_ITS; t++) {
		gic_layout_init(&l, t, t == GIC_V2 || t == GIC_V2M ? 4 : 20);
		if (t == GIC_V2M)
			gic_layout_reserve_v2m(&l);
		CHECK(!fdt_create(buf, sizeof(buf)) && !fdt_finish_reservemap(buf) &&
		      !fdt_begin_node(buf, ""));
		gic_layout_fdt_node(&l, buf);
		CHECK(!fdt_end_node(buf) && !fdt_finish(buf));
		node = fdt_node_offset_by_prop_value(buf, -1, "interrupt-controller", NULL, 0);
		CHECK(node >= 0);
		fdt_for_each_subnode(child, buf, node) {
			CHECK(fdt_getprop(buf, child, "compatible", NULL));
			CHECK(fdt_getprop(buf, child, "msi-controller", NULL));
		}
		reg = fdt_getprop(buf, node, "reg", &len);
		CHECK(reg);
		if (t == GIC_V3 || t == GIC_V3_ITS) {
			CHECK_EQ(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(buf, node,
					      "#redistributor-regions", NULL)), 2);
			CHECK_EQ(len, (1 + 2) * 16);
			CHECK(!fdt_node_check_compatible(buf, node, "arm,gic-v3"));
		} else {
			CHECK_EQ(len, 2 * 16);
			CHECK(!fdt_node_check_compatible(buf, node, "arm,cortex-a15-gic"));
		}
		child = fdt_first_subnode(buf, node);
		CHECK((child >= 0) == (t == GIC_V3_ITS || t == GIC_V2M));
		if (t == GIC_V3_ITS)
			CHECK(!fdt_node_check_compatible(buf, child, "arm,gic-v3-its"));
		if (t == GIC_V2M)
			CHECK(!fdt_node_check_compatible(buf, child, "arm,gic-v2m-frame"));
	}
}

static void spi_allocation(void)
{
	struct gic_layout l;
	int last = 0;

	gic_layout_init(&l, GIC_V3, 1);
	CHECK_EQ(gic_layout_alloc_spi(&l, IRQ_LEVEL), 32);
	CHECK_EQ(gic_layout_alloc_spi(&l, IRQ_EDGE), 33);
	CHECK_EQ(l.trigger[0], IRQ_LEVEL);
	CHECK_EQ(l.trigger[1], IRQ_EDGE);
	for (int i = 2; i < 988; i++)
		last = gic_layout_alloc_spi(&l, IRQ_EDGE);
	CHECK_EQ(last, 1019);		/* the last SPI there is */
	CHECK_EQ(gic_layout_alloc_spi(&l, IRQ_EDGE), -1);
}

static void nr_irqs_follows_allocation(void)
{
	struct gic_layout l;

	gic_layout_init(&l, GIC_V3, 1);
	CHECK_EQ(gic_layout_nr_irqs(&l), 64);
	gic_layout_alloc_spi(&l, IRQ_LEVEL);
	CHECK_EQ(gic_layout_nr_irqs(&l), 64);
	for (int i = 1; i < 32; i++)
		gic_layout_alloc_spi(&l, IRQ_EDGE);
	CHECK_EQ(gic_layout_nr_irqs(&l), 64);		/* 32 + 32 lines */
	gic_layout_alloc_spi(&l, IRQ_EDGE);
	CHECK_EQ(gic_layout_nr_irqs(&l), 96);		/* a 33rd SPI needs a new block */
}

static void type_names(void)
{
	enum gic_type t = -1;

	CHECK(!gic_parse_type("v3", &t) && t == GIC_V3);
	CHECK(!gic_parse_type("gicv3", &t) && t == GIC_V3);
	CHECK(!gic_parse_type("v3-its", &t) && t == GIC_V3_ITS);
	CHECK(!gic_parse_type("gicv3-its", &t) && t == GIC_V3_ITS);
	CHECK(!gic_parse_type("v2", &t) && t == GIC_V2);
	CHECK(!gic_parse_type("v2m", &t) && t == GIC_V2M);
	CHECK(!gic_parse_type("auto", &t) && t == GIC_AUTO);
	CHECK(gic_parse_type("v4", &t));
	CHECK(gic_parse_type("", &t));
}

static void irq_cells(void)
{
	u32 c[3];

	gic_fdt_irq_cells(33, IRQ_LEVEL, c);
	CHECK_EQ(fdt32_to_cpu(c[0]), 0);	/* SPI */
	CHECK_EQ(fdt32_to_cpu(c[1]), 1);
	CHECK_EQ(fdt32_to_cpu(c[2]), 4);	/* level high */
	gic_fdt_irq_cells(27, IRQ_LEVEL, c);
	CHECK_EQ(fdt32_to_cpu(c[0]), 1);	/* PPI */
	CHECK_EQ(fdt32_to_cpu(c[1]), 11);
	gic_fdt_irq_cells(40, IRQ_EDGE, c);
	CHECK_EQ(fdt32_to_cpu(c[2]), 1);	/* rising edge */
}

UNIT_TESTS(TEST(placement), TEST(its_below_first_region), TEST(many_vcpus_many_regions),
	   TEST(gicv2_layout), TEST(msi_routes), TEST(dt_nodes), TEST(spi_allocation),
	   TEST(nr_irqs_follows_allocation), TEST(type_names), TEST(irq_cells));

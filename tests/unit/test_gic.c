// SPDX-License-Identifier: GPL-2.0-only
/* GIC placement, SPI allocation, vGIC sizing and interrupt specifiers. */
#include <libfdt.h>

#include "gic/gic_internal.h"
#include "gicvm/memmap.h"
#include "harness.h"

static void placement(void)
{
	struct gic_layout l;

	gic_layout_init(&l, GIC_V3, 1);
	CHECK_EQ(l.dist_base, 0x3fff0000);
	CHECK_EQ(l.dist_size, 0x10000);
	CHECK_EQ(l.redist_base, 0x3ffd0000);
	CHECK_EQ(l.redist_size, 0x20000);
	gic_layout_init(&l, GIC_V3, 8);
	/* Redistributors sit directly below the distributor. */
	CHECK_EQ(l.redist_base + l.redist_size, l.dist_base);
	CHECK_EQ(l.redist_size, 8 * 0x20000);
	CHECK(l.redist_base > MMAP_VIRTIO_MMIO_BASE);
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
	CHECK(gic_parse_type("v2", &t));
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

UNIT_TESTS(TEST(placement), TEST(spi_allocation), TEST(nr_irqs_follows_allocation),
	   TEST(type_names), TEST(irq_cells));

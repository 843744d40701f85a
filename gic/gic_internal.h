/* SPDX-License-Identifier: GPL-2.0-only */
/* State shared by the vGIC's KVM side (vgic.c) and its pure logic (gic_common.c). */
#ifndef GICVM_GIC_INTERNAL_H
#define GICVM_GIC_INTERNAL_H

#include "gic.h"

/* A GIC has at most 1020 interrupt IDs; SPIs are 32..1019. */
#define GIC_MAX_SPIS	(1020 - GIC_SPI_BASE)

/* Where the GIC's frames live and how many lines it has: no KVM state. */
struct gic_layout {
	enum gic_type type;
	u64 dist_base, dist_size;
	u64 redist_base, redist_size;
	unsigned int nr_spis;		/* SPIs handed out so far */
	enum irq_trigger trigger[GIC_MAX_SPIS];	/* per allocated SPI, for gic_irqfd() */
};

struct gic {
	struct gic_layout layout;
	struct vm *vm;
	int dev_fd;
	bool finalized;
};

void gic_layout_init(struct gic_layout *l, enum gic_type type, unsigned int nr_cpus);
int gic_layout_alloc_spi(struct gic_layout *l, enum irq_trigger trigger);
/* KVM_DEV_ARM_VGIC_GRP_NR_IRQS for what was allocated: a multiple of 32, >= 64. */
unsigned int gic_layout_nr_irqs(const struct gic_layout *l);
u32 gic_layout_fdt_node(const struct gic_layout *l, void *fdt);

#endif

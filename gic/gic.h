/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interrupt controller, as the rest of gicvm sees it.
 *
 * The vGIC lives in the kernel; gicvm only creates and places it. A device
 * gets an interrupt line with gic_alloc_spi() while the VM is being built,
 * and after gic_finalize() asks for an eventfd bound to that line with
 * gic_irqfd(): writing 1 to it raises the interrupt without any ioctl, and
 * for a level-triggered line the resample fd becomes readable when the guest
 * has EOId it (re-raise then if the device still asserts the level).
 *
 * Order: gic_create() -> create vCPUs -> gic_alloc_spi()... -> gic_finalize()
 *        -> gic_irqfd()... -> run.
 */
#ifndef GICVM_GIC_H
#define GICVM_GIC_H

#include "gicvm/util.h"

struct vm;
struct gic;

enum gic_type {
	GIC_V3,
};

enum irq_trigger {
	IRQ_EDGE,
	IRQ_LEVEL,
};

/* First shared peripheral interrupt; intids below are SGIs and PPIs. */
#define GIC_SPI_BASE		32
#define GIC_PPI_BASE		16

/* Parse a --gic value ("v3"); -1 for a value gicvm does not support. */
int gic_parse_type(const char *name, enum gic_type *type);
const char *gic_type_name(enum gic_type type);

/* Create the in-kernel vGIC and place it in the guest's memory map. */
struct gic *gic_create(struct vm *vm, enum gic_type type);

/* Take a free SPI; returns its intid, or -1 when none is left. */
int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger);

/* Size the vGIC to the lines allocated and initialise it (all vCPUs exist). */
int gic_finalize(struct gic *gic);

/*
 * An eventfd that raises @intid when written. With @resample_fd non-NULL the
 * line is level-triggered and *resample_fd receives the guest's EOI.
 * Returns the eventfd, or -1.
 */
int gic_irqfd(struct gic *gic, unsigned int intid, int *resample_fd);

/* Add the interrupt-controller node to @fdt; returns its phandle. */
u32 gic_fdt_node(const struct gic *gic, void *fdt);
/* The phandle that node will have, for "interrupt-parent" written before it. */
u32 gic_fdt_phandle(const struct gic *gic);

/* The three cells of an "interrupts" property for @intid. */
void gic_fdt_irq_cells(unsigned int intid, enum irq_trigger trigger, u32 cells[3]);

#endif

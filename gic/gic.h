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
 * With an MSI controller (the ITS, or a GICv2m frame) a PCI function gets
 * message-signalled vectors instead: gic_msi_irqfd() gives an eventfd for a
 * new vector, and gic_msi_route() tells KVM where the guest pointed it
 * (the address/data pair it wrote into the MSI-X table). Writing the eventfd
 * then delivers that message in the kernel.
 *
 * Devices raise an interrupt with gic_signal() on that eventfd rather than
 * by writing it themselves, so that a benchmark mode (gic_inject_by_ioctl())
 * can put gicvm's own ioctls where the irqfd would be.
 *
 * Order: gic_create() -> create vCPUs -> gic_alloc_spi()... -> gic_finalize()
 *        -> gic_irqfd()/gic_msi_irqfd()... -> run.
 */
#ifndef GICVM_GIC_H
#define GICVM_GIC_H

#include "gicvm/util.h"

struct vm;
struct gic;

enum gic_type {
	GIC_AUTO,	/* the best this host has: v3-its, v3, v2m, v2 */
	GIC_V2,
	GIC_V2M,	/* GICv2 with an MSI frame (emulated by gicvm) */
	GIC_V3,
	GIC_V3_ITS,
};

enum irq_trigger {
	IRQ_EDGE,
	IRQ_LEVEL,
};

/* First shared peripheral interrupt; intids below are SGIs and PPIs. */
#define GIC_SPI_BASE		32
#define GIC_PPI_BASE		16

/* Parse a --gic value; -1 for a value gicvm does not know. */
int gic_parse_type(const char *name, enum gic_type *type);
const char *gic_type_name(enum gic_type type);

/* Create the in-kernel vGIC (GIC_AUTO: probe) and place it in the memory map. */
struct gic *gic_create(struct vm *vm, enum gic_type type);
/* What was created (never GIC_AUTO). */
enum gic_type gic_type(const struct gic *gic);
/* Whether PCI functions can use MSIs (v3-its, v2m). */
bool gic_has_msi(const struct gic *gic);

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

/*
 * A new MSI vector: returns an eventfd and stores the vector's handle in
 * *vector. Until gic_msi_route() gives it a message, writes are dropped.
 */
int gic_msi_irqfd(struct gic *gic, unsigned int *vector);
/*
 * Point @vector at the message (@addr, @data) the guest programmed, sent by
 * the PCI function with requester ID @devid. A message the MSI controller
 * cannot take (a wrong doorbell, an SPI outside the v2m frame) routes
 * nowhere. Returns 0, or -1 if KVM refused the routing table.
 */
int gic_msi_route(struct gic *gic, unsigned int vector, u64 addr, u32 data, u32 devid);

/* Raise the interrupt behind @fd (from gic_irqfd() or gic_msi_irqfd()): 0 or -1. */
int gic_signal(struct gic *gic, int fd);

/*
 * For benchmarks only (--irq-inject ioctl): from now on gic_irqfd() for an
 * edge line and gic_msi_irqfd() make no irqfd, and gic_signal() injects
 * with KVM_IRQ_LINE / KVM_SIGNAL_MSI instead. Call before gic_finalize().
 */
void gic_inject_by_ioctl(struct gic *gic);

/*
 * Put the GIC back in its reset state for a reboot in place: every
 * interrupt disabled, inactive and not pending, LPIs off, the ITS empty.
 * The vCPUs must not be running.
 */
int gic_reset(struct gic *gic);

/*
 * Snapshots (gic/vgic_state.c; vCPUs parked): the vGIC's and ITS's state
 * into @s (the ITS tables and LPI pending bits go to guest RAM first, so
 * save RAM after this), and back into a just-finalised vGIC over the
 * restored RAM. 0, or -1 after saying why.
 */
struct state;
int gic_save(struct gic *gic, struct state *s);
int gic_restore(struct gic *gic, struct state *s);

/* Add the interrupt-controller node (and its MSI controller) to @fdt. */
void gic_fdt_node(const struct gic *gic, void *fdt);
/* The phandle that node will have, for "interrupt-parent" written before it. */
u32 gic_fdt_phandle(const struct gic *gic);
/* The MSI controller's phandle (for msi-map/msi-parent), or 0 if none. */
u32 gic_fdt_msi_phandle(const struct gic *gic);
/* Whether PCI describes its MSIs with "msi-map" (ITS: device IDs) or "msi-parent". */
bool gic_fdt_msi_uses_map(const struct gic *gic);

/* The three cells of an "interrupts" property for @intid. */
void gic_fdt_irq_cells(unsigned int intid, enum irq_trigger trigger, u32 cells[3]);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* State shared by the vGIC's KVM side (vgic.c, msi.c) and its pure logic (gic_common.c). */
#ifndef GICVM_GIC_INTERNAL_H
#define GICVM_GIC_INTERNAL_H

#include <linux/kvm.h>
#include <pthread.h>

#include "gic.h"

/* A GIC has at most 1020 interrupt IDs; SPIs are 32..1019. */
#define GIC_MAX_SPIS		(1020 - GIC_SPI_BASE)
#define GIC_MAX_REDIST_REGIONS	32	/* 512 vCPUs / 16 per region */
#define GICV2_MAX_CPUS		8
/* SPIs a v2m frame hands out as MSIs. */
#define GICV2M_NR_SPIS		64
/* v2m frame registers (GICv2m architecture) */
#define GICV2M_MSI_TYPER	0x008
#define GICV2M_MSI_SETSPI_NS	0x040
#define GICV2M_MSI_IIDR		0xfcc
/* ITS translation register: where a device's MSI writes land. */
#define GITS_TRANSLATER		0x10040

/* MSI vectors: GSIs from here on (wired SPIs use GSI = SPI number). */
#define GIC_MSI_GSI_BASE	1024
#define GIC_MAX_MSI		1024

#define GIC_PHANDLE		1
#define GIC_MSI_PHANDLE		2
/*
 * The vGIC's maintenance interrupt for a guest hypervisor: PPI 9, as the
 * GICv3 architecture recommends and KVM's own host expects.
 */
#define GIC_MAINT_INTID		(GIC_PPI_BASE + 9)

struct gic_redist_region {
	u64 base;
	unsigned int count;		/* vCPUs */
};

/* Where the GIC's frames live and how many lines it has: no KVM state. */
struct gic_layout {
	enum gic_type type;
	u64 dist_base, dist_size;
	u64 cpu_base, cpu_size;		/* v2 CPU interface */
	struct gic_redist_region redist[GIC_MAX_REDIST_REGIONS];
	unsigned int nr_redist;
	u64 its_base;			/* v3-its */
	u64 v2m_base;			/* v2m */
	unsigned int v2m_spi_base;	/* intid of the frame's first SPI */
	unsigned int maint_intid;	/* v3 for --nested: the maintenance PPI; 0: none */
	unsigned int nr_spis;		/* SPIs handed out so far */
	enum irq_trigger trigger[GIC_MAX_SPIS];	/* per allocated SPI, for gic_irqfd() */
};

struct gic_msi {
	bool routed;
	struct kvm_irq_routing_entry entry;
};

/* What gic_signal() does for an eventfd under --irq-inject ioctl (inject.c). */
enum gic_inject_kind {
	GIC_INJECT_IRQFD,	/* write it: KVM delivers (the default) */
	GIC_INJECT_SPI,		/* KVM_IRQ_LINE on SPI intid n */
	GIC_INJECT_MSI,		/* the message routed to MSI vector n */
};

struct gic_inject {
	enum gic_inject_kind kind;
	unsigned int n;
};

struct gic {
	struct gic_layout layout;
	struct vm *vm;
	int dev_fd;
	int its_fd;
	bool finalized;
	pthread_mutex_t msi_lock;	/* vCPU threads program vectors */
	struct gic_msi msi[GIC_MAX_MSI];
	unsigned int nr_msi;
	struct kvm_irq_routing *routing;	/* scratch for KVM_SET_GSI_ROUTING */
	bool inject_ioctl;		/* --irq-inject ioctl */
	struct gic_inject *inject;	/* by eventfd number, in that mode */
};

int gic_inject_register(struct gic *gic, int fd, enum gic_inject_kind kind, unsigned int n);

/* -1 if @type cannot have @nr_cpus vCPUs (GICv2: 8). */
int gic_layout_init(struct gic_layout *l, enum gic_type type, unsigned int nr_cpus);
int gic_layout_alloc_spi(struct gic_layout *l, enum irq_trigger trigger);
/* v2m: take the frame's block of SPIs, after the devices' own lines. */
int gic_layout_reserve_v2m(struct gic_layout *l);
/* KVM_DEV_ARM_VGIC_GRP_NR_IRQS for what was allocated: a multiple of 32, >= 64. */
unsigned int gic_layout_nr_irqs(const struct gic_layout *l);
void gic_layout_fdt_node(const struct gic_layout *l, void *fdt);
/*
 * The KVM routing entry for an MSI (@addr, @data) from @devid to GSI @gsi;
 * false if the MSI controller would not take that message.
 */
bool gic_layout_msi_entry(const struct gic_layout *l, u32 gsi, u64 addr, u32 data,
			  u32 devid, struct kvm_irq_routing_entry *e);
bool gic_type_has_msi(enum gic_type type);
bool gic_type_is_v3(enum gic_type type);

#endif

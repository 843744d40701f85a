// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vGIC (v3 with its ITS, or v2) in a snapshot. KVM has no "get the whole GIC"
 * call: its state is read register by register through the device's
 * attribute groups, and written back the same way into a freshly
 * initialised vGIC. The record is that list of (device, group, attribute,
 * value) in the order writing it back must follow
 * (Documentation/virt/kvm/devices/arm-vgic-v3.rst, arm-vgic-its.rst):
 *
 *   GICD_CTLR; per redistributor PROPBASER and PENDBASER, then its SGI/PPI
 *   registers and GICR_CTLR (EnableLPIs only takes once the bases are
 *   there); the SPIs' group, routing, trigger, line level, pending latch,
 *   active, priority and enable; per CPU interface ICC_SRE_EL1 and
 *   ICC_CTLR_EL1 before the rest; then the ITS: IIDR, CBASER, CREADR,
 *   CWRITER and the BASERs, its tables (read back from guest RAM), and
 *   GITS_CTLR last.
 *
 * Before reading, the ITS writes its tables and the redistributors their
 * LPI pending bits into guest RAM, which the snapshot saves after this.
 * A restore accepts only register groups, never an address or a command
 * other than "restore the ITS tables", so a crafted record cannot move or
 * reconfigure the GIC. GICv2's record is the same kind of list (below).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arm/arm.h"
#include "gic_internal.h"
#include "gicvm/state.h"
#include "gicvm/vm.h"
#include "vgic.h"

#define MAX_ENTRIES	(1 << 20)

enum { ON_GIC, ON_ITS };

#define GICD_CTLR		0x0000
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ISACTIVER		0x0300
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICV2_ITARGETSR		0x0800
#define GICV2_SPENDSGIR		0x0f20
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_ABPR		0x001c
#define GICC_APR		0x00d0
#define GICD_IROUTER		0x6000
#define GICR_CTLR		0x0000
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_SGI		0x10000
#define GITS_CTLR		0x0000
#define GITS_IIDR		0x0004
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GITS_BASER		0x0100
#define GITS_NR_BASER		8

#define SYSREG(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
#define ICC_PMR_EL1		SYSREG(3, 0, 4, 6, 0)
#define ICC_BPR0_EL1		SYSREG(3, 0, 12, 8, 3)
#define ICC_AP0R_EL1(n)		SYSREG(3, 0, 12, 8, 4 + (n))
#define ICC_AP1R_EL1(n)		SYSREG(3, 0, 12, 9, (n))
#define ICC_BPR1_EL1		SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1		SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE_EL1		SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN0_EL1		SYSREG(3, 0, 12, 12, 6)
#define ICC_IGRPEN1_EL1		SYSREG(3, 0, 12, 12, 7)
#define ICC_CTLR_PRIBITS(v)	((((v) >> 8) & 7) + 1)

/* The pseudo-entry that stands for "load the ITS tables now". */
#define ITS_TABLES_GROUP	KVM_DEV_ARM_VGIC_GRP_CTRL
#define ITS_TABLES_ATTR		KVM_DEV_ARM_ITS_RESTORE_TABLES

struct saver {
	struct gic *gic;
	struct state *s;
	u32 count;
	int err;
};

static int get_attr(int fd, u32 group, u64 attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (unsigned long)val };

	return ioctl(fd, KVM_GET_DEVICE_ATTR, &a);
}

static unsigned int group_width(unsigned int dev, u32 group)
{
	if (dev == ON_ITS)
		return group == KVM_DEV_ARM_VGIC_GRP_ITS_REGS ? 8 : 0;
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return 4;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		return 8;
	}
	return 0;
}

/* Read one register and append it to the record. */
static void save_one(struct saver *sv, unsigned int dev, u32 group, u64 attr)
{
	int fd = dev == ON_ITS ? sv->gic->its_fd : sv->gic->dev_fd;
	u64 val = 0;

	if (sv->err)
		return;
	if (get_attr(fd, group, attr, &val)) {
		pr_err("cannot read vGIC register (group %u, %#llx): %s", group,
		       (unsigned long long)attr, strerror(errno));
		sv->err = -1;
		return;
	}
	state_put(sv->s, dev, 1);
	state_put(sv->s, group, 4);
	state_put(sv->s, attr, 8);
	state_put(sv->s, val, group_width(dev, group));
	sv->count++;
}

/* KVM's encoding of a vCPU in a v3 attribute: Aff3.Aff2.Aff1.Aff0 at bit 32. */
static u64 vcpu_attr(struct vm *vm, unsigned int i)
{
	u64 mpidr = vcpu_mpidr(vm, i);
	u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

/* The 32-bit words of a register with @bits per interrupt, for intids [first, nr). */
static void save_bank(struct saver *sv, u32 group, u64 base, u64 reg, unsigned int bits,
		      unsigned int first, unsigned int nr)
{
	for (unsigned int irq = first; irq < nr; irq += 32 / bits)
		save_one(sv, ON_GIC, group, base | (reg + irq * bits / 8));
}

static void save_redist(struct saver *sv, unsigned int cpu)
{
	const u32 grp = KVM_DEV_ARM_VGIC_GRP_REDIST_REGS;
	u64 base = vcpu_attr(sv->gic->vm, cpu), sgi = base | GICR_SGI;

	for (unsigned int half = 0; half < 8; half += 4) {
		save_one(sv, ON_GIC, grp, base | (GICR_PROPBASER + half));
		save_one(sv, ON_GIC, grp, base | (GICR_PENDBASER + half));
	}
	save_one(sv, ON_GIC, grp, sgi | GICD_IGROUPR);
	save_one(sv, ON_GIC, grp, sgi | GICD_IGRPMODR);
	save_bank(sv, grp, sgi, GICD_ICFGR, 2, 0, 32);
	save_one(sv, ON_GIC, grp, sgi | GICD_ISPENDR);
	save_one(sv, ON_GIC, grp, sgi | GICD_ISACTIVER);
	save_bank(sv, grp, sgi, GICD_IPRIORITYR, 8, 0, 32);
	save_one(sv, ON_GIC, grp, sgi | GICD_ISENABLER);
	save_one(sv, ON_GIC, grp, base | GICR_CTLR);
}

static void save_dist(struct saver *sv)
{
	const u32 grp = KVM_DEV_ARM_VGIC_GRP_DIST_REGS;
	unsigned int nr = gic_layout_nr_irqs(&sv->gic->layout);
	u64 level = (u64)VGIC_LEVEL_INFO_LINE_LEVEL << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT;

	save_bank(sv, grp, 0, GICD_IGROUPR, 1, 32, nr);
	save_bank(sv, grp, 0, GICD_IGRPMODR, 1, 32, nr);
	for (unsigned int irq = 32; irq < nr; irq++)
		save_one(sv, ON_GIC, grp, GICD_IROUTER + irq * 8);	/* the upper half is RES0 */
	save_bank(sv, grp, 0, GICD_ICFGR, 2, 32, nr);
	for (unsigned int irq = 32; irq < nr; irq += 32)
		save_one(sv, ON_GIC, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
			 vcpu_attr(sv->gic->vm, 0) | level | irq);
	save_bank(sv, grp, 0, GICD_ISPENDR, 1, 32, nr);
	save_bank(sv, grp, 0, GICD_ISACTIVER, 1, 32, nr);
	save_bank(sv, grp, 0, GICD_IPRIORITYR, 8, 32, nr);
	save_bank(sv, grp, 0, GICD_ISENABLER, 1, 32, nr);
}

static void save_cpu_interface(struct saver *sv, unsigned int cpu)
{
	const u32 grp = KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
	u64 base = vcpu_attr(sv->gic->vm, cpu), ctlr = 0;
	unsigned int nr_apr;

	save_one(sv, ON_GIC, grp, base | ICC_SRE_EL1);
	save_one(sv, ON_GIC, grp, base | ICC_CTLR_EL1);
	if (!sv->err && get_attr(sv->gic->dev_fd, grp, base | ICC_CTLR_EL1, &ctlr))
		sv->err = -1;
	save_one(sv, ON_GIC, grp, base | ICC_PMR_EL1);
	save_one(sv, ON_GIC, grp, base | ICC_BPR0_EL1);
	save_one(sv, ON_GIC, grp, base | ICC_BPR1_EL1);
	/* 5, 6 or 7 priority bits: 1, 2 or 4 active-priority registers per group. */
	nr_apr = 1U << (MAX(ICC_CTLR_PRIBITS(ctlr), 5U) - 5);
	for (unsigned int n = 0; n < nr_apr && n < 4; n++) {
		save_one(sv, ON_GIC, grp, base | ICC_AP0R_EL1(n));
		save_one(sv, ON_GIC, grp, base | ICC_AP1R_EL1(n));
	}
	save_one(sv, ON_GIC, grp, base | ICC_IGRPEN0_EL1);
	save_one(sv, ON_GIC, grp, base | ICC_IGRPEN1_EL1);
}

static void save_its(struct saver *sv)
{
	const u32 grp = KVM_DEV_ARM_VGIC_GRP_ITS_REGS;

	save_one(sv, ON_ITS, grp, GITS_IIDR);
	save_one(sv, ON_ITS, grp, GITS_CBASER);
	save_one(sv, ON_ITS, grp, GITS_CREADR);
	save_one(sv, ON_ITS, grp, GITS_CWRITER);
	for (unsigned int n = 0; n < GITS_NR_BASER; n++)
		save_one(sv, ON_ITS, grp, GITS_BASER + n * 8);
	if (!sv->err) {
		state_put(sv->s, ON_ITS, 1);
		state_put(sv->s, ITS_TABLES_GROUP, 4);
		state_put(sv->s, ITS_TABLES_ATTR, 8);
		sv->count++;
	}
	save_one(sv, ON_ITS, grp, GITS_CTLR);
}

/*
 * GICv2: the distributor with the SGIs' and PPIs' banks per CPU interface
 * (the CPU number in the attribute), routing and the SGIs' sources, then
 * each CPU interface. The v2m frame is gicvm's own and keeps no state.
 * KVM has no line-level group for a vGICv2: a level-triggered line comes
 * back as its pending state says.
 */
static void save_v2_banks(struct saver *sv, u64 cpu, unsigned int first, unsigned int nr)
{
	const u32 grp = KVM_DEV_ARM_VGIC_GRP_DIST_REGS;

	save_bank(sv, grp, cpu, GICD_IGROUPR, 1, first, nr);
	save_bank(sv, grp, cpu, GICD_ICFGR, 2, first, nr);
	save_bank(sv, grp, cpu, GICD_IPRIORITYR, 8, first, nr);
	if (first >= 32)
		save_bank(sv, grp, cpu, GICV2_ITARGETSR, 8, first, nr);
	save_bank(sv, grp, cpu, GICD_ISPENDR, 1, first, nr);
	save_bank(sv, grp, cpu, GICD_ISACTIVER, 1, first, nr);
	save_bank(sv, grp, cpu, GICD_ISENABLER, 1, first, nr);
	if (first < 32)
		for (unsigned int r = 0; r < 4; r++)
			save_one(sv, ON_GIC, grp, cpu | (GICV2_SPENDSGIR + 4 * r));
}

static void save_v2(struct saver *sv)
{
	struct vm *vm = sv->gic->vm;
	static const u32 cpu_regs[] = { GICC_CTLR, GICC_PMR, GICC_BPR, GICC_ABPR, GICC_APR };

	save_one(sv, ON_GIC, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR);
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		save_v2_banks(sv, (u64)i << KVM_DEV_ARM_VGIC_CPUID_SHIFT, 0, 32);
	save_v2_banks(sv, 0, 32, gic_layout_nr_irqs(&sv->gic->layout));
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		for (size_t r = 0; r < ARRAY_SIZE(cpu_regs); r++)
			save_one(sv, ON_GIC, KVM_DEV_ARM_VGIC_GRP_CPU_REGS,
				 (u64)i << KVM_DEV_ARM_VGIC_CPUID_SHIFT | cpu_regs[r]);
}

/* The ITS's tables and the LPIs' pending bits into guest RAM (saved after this). */
static int flush_to_ram(struct gic *gic)
{
	if (gic->its_fd < 0)
		return 0;
	if (vgic_set_attr(gic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_ITS_SAVE_TABLES, NULL) ||
	    vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL)) {
		pr_err("cannot write the ITS tables to guest RAM: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int gic_save(struct gic *gic, struct state *s)
{
	struct saver sv = { .gic = gic };
	struct state body;
	struct vm *vm = gic->vm;

	if (flush_to_ram(gic))
		return -1;
	state_init(&body);
	sv.s = &body;
	if (!gic_type_is_v3(gic->layout.type)) {
		save_v2(&sv);
	} else {
		save_one(&sv, ON_GIC, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR);
		for (unsigned int i = 0; i < vm->nr_cpus; i++)
			save_redist(&sv, i);
		save_dist(&sv);
		for (unsigned int i = 0; i < vm->nr_cpus; i++)
			save_cpu_interface(&sv, i);
		if (gic->its_fd >= 0)
			save_its(&sv);
	}
	state_put_tag(s, "VGIC");
	state_put(s, gic->layout.type, 4);
	state_put(s, gic_layout_nr_irqs(&gic->layout), 4);
	state_put(s, sv.count, 4);
	state_put_bytes(s, body.buf, body.len);
	state_free(&body);
	return sv.err || !state_ok(s) ? -1 : 0;
}

static int restore_one(struct gic *gic, struct state *s)
{
	unsigned int dev = state_get_max(s, 1, ON_ITS), width;
	u32 group = state_get(s, 4);
	u64 attr = state_get(s, 8), val = 0;
	int fd = dev == ON_ITS ? gic->its_fd : gic->dev_fd;

	if (!state_ok(s) || fd < 0)
		return -1;
	if (dev == ON_ITS && group == ITS_TABLES_GROUP && attr == ITS_TABLES_ATTR)
		return vgic_set_attr(fd, group, attr, NULL);
	width = group_width(dev, group);
	if (!width)
		return -1;	/* only registers, never an address or another command */
	val = state_get(s, width);
	if (!state_ok(s))
		return -1;
	return vgic_set_attr(fd, group, attr, &val);
}

int gic_restore(struct gic *gic, struct state *s)
{
	u32 count;

	state_expect_tag(s, "VGIC");
	if (state_get(s, 4) != gic->layout.type ||
	    state_get(s, 4) != gic_layout_nr_irqs(&gic->layout)) {
		pr_err("snapshot: the saved vGIC is not this VM's (another GIC or other devices)");
		return -1;
	}
	count = state_get_max(s, 4, MAX_ENTRIES);
	for (u32 i = 0; i < count; i++) {
		if (restore_one(gic, s)) {
			pr_err("snapshot: the saved vGIC cannot be restored (entry %u: %s)", i,
			       state_ok(s) ? strerror(errno) : "corrupt");
			return -1;
		}
	}
	return 0;
}

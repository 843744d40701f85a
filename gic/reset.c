// SPDX-License-Identifier: GPL-2.0-only
/*
 * A reboot in place: KVM has no "reset the vGIC" call, so gicvm writes the
 * reset values through the register-access groups of the device, as if a
 * firmware cleaned up before jumping to the next kernel. A fresh kernel
 * also expects LPIs off (it cannot re-program the LPI tables otherwise) and
 * an empty ITS.
 */
#include <errno.h>
#include <string.h>

#include "arm/arm.h"
#include "gic_internal.h"
#include "gicvm/vm.h"
#include "vgic.h"

#define GICD_CTLR		0x0000
#define GICD_ICENABLER		0x0180
#define GICD_ICPENDR		0x0280
#define GICD_ICACTIVER		0x0380
#define GICR_CTLR		0x0000
#define GICR_SGI_BASE		0x10000
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_APR		0x00d0

#define SYSREG(op0, op1, crn, crm, op2) \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
static const u64 icc_reset_regs[] = {
	SYSREG(3, 0, 12, 12, 7),	/* ICC_IGRPEN1_EL1 */
	SYSREG(3, 0, 12, 12, 6),	/* ICC_IGRPEN0_EL1 */
	SYSREG(3, 0, 4, 6, 0),		/* ICC_PMR_EL1 */
	SYSREG(3, 0, 12, 8, 4),		/* ICC_AP0R0_EL1 */
	SYSREG(3, 0, 12, 9, 0),		/* ICC_AP1R0_EL1 */
};

static int write32(int fd, u32 group, u64 attr, u32 val)
{
	return vgic_set_attr(fd, group, attr, &val);
}

/* Disable, un-pend and deactivate the 32 interrupts of each bank given. */
static int clear_banks(int fd, u32 group, u64 attr_base, u64 first, u64 last)
{
	for (u64 off = first; off <= last; off += 4) {
		if (write32(fd, group, attr_base | (GICD_ICENABLER + off), ~0U) ||
		    write32(fd, group, attr_base | (GICD_ICPENDR + off), ~0U) ||
		    write32(fd, group, attr_base | (GICD_ICACTIVER + off), ~0U))
			return -1;
	}
	return 0;
}

/* KVM's encoding of a vCPU in a v3 register attribute: Aff3.Aff2.Aff1.Aff0. */
static u64 v3_vcpu_attr(struct vm *vm, unsigned int i)
{
	u64 mpidr = vcpu_mpidr(vm, i);
	u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

static int reset_v3(struct gic *gic)
{
	struct vm *vm = gic->vm;
	int fd = gic->dev_fd;
	u64 last = (gic_layout_nr_irqs(&gic->layout) / 32 - 1) * 4;

	if (gic->its_fd >= 0 && vgic_set_attr(gic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					      KVM_DEV_ARM_ITS_CTRL_RESET, NULL))
		return -1;
	if (write32(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, 0) ||
	    clear_banks(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0, 4, last))
		return -1;
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		u64 cpu = v3_vcpu_attr(vm, i);
		u64 zero = 0;

		if (write32(fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, cpu | GICR_CTLR, 0) ||
		    clear_banks(fd, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS, cpu | GICR_SGI_BASE, 0, 0))
			return -1;
		for (size_t r = 0; r < ARRAY_SIZE(icc_reset_regs); r++)
			if (vgic_set_attr(fd, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
					  cpu | icc_reset_regs[r], &zero))
				return -1;
	}
	return 0;
}

static int reset_v2(struct gic *gic)
{
	struct vm *vm = gic->vm;
	int fd = gic->dev_fd;
	u64 last = (gic_layout_nr_irqs(&gic->layout) / 32 - 1) * 4;

	if (write32(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, GICD_CTLR, 0) ||
	    clear_banks(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0, 4, last))
		return -1;
	for (u64 i = 0; i < vm->nr_cpus; i++) {
		u64 cpu = i << KVM_DEV_ARM_VGIC_CPUID_SHIFT;

		/* Bank 0 (SGIs and PPIs) is banked per CPU interface. */
		if (clear_banks(fd, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, cpu, 0, 0) ||
		    write32(fd, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, cpu | GICC_CTLR, 0) ||
		    write32(fd, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, cpu | GICC_PMR, 0) ||
		    write32(fd, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, cpu | GICC_APR, 0))
			return -1;
	}
	return 0;
}

int gic_reset(struct gic *gic)
{
	int ret = gic_type_is_v3(gic->layout.type) ? reset_v3(gic) : reset_v2(gic);

	if (ret)
		pr_err("cannot reset the vGIC: %s", strerror(errno));
	return ret;
}

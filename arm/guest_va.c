// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest virtual to physical addresses: a walk of the guest's stage-1 tables
 * (VMSAv8-64, 4K/16K/64K granules, TTBR0/TTBR1 by the top address bit),
 * for the GDB stub. Page tables are read through guest_ram(), so a corrupt
 * table can only fail the walk.
 */
#include <linux/kvm.h>

#include "arm.h"
#include "gicvm/vm.h"
#include "vcpu.h"

#define REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_TTBR0_EL1	ARM64_SYS_REG(3, 0, 2, 0, 0)
#define REG_TTBR1_EL1	ARM64_SYS_REG(3, 0, 2, 0, 1)
#define REG_TCR_EL1	ARM64_SYS_REG(3, 0, 2, 0, 2)
#define ADDR_MASK	0x0000fffffffff000ULL	/* output address bits [47:12] */

/* Granule size in bits from TCR_EL1's TG0 or TG1 field (they differ!). */
static unsigned int granule_bits(u64 tcr, bool upper)
{
	if (upper) {
		switch ((tcr >> 30) & 3) {
		case 1: return 14;
		case 3: return 16;
		default: return 12;
		}
	}
	switch ((tcr >> 14) & 3) {
	case 1: return 16;
	case 2: return 14;
	default: return 12;
	}
}

int guest_va_to_pa(struct vcpu *vcpu, u64 va, u64 *pa)
{
	u64 sctlr, tcr, ttbr, table;
	bool upper = (va >> 55) & 1;
	unsigned int g, stride, ia_bits, level;

	if (vcpu_get_reg(vcpu, REG_SCTLR_EL1, &sctlr))
		return -1;
	if (!(sctlr & 1)) {		/* MMU off: VA is PA */
		*pa = va;
		return 0;
	}
	if (vcpu_get_reg(vcpu, REG_TCR_EL1, &tcr) ||
	    vcpu_get_reg(vcpu, upper ? REG_TTBR1_EL1 : REG_TTBR0_EL1, &ttbr))
		return -1;
	g = granule_bits(tcr, upper);
	stride = g - 3;
	ia_bits = 64 - ((tcr >> (upper ? 16 : 0)) & 0x3f);
	if (ia_bits < 25 || ia_bits > 52)
		return -1;
	/* The walk starts at the level that leaves exactly ia_bits to resolve. */
	level = 4 - (ia_bits - g + stride - 1) / stride;
	table = ttbr & ADDR_MASK & ~((1ULL << g) - 1);
	for (;; level++) {
		unsigned int shift = g + stride * (3 - level);
		/* The first level may resolve fewer bits than a full stride. */
		u64 index = (va >> shift) & ((1ULL << MIN(stride, ia_bits - shift)) - 1);
		u64 *entry = guest_ram(vcpu->vm, table + index * 8, 8);
		u64 desc;

		if (!entry)
			return -1;
		desc = __atomic_load_n(entry, __ATOMIC_RELAXED);
		if (!(desc & 1))
			return -1;		/* invalid: not mapped */
		if (level == 3 || !(desc & 2)) {
			/* A page (level 3) or a block (earlier): the walk ends here. */
			if (level == 3 && !(desc & 2))
				return -1;
			*pa = (desc & ADDR_MASK & ~((1ULL << shift) - 1)) | (va & ((1ULL << shift) - 1));
			return 0;
		}
		table = desc & ADDR_MASK & ~((1ULL << g) - 1);
	}
}

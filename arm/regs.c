// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a vCPU's registers by name through KVM_GET_ONE_REG: one table for
 * the crash dump, `gicvm debug --dump` and (later) the GDB stub.
 */
#include <linux/kvm.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "arm.h"
#include "gicvm/kvm_newer.h"
#include "vcpu.h"

#define X(n)	{ "x" #n, CORE_REG(regs.regs[n]) }

static const struct arm_reg core_regs[] = {
	X(0), X(1), X(2), X(3), X(4), X(5), X(6), X(7), X(8), X(9), X(10),
	X(11), X(12), X(13), X(14), X(15), X(16), X(17), X(18), X(19), X(20),
	X(21), X(22), X(23), X(24), X(25), X(26), X(27), X(28), X(29), X(30),
	{ "sp", CORE_REG(regs.sp) },
	{ "pc", CORE_REG(regs.pc) },
	{ "pstate", CORE_REG(regs.pstate) },
};

/* EL1 state a developer wants when a guest kernel is stuck. */
static const struct arm_reg el1_regs[] = {
	{ "sp_el1", CORE_REG(sp_el1) },
	{ "elr_el1", CORE_REG(elr_el1) },
	{ "spsr_el1", CORE_REG(spsr[KVM_SPSR_EL1]) },
	{ "esr_el1", ARM64_SYS_REG(3, 0, 5, 2, 0) },
	{ "far_el1", ARM64_SYS_REG(3, 0, 6, 0, 0) },
	{ "sctlr_el1", ARM64_SYS_REG(3, 0, 1, 0, 0) },
	{ "ttbr0_el1", ARM64_SYS_REG(3, 0, 2, 0, 0) },
	{ "ttbr1_el1", ARM64_SYS_REG(3, 0, 2, 0, 1) },
	{ "tcr_el1", ARM64_SYS_REG(3, 0, 2, 0, 2) },
};

/*
 * A guest hypervisor's (--nested) EL2 state: where its vEL2 took its last
 * exception and from where, its vectors and its traps. KVM shows these
 * only for a vCPU that has EL2.
 */
static const struct arm_reg el2_regs[] = {
	{ "elr_el2", ARM64_SYS_REG(3, 4, 4, 0, 1) },
	{ "spsr_el2", ARM64_SYS_REG(3, 4, 4, 0, 0) },
	{ "esr_el2", ARM64_SYS_REG(3, 4, 5, 2, 0) },
	{ "far_el2", ARM64_SYS_REG(3, 4, 6, 0, 0) },
	{ "vbar_el2", ARM64_SYS_REG(3, 4, 12, 0, 0) },
	{ "hcr_el2", ARM64_SYS_REG(3, 4, 1, 1, 0) },
	{ "sctlr_el2", ARM64_SYS_REG(3, 4, 1, 0, 0) },
	{ "tcr_el2", ARM64_SYS_REG(3, 4, 2, 0, 2) },
};

const struct arm_reg *arm_el1_regs(size_t *n)
{
	*n = ARRAY_SIZE(el1_regs);
	return el1_regs;
}

int vcpu_get_reg(struct vcpu *vcpu, u64 id, u64 *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (unsigned long)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

int vcpu_set_reg(struct vcpu *vcpu, u64 id, u64 val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (unsigned long)&val };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

static void print_table(struct vcpu *vcpu, FILE *out, const struct arm_reg *t, size_t n,
			bool json, bool *first)
{
	for (size_t i = 0; i < n; i++) {
		u64 v = 0;
		bool ok = !vcpu_get_reg(vcpu, t[i].id, &v);

		if (json) {
			fprintf(out, "%s\"%s\": ", *first ? "" : ", ", t[i].name);
			if (ok)
				fprintf(out, "\"0x%016llx\"", (unsigned long long)v);
			else
				fprintf(out, "null");
			*first = false;
		} else {
			fprintf(out, "  %-9s %016llx%s", t[i].name, (unsigned long long)v,
				ok ? "" : "?");
			if (i % 4 == 3 || i == n - 1)
				fputc('\n', out);
		}
	}
}

void vcpu_print_regs(struct vcpu *vcpu, FILE *out, bool with_el1, bool json)
{
	bool first = true;

	if (json)
		fprintf(out, "{\"vcpu\": %u, ", vcpu->id);
	else
		fprintf(out, "vCPU %u:\n", vcpu->id);
	print_table(vcpu, out, core_regs, ARRAY_SIZE(core_regs), json, &first);
	if (with_el1)
		print_table(vcpu, out, el1_regs, ARRAY_SIZE(el1_regs), json, &first);
	if (with_el1 && (vcpu->init.features[0] & (1U << KVM_ARM_VCPU_HAS_EL2)))
		print_table(vcpu, out, el2_regs, ARRAY_SIZE(el2_regs), json, &first);
	if (json)
		fprintf(out, "}");
}

#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define PSTATE_MODE	0xfULL
#define PSTATE_EL1H	0x5ULL
#define PSTATE_EL1T	0x4ULL
#define PSTATE_DAIF	0x3c0ULL

/*
 * Take a synchronous exception to EL1 as the hardware would (ARM ARM D1.10):
 * ELR/SPSR/ESR saved, PSTATE to EL1h with DAIF masked, PC to the vector.
 */
int vcpu_inject_sync(struct vcpu *vcpu, u32 esr)
{
	u64 pc, pstate, vbar, offset;

	if (vcpu_get_reg(vcpu, CORE_REG(regs.pc), &pc) ||
	    vcpu_get_reg(vcpu, CORE_REG(regs.pstate), &pstate) ||
	    vcpu_get_reg(vcpu, REG_VBAR_EL1, &vbar))
		return -1;
	switch (pstate & PSTATE_MODE) {
	case PSTATE_EL1T:
		offset = 0x000;		/* current EL, SP_EL0 */
		break;
	case PSTATE_EL1H:
		offset = 0x200;		/* current EL, SP_ELx */
		break;
	default:
		offset = 0x400;		/* lower EL, AArch64 */
	}
	return vcpu_set_reg(vcpu, CORE_REG(elr_el1), pc) ||
	       vcpu_set_reg(vcpu, CORE_REG(spsr[KVM_SPSR_EL1]), pstate) ||
	       vcpu_set_reg(vcpu, REG_ESR_EL1, esr) ||
	       vcpu_set_reg(vcpu, CORE_REG(regs.pstate), PSTATE_DAIF | PSTATE_EL1H) ||
	       vcpu_set_reg(vcpu, CORE_REG(regs.pc), vbar + offset) ? -1 : 0;
}

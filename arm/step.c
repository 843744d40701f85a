// SPDX-License-Identifier: GPL-2.0-only
/*
 * --debug-single-step, kvmtool's option: every vCPU stops after each
 * instruction it executes (KVM_GUESTDBG_SINGLESTEP) and gicvm logs where,
 * one line per step on stderr, then lets it take the next. For bare test
 * programs and the first instructions of a kernel; a whole boot this way
 * takes far too long. Not with --gdb, which steps through the same
 * debug registers.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arm.h"
#include "gicvm/vm.h"
#include "vcpu.h"

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define EC_SOFTSTEP	0x32

/* A step's debug exit: say where the vCPU is, and go on (the flag stays set). */
static bool stepped(struct vcpu *vcpu)
{
	u64 pc = 0;

	if (ESR_EC(vcpu->run->debug.arch.hsr) != EC_SOFTSTEP)
		return false;	/* the guest's own BRK: back to it */
	vcpu_get_reg(vcpu, CORE_REG(regs.pc), &pc);
	fprintf(stderr, "gicvm: step: vcpu%u pc=%#llx\n", vcpu->id, (unsigned long long)pc);
	return true;
}

int single_step_start(struct vm *vm)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP };

	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		if (ioctl(vm->vcpus[i]->fd, KVM_SET_GUEST_DEBUG, &dbg)) {
			pr_err("--debug-single-step: KVM will not single-step vCPU %u: %s", i,
			       strerror(errno));
			return -1;
		}
	}
	vcpus_set_debug_hook(stepped);
	return 0;
}

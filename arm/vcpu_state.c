// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's state for snapshots: every register KVM lists (core, FP/SIMD or
 * SVE, system, firmware and timer registers), its power state (MP state:
 * a secondary never started stays off) and its pending events (SError).
 * The guest's virtual counter is kept once, for the whole VM, and written
 * back last so guest time neither jumps nor runs backwards across a pause.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arm.h"
#include "gicvm/kvm_newer.h"
#include "gicvm/state.h"
#include "gicvm/vm.h"
#include "vcpu.h"

#define MAX_REGS	4096
#define MAX_REG_BYTES	256	/* an SVE Z register at 2048 bits */

static unsigned int reg_bytes(u64 id)
{
	return 1U << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

/*
 * Registers not written back from the list: the counters (the virtual one
 * is written once, last; the physical one keeps the host's time, since a
 * write would move it for every vCPU), and SVE's vector lengths, fixed at
 * creation from the same configuration.
 */
static bool restored_elsewhere(u64 id)
{
	return id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT ||
	       id == KVM_REG_ARM64_SVE_VLS;
}

static struct kvm_reg_list *reg_list(struct vcpu *vcpu)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;

	if (!ioctl(vcpu->fd, KVM_GET_REG_LIST, &probe) || errno != E2BIG || probe.n > MAX_REGS)
		return NULL;
	list = calloc(1, sizeof(*list) + probe.n * sizeof(list->reg[0]));
	if (!list)
		return NULL;
	list->n = probe.n;
	if (ioctl(vcpu->fd, KVM_GET_REG_LIST, list)) {
		free(list);
		return NULL;
	}
	return list;
}

static int get_reg_bytes(struct vcpu *vcpu, u64 id, void *buf)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)buf };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &r);
}

static int set_reg_bytes(struct vcpu *vcpu, u64 id, const void *buf)
{
	struct kvm_one_reg r = { .id = id, .addr = (unsigned long)buf };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &r);
}

int vcpu_save(struct vcpu *vcpu, struct state *s)
{
	struct kvm_reg_list *list = reg_list(vcpu);
	struct kvm_mp_state mp;
	struct kvm_vcpu_events ev;
	u8 buf[MAX_REG_BYTES];

	if (!list) {
		pr_err("vCPU %u: cannot list its registers: %s", vcpu->id, strerror(errno));
		return -1;
	}
	state_put_tag(s, "VCPU");
	state_put(s, list->n, 4);
	for (u64 i = 0; i < list->n; i++) {
		u64 id = list->reg[i];

		if (reg_bytes(id) > sizeof(buf) || get_reg_bytes(vcpu, id, buf)) {
			pr_err("vCPU %u: cannot read register %#llx: %s", vcpu->id,
			       (unsigned long long)id, strerror(errno));
			free(list);
			return -1;
		}
		state_put(s, id, 8);
		state_put_bytes(s, buf, reg_bytes(id));
	}
	free(list);
	memset(&ev, 0, sizeof(ev));
	if (ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp) || ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev)) {
		pr_err("vCPU %u: cannot read its power state or events: %s", vcpu->id,
		       strerror(errno));
		return -1;
	}
	state_put(s, mp.mp_state, 4);
	state_put(s, ev.exception.serror_pending, 1);
	state_put(s, ev.exception.serror_has_esr, 1);
	state_put(s, ev.exception.serror_esr, 8);
	return state_ok(s) ? 0 : -1;
}

static int restore_regs(struct vcpu *vcpu, struct state *s)
{
	u32 n = state_get_max(s, 4, MAX_REGS);
	u8 buf[MAX_REG_BYTES];

	for (u32 i = 0; i < n && state_ok(s); i++) {
		u64 id = state_get(s, 8);

		if ((id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64 || reg_bytes(id) > sizeof(buf)) {
			s->bad = true;
			break;
		}
		state_get_bytes(s, buf, reg_bytes(id));
		if (!state_ok(s) || restored_elsewhere(id))
			continue;
		/* EINVAL, EBUSY: another CPU's ID registers, or a corrupt value. */
		if (set_reg_bytes(vcpu, id, buf)) {
			pr_err("vCPU %u: register %#llx cannot take the saved value (%s): "
			       "a snapshot from another host CPU or KVM?", vcpu->id,
			       (unsigned long long)id, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int vcpu_restore(struct vcpu *vcpu, struct state *s)
{
	struct kvm_mp_state mp;
	struct kvm_vcpu_events ev;

	state_expect_tag(s, "VCPU");
	if (restore_regs(vcpu, s))
		return -1;
	mp.mp_state = state_get_max(s, 4, KVM_MP_STATE_SUSPENDED);
	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = state_get_max(s, 1, 1);
	ev.exception.serror_has_esr = state_get_max(s, 1, 1);
	ev.exception.serror_esr = state_get(s, 8);
	if (!state_ok(s)) {
		pr_err("vCPU %u: its saved state is corrupt", vcpu->id);
		return -1;
	}
	/* Events after the registers, the power state last (as KVM's users do). */
	if (ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &ev) || ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp)) {
		pr_err("vCPU %u: cannot restore its power state or events: %s", vcpu->id,
		       strerror(errno));
		return -1;
	}
	return 0;
}

static int set_counter_offset(struct vm *vm, u64 offset)
{
	struct kvm_arm_counter_offset o = { .counter_offset = offset };

	return ioctl(vm->vm_fd, KVM_ARM_SET_COUNTER_OFFSET, &o);
}

/*
 * Where the host has it, the VM's counters get one offset at creation:
 * the virtual counter goes on from where KVM started it (near 0) and the
 * physical one reads the same. A restore then moves both by one offset,
 * so neither jumps nor runs back; without it, only the virtual counter
 * can be put back (KVM_REG_ARM_TIMER_CNT) and the physical one keeps the
 * host's time.
 */
void vcpus_init_counter(struct vm *vm)
{
	/* The host's counter is KVM's physical one: the offset is where the guest's began. */
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_COUNTER_OFFSET) <= 0 ||
	    vcpus_guest_counter_origin(vm, &vm->counter_offset))
		return;
	if (set_counter_offset(vm, vm->counter_offset))
		pr_debug("KVM_ARM_SET_COUNTER_OFFSET: %s", strerror(errno));
	else
		vm->has_counter_offset = true;
}

int vcpus_save_counter(struct vm *vm, u64 *cnt)
{
	if (vcpu_get_reg(vm->vcpus[0], KVM_REG_ARM_TIMER_CNT, cnt)) {
		pr_err("cannot read the guest's virtual counter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int vcpus_restore_counter(struct vm *vm, u64 cnt)
{
	u64 now;

	/* Both counters read now + offset; KVM's physical counter is that sum. */
	if (vm->has_counter_offset) {
		if (vcpu_get_reg(vm->vcpus[0], KVM_REG_ARM_TIMER_CNT, &now) ||
		    set_counter_offset(vm, vm->counter_offset + now - cnt)) {
			pr_err("cannot set the guest's counters: %s", strerror(errno));
			return -1;
		}
		vm->counter_offset += now - cnt;
		return 0;
	}
	/* One write sets the virtual offset of the whole VM. */
	if (vcpu_set_reg(vm->vcpus[0], KVM_REG_ARM_TIMER_CNT, cnt)) {
		pr_err("cannot set the guest's virtual counter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

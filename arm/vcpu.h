/* SPDX-License-Identifier: GPL-2.0-only */
/* A vCPU's state, shared by arm/vcpu.c (run loop) and arm/regs.c (registers). */
#ifndef GICVM_ARM_VCPU_H
#define GICVM_ARM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stddef.h>

#include "gicvm/util.h"

struct vm;

/* KVM_GET/SET_ONE_REG ids of struct kvm_regs fields (64-bit, or of @size). */
#define CORE_REG_SZ(size, field) \
	(KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE | \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define CORE_REG(field)	CORE_REG_SZ(KVM_REG_SIZE_U64, field)

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	int stats_fd;		/* KVM_GET_STATS_FD: readable while the vCPU runs */
	struct kvm_run *run;
	size_t run_size;
	u64 mpidr;
	struct kvm_vcpu_init init;	/* what KVM_ARM_VCPU_INIT got, for a reboot */
	pthread_t thread;
	bool hold;		/* kept parked while another vCPU single-steps */
};

int vcpu_get_reg(struct vcpu *vcpu, u64 id, u64 *val);
/* Deliver a synchronous exception (e.g. a BRK gdb does not own) to EL1. */
int vcpu_inject_sync(struct vcpu *vcpu, u32 esr);
/* Park every vCPU from any thread without waiting (a debug exit). */
void vcpus_request_park(struct vm *vm);
/* Wait until every vCPU is parked. */
void vcpus_wait_parked(struct vm *vm);
/* Let only @only run (NULL: all of them). */
void vcpus_release(struct vm *vm, struct vcpu *only);
int vcpu_set_reg(struct vcpu *vcpu, u64 id, u64 val);
/*
 * A debugger claims KVM_EXIT_DEBUG (the GDB stub, when it starts): @hook
 * returns true if the exit was its own; otherwise, or with no hook, the
 * guest gets its exception back. Set before the vCPUs run.
 */
void vcpus_set_debug_hook(bool (*hook)(struct vcpu *vcpu));

#endif

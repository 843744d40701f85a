// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: creation with PSCI 0.2 (secondaries powered off until the guest's
 * PSCI CPU_ON, which KVM handles), one thread each, and the exit loop.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "arm.h"
#include "gicvm/vm.h"

#define CORE_REG(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 (offsetof(struct kvm_regs, field) / sizeof(__u32)))
#define REG_MPIDR_EL1		ARM64_SYS_REG(3, 0, 0, 0, 5)
#define MPIDR_AFF_MASK		0xff00ffffffULL
#define PSTATE_EL1H_DAIF	0x3c5ULL	/* EL1h, D, A, I and F masked */
#define SIG_VCPU_KICK		SIGUSR1

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	u64 mpidr;
	pthread_t thread;
};

static int get_reg(struct vcpu *vcpu, u64 id, u64 *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (unsigned long)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

static int set_reg(struct vcpu *vcpu, u64 id, u64 val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (unsigned long)&val };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg);
}

static void vcpu_init(struct vcpu *vcpu, const struct kvm_vcpu_init *target)
{
	struct kvm_vcpu_init init = *target;

	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->id)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		die_errno("KVM_ARM_VCPU_INIT for vCPU %u", vcpu->id);
	if (get_reg(vcpu, REG_MPIDR_EL1, &vcpu->mpidr))
		die_errno("reading MPIDR_EL1 of vCPU %u", vcpu->id);
	vcpu->mpidr &= MPIDR_AFF_MASK;
}

void vcpus_create(struct vm *vm)
{
	struct kvm_vcpu_init target;
	int mmap_size;

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &target))
		die_errno("KVM_ARM_PREFERRED_TARGET");
	mmap_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size <= 0)
		die_errno("KVM_GET_VCPU_MMAP_SIZE");
	vm->vcpus = calloc(vm->nr_cpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		die("out of memory");

	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		struct vcpu *vcpu = calloc(1, sizeof(*vcpu));

		if (!vcpu)
			die("out of memory");
		vcpu->vm = vm;
		vcpu->id = i;
		vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
		if (vcpu->fd < 0)
			die_errno("KVM_CREATE_VCPU %u", i);
		vcpu->run_size = mmap_size;
		vcpu->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
		if (vcpu->run == MAP_FAILED)
			die_errno("mmap of vCPU %u's kvm_run", i);
		vcpu_init(vcpu, &target);
		vm->vcpus[i] = vcpu;
	}
}

u64 vcpu_mpidr(const struct vm *vm, unsigned int id)
{
	return vm->vcpus[id]->mpidr;
}

void vcpu_set_boot_regs(struct vm *vm, u64 entry, u64 fdt_addr)
{
	struct vcpu *boot = vm->vcpus[0];

	/* booting.rst: x0 = DT, x1..x3 = 0, MMU off, interrupts masked. */
	if (set_reg(boot, CORE_REG(regs.pstate), PSTATE_EL1H_DAIF) ||
	    set_reg(boot, CORE_REG(regs.regs[0]), fdt_addr) ||
	    set_reg(boot, CORE_REG(regs.regs[1]), 0) ||
	    set_reg(boot, CORE_REG(regs.regs[2]), 0) ||
	    set_reg(boot, CORE_REG(regs.regs[3]), 0) ||
	    set_reg(boot, CORE_REG(regs.pc), entry))
		die_errno("setting the boot vCPU's registers");
}

void vcpu_dump_regs(struct vcpu *vcpu)
{
	u64 pc = 0, pstate = 0, sp = 0, x[31];
	char line[128];

	get_reg(vcpu, CORE_REG(regs.pc), &pc);
	get_reg(vcpu, CORE_REG(regs.pstate), &pstate);
	get_reg(vcpu, CORE_REG(regs.sp), &sp);
	fprintf(stderr, "gicvm: vCPU %u: pc %016llx pstate %016llx sp %016llx\n",
		vcpu->id, (unsigned long long)pc, (unsigned long long)pstate,
		(unsigned long long)sp);
	for (int i = 0; i < 31; i++) {
		x[i] = 0;
		get_reg(vcpu, CORE_REG(regs.regs[i]), &x[i]);
	}
	for (int i = 0; i < 31; i += 4) {
		int n = 0;

		for (int j = i; j < i + 4 && j < 31; j++)
			n += snprintf(line + n, sizeof(line) - n, " x%-2d %016llx", j,
				      (unsigned long long)x[j]);
		fprintf(stderr, "gicvm: %s\n", line);
	}
}

static void vcpu_fail(struct vcpu *vcpu, const char *what)
{
	pr_err("vCPU %u: %s", vcpu->id, what);
	vcpu_dump_regs(vcpu);
	vm_request_stop(vcpu->vm, VM_EXIT_ERROR);
}

static void handle_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u32 len = run->mmio.len;

	if (len == 0 || len > sizeof(run->mmio.data)) {
		vcpu_fail(vcpu, "MMIO access of an impossible size");
		return;
	}
	if (!mmio_dispatch(&vcpu->vm->mmio, run->mmio.phys_addr, run->mmio.data, len,
			   run->mmio.is_write))
		pr_debug("vCPU %u: %s of %u bytes at %#llx hits no device", vcpu->id,
			 run->mmio.is_write ? "write" : "read", len,
			 (unsigned long long)run->mmio.phys_addr);
}

static void handle_system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_request_stop(vcpu->vm, VM_EXIT_POWEROFF);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vm_request_stop(vcpu->vm, VM_EXIT_RESET);
		break;
	default:
		pr_err("vCPU %u: guest system event %u", vcpu->id,
		       vcpu->run->system_event.type);
		vm_request_stop(vcpu->vm, VM_EXIT_ERROR);
	}
}

/* Handle one exit; false when this vCPU must stop running. */
static bool handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	char why[96];

	if (run->exit_reason == KVM_EXIT_MMIO)
		atomic_fetch_add(&vcpu->vm->stats.exits_mmio, 1);
	else
		atomic_fetch_add(&vcpu->vm->stats.exits_other, 1);
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		handle_mmio(vcpu);
		return true;
	case KVM_EXIT_SYSTEM_EVENT:
		handle_system_event(vcpu);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why), "KVM_EXIT_FAIL_ENTRY, reason %#llx",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, sizeof(why), "KVM internal error, suberror %u",
			 run->internal.suberror);
		break;
	case KVM_EXIT_ARM_NISV:
		snprintf(why, sizeof(why), "MMIO at %#llx that KVM cannot decode",
			 (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	default:
		snprintf(why, sizeof(why), "unexpected exit reason %u", run->exit_reason);
	}
	vcpu_fail(vcpu, why);
	return false;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	char name[16];

	snprintf(name, sizeof(name), "gicvm-vcpu%u", vcpu->id);
	pthread_setname_np(pthread_self(), name);

	while (atomic_load(&vm->exit_reason) == VM_RUNNING) {
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			char why[96];

			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* ENOSYS: a guest access KVM cannot emulate (no syndrome). */
			snprintf(why, sizeof(why), "KVM_RUN failed: %s%s", strerror(errno),
				 errno == ENOSYS ? " (an MMIO access KVM cannot decode)" : "");
			vcpu_fail(vcpu, why);
			break;
		}
		if (!handle_exit(vcpu))
			break;
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;	/* only interrupts KVM_RUN */
}

void vcpus_start(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler };

	sigemptyset(&sa.sa_mask);
	sigaction(SIG_VCPU_KICK, &sa, NULL);
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		int err = pthread_create(&vm->vcpus[i]->thread, NULL, vcpu_thread, vm->vcpus[i]);

		if (err) {
			errno = err;
			die_errno("cannot start vCPU thread %u", i);
		}
	}
}

void vcpus_stop_and_join(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		/* immediate_exit closes the race with a thread about to enter KVM_RUN. */
		vcpu->run->immediate_exit = 1;
		pthread_kill(vcpu->thread, SIG_VCPU_KICK);
	}
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		pthread_join(vm->vcpus[i]->thread, NULL);
}

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
#include "gicvm/kvm_newer.h"
#include "gicvm/kvm_stats.h"
#include "gicvm/sandbox.h"
#include "gicvm/snapfile.h"
#include "gicvm/vm.h"
#include "vcpu.h"

#define REG_MPIDR_EL1		ARM64_SYS_REG(3, 0, 0, 0, 5)
#define MPIDR_AFF_MASK		0xff00ffffffULL
#define PSTATE_EL1H_DAIF	0x3c5ULL	/* EL1h, D, A, I and F masked */
#define PSTATE_EL2H_DAIF	0x3c9ULL	/* EL2h, the same masked (--nested) */
#define PSTATE_AA32_SVC_AIF	0x1d3ULL	/* AArch32 SVC mode, A, I and F masked */
#define SIG_VCPU_KICK		SIGUSR1
#define PMU_IRQ			23		/* PPI 7, as kvmtool and QEMU use */

static bool (*debug_hook)(struct vcpu *vcpu);

void vcpus_set_debug_hook(bool (*hook)(struct vcpu *vcpu))
{
	debug_hook = hook;
}

static bool has_cap(struct vm *vm, long cap)
{
	return ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, cap) > 0;
}

/*
 * SVE: the vector lengths up to @max_vl bits the host offers (0: all of
 * them, as kvmtool gives), then finalize.
 */
static void vcpu_setup_sve(struct vcpu *vcpu, unsigned int max_vl)
{
	u64 vls[KVM_ARM64_SVE_VLS_WORDS];
	unsigned int vq_max = max_vl ? max_vl / 128 : KVM_ARM64_SVE_VQ_MAX;

	if (vcpu_get_reg(vcpu, KVM_REG_ARM64_SVE_VLS, vls))
		die_errno("reading the host's SVE vector lengths");
	/* Bit vq-1 stands for a vector length of vq * 128 bits. */
	for (unsigned int vq = vq_max + 1; vq <= KVM_ARM64_SVE_VQ_MAX; vq++)
		vls[(vq - 1) / 64] &= ~(1ULL << ((vq - 1) % 64));
	if (!(vls[0] & 1))
		die("--sve-max-vl %u: the host offers no SVE vector length that short", max_vl);
	/* A 512-bit register: KVM reads it from the array, not from a u64. */
	if (ioctl(vcpu->fd, KVM_SET_ONE_REG,
		  &(struct kvm_one_reg){ .id = KVM_REG_ARM64_SVE_VLS, .addr = (unsigned long)vls }))
		die_errno("setting SVE vector lengths");
}

/* SVE whenever KVM offers it (as kvmtool), unless --disable-sve; AArch64 only. */
static bool wants_sve(struct vm *vm)
{
	return !vm->cfg->disable_sve && !vm->cfg->aarch32 && has_cap(vm, KVM_CAP_ARM_SVE);
}

/*
 * Whether the host runs KVM in protected mode (pKVM). It advertises pointer
 * authentication for guests there, but 6.12 never lifts the guest's traps
 * on the keys in that mode (vcpu_set_pauth_traps()): a guest kernel that
 * uses them dies of an undefined instruction. The mode is only set on the
 * kernel command line, and KVM does not come up at all if it cannot honour
 * it.
 */
static bool host_kvm_protected(void)
{
	bool protected = false;
	char *cmdline;
	size_t len;
	void *buf;

	if (read_file("/proc/cmdline", 4096, &buf, &len))
		return false;
	cmdline = strndup(buf, len);
	if (cmdline)
		protected = has_word(cmdline, "kvm-arm.mode=protected");
	free(cmdline);
	free(buf);
	return protected;
}

/*
 * Pointer authentication whenever the host has both kinds (AArch64 has it),
 * unless --disable-ptrauth, or the host is in protected mode.
 */
static bool wants_ptrauth(struct vm *vm)
{
	return !vm->cfg->disable_ptrauth && !vm->cfg->aarch32 &&
	       has_cap(vm, KVM_CAP_ARM_PTRAUTH_ADDRESS) &&
	       has_cap(vm, KVM_CAP_ARM_PTRAUTH_GENERIC) && !host_kvm_protected();
}

#define REG_ID_AA64ISAR2_EL1	ARM64_SYS_REG(3, 0, 0, 6, 2)
#define ISAR2_MOPS		(0xfULL << 16)

/*
 * The same mode leaves a guest's HCRX_EL2.MSCEn clear (6.12's hyp never
 * gives its vCPUs the host's HCRX_EL2; upstream fixed it in 6.15,
 * 066daa8d3bc2), so the memory copy and set instructions (FEAT_MOPS) that
 * the guest's ID registers offer are undefined for it: glibc's memcpy
 * uses them, and the guest's first process dies. Hide them there: the ID
 * registers are the VM's, written through its first vCPU before it runs.
 */
static void hide_mops(struct vcpu *vcpu)
{
	u64 isar2;

	if (vcpu_get_reg(vcpu, REG_ID_AA64ISAR2_EL1, &isar2) || !(isar2 & ISAR2_MOPS))
		return;
	if (vcpu_set_reg(vcpu, REG_ID_AA64ISAR2_EL1, isar2 & ~ISAR2_MOPS))
		pr_warn("cannot hide FEAT_MOPS from the guest on this host in protected mode "
			"(its memory copies may be undefined there): %s", strerror(errno));
}

static void vcpu_init(struct vm *vm, struct vcpu *vcpu, const struct kvm_vcpu_init *target)
{
	const struct vm_config *cfg = vm->cfg;
	struct kvm_vcpu_init init = *target;
	int sve = KVM_ARM_VCPU_SVE;
	bool with_sve = wants_sve(vm);

	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->id)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (cfg->pmu)
		init.features[0] |= 1U << KVM_ARM_VCPU_PMU_V3;
	if (with_sve)
		init.features[0] |= 1U << KVM_ARM_VCPU_SVE;
	if (cfg->aarch32)
		init.features[0] |= 1U << KVM_ARM_VCPU_EL1_32BIT;
	if (cfg->nested)
		init.features[0] |= 1U << KVM_ARM_VCPU_HAS_EL2;
	if (cfg->e2h0)
		init.features[0] |= 1U << KVM_ARM_VCPU_HAS_EL2_E2H0;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		die_errno("KVM_ARM_VCPU_INIT for vCPU %u", vcpu->id);
	vcpu->init = init;
	if (!vcpu->id && !cfg->aarch32 && host_kvm_protected())
		hide_mops(vcpu);
	if (with_sve) {
		vcpu_setup_sve(vcpu, cfg->sve_max_vl);
		if (ioctl(vcpu->fd, KVM_ARM_VCPU_FINALIZE, &sve))
			die_errno("KVM_ARM_VCPU_FINALIZE(SVE) for vCPU %u", vcpu->id);
	}
	if (vcpu_get_reg(vcpu, REG_MPIDR_EL1, &vcpu->mpidr))
		die_errno("reading MPIDR_EL1 of vCPU %u", vcpu->id);
	vcpu->mpidr &= MPIDR_AFF_MASK;
	vcpu->stats_fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
}

void vcpus_check_features(struct vm *vm)
{
	if (vm->cfg->pmu && !has_cap(vm, KVM_CAP_ARM_PMU_V3))
		die("--pmu: this host's KVM has no PMUv3 for guests");
	if (vm->cfg->sve_max_vl && !has_cap(vm, KVM_CAP_ARM_SVE))
		die("--sve-max-vl: this host's KVM has no SVE for guests");
	if (vm->cfg->aarch32 && !has_cap(vm, KVM_CAP_ARM_EL1_32BIT))
		die("--aarch32: this host's CPUs cannot run a 32-bit kernel (no AArch32 at EL1)");
	/*
	 * KVM offers EL2 to guests only when the host booted with
	 * kvm-arm.mode=nested on CPUs with FEAT_NV2 (Linux 6.16 on).
	 */
	if (vm->cfg->nested && !has_cap(vm, KVM_CAP_ARM_EL2))
		die("--nested: this host's KVM cannot give guests EL2 (it needs Linux 6.16 or "
		    "later booted with kvm-arm.mode=nested, on CPUs with FEAT_NV2)");
	if (vm->cfg->e2h0 && !has_cap(vm, KVM_CAP_ARM_EL2_E2H0))
		die("--e2h0: this host's KVM has no non-VHE guest hypervisors (E2H RES0): "
		    "its CPUs or its KVM cannot");
}

/* The PMU's overflow interrupt is a PPI; it can be set only once the vGIC is. */
void vcpus_init_pmu(struct vm *vm)
{
	int irq = PMU_IRQ;

	if (!vm->cfg->pmu)
		return;
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		struct kvm_device_attr a = { .group = KVM_ARM_VCPU_PMU_V3_CTRL,
					     .attr = KVM_ARM_VCPU_PMU_V3_IRQ,
					     .addr = (unsigned long)&irq };
		int fd = vm->vcpus[i]->fd;

		if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a))
			die_errno("--pmu: setting the PMU interrupt of vCPU %u", i);
		a.attr = KVM_ARM_VCPU_PMU_V3_INIT;
		a.addr = 0;
		if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a))
			die_errno("--pmu: initialising the PMU of vCPU %u", i);
	}
}

void vcpus_create(struct vm *vm)
{
	struct kvm_vcpu_init target;
	int mmap_size;

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &target))
		die_errno("KVM_ARM_PREFERRED_TARGET");
	if (wants_ptrauth(vm))
		target.features[0] |= (1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS) |
				      (1U << KVM_ARM_VCPU_PTRAUTH_GENERIC);
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
		vcpu_init(vm, vcpu, &target);
		vm->vcpus[i] = vcpu;
	}
}

/*
 * A reboot: the same KVM_ARM_VCPU_INIT again resets every register and
 * powers the secondaries off (SVE lengths and the PMU stay configured).
 */
int vcpus_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		struct vcpu *vcpu = vm->vcpus[i];

		if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &vcpu->init)) {
			pr_err("KVM_ARM_VCPU_INIT for vCPU %u on reboot: %s", i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

void vcpus_report_stats(struct vm *vm, struct report *r)
{
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		char key[16];

		snprintf(key, sizeof(key), "vcpu%u", i);
		report_push(r, key);
		kvm_stats_report(vm->vcpus[i]->stats_fd, r);
		report_pop(r);
	}
}

u64 vcpus_features(const struct vm *vm)
{
	u32 f = vm->vcpus[0]->init.features[0];

	return (f & (1U << KVM_ARM_VCPU_SVE) ? SNAP_FEAT_SVE : 0) |
	       (f & (1U << KVM_ARM_VCPU_PTRAUTH_ADDRESS) ? SNAP_FEAT_PTRAUTH : 0);
}

u64 vcpu_mpidr(const struct vm *vm, unsigned int id)
{
	return vm->vcpus[id]->mpidr;
}

int vcpu_set_boot_regs(struct vm *vm, u64 entry, u64 fdt_addr)
{
	struct vcpu *boot = vm->vcpus[0];
	bool aa32 = vm->cfg->aarch32;
	u64 pstate = aa32 ? PSTATE_AA32_SVC_AIF :
		     vm->cfg->nested ? PSTATE_EL2H_DAIF : PSTATE_EL1H_DAIF;

	/*
	 * arm64's booting.rst: x0 = DT, x1..x3 = 0, at EL2 where the guest
	 * has it (--nested), so that its kernel can be a hypervisor; arm's:
	 * r0 = 0, r1 = ~0 (no machine type: a DT), r2 = DT, SVC mode. MMU
	 * off, interrupts masked.
	 */
	if (vcpu_set_reg(boot, CORE_REG(regs.pstate), pstate) ||
	    vcpu_set_reg(boot, CORE_REG(regs.regs[0]), aa32 ? 0 : fdt_addr) ||
	    vcpu_set_reg(boot, CORE_REG(regs.regs[1]), aa32 ? 0xffffffffULL : 0) ||
	    vcpu_set_reg(boot, CORE_REG(regs.regs[2]), aa32 ? fdt_addr : 0) ||
	    vcpu_set_reg(boot, CORE_REG(regs.regs[3]), 0) ||
	    vcpu_set_reg(boot, CORE_REG(regs.pc), entry)) {
		/* Also on a reboot, with the guest's threads about: say so, no exit. */
		pr_err("setting the boot vCPU's registers: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void vcpu_fail(struct vcpu *vcpu, const char *what)
{
	pr_err("vCPU %u: %s", vcpu->id, what);
	vcpu_print_regs(vcpu, stderr, false, false);
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
		if (vcpu->vm->cfg->reboot == REBOOT_EXIT)
			vm_request_stop(vcpu->vm, VM_EXIT_RESET);
		else
			vm_request_reboot(vcpu->vm);
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
		/* A reboot parks this thread (KVM holds it stopped till then). */
		return atomic_load(&vcpu->vm->exit_reason) == VM_RUNNING;
	case KVM_EXIT_DEBUG:
		/* A debugger's own stop, or the guest's: hand it back as an exception. */
		if (!(debug_hook && debug_hook(vcpu)) && vcpu_inject_sync(vcpu, run->debug.arch.hsr)) {
			vcpu_fail(vcpu, "cannot re-inject a debug exception");
			return false;
		}
		return true;
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

/* Wait here while a pause is requested; the caller saw KVM_RUN return. */
static void park_if_requested(struct vcpu *vcpu)
{
	struct vcpu_park *p = &vcpu->vm->park;

	pthread_mutex_lock(&p->lock);
	if (p->requested || vcpu->hold) {
		p->parked++;
		pthread_cond_broadcast(&p->cond);
		while ((p->requested || vcpu->hold) && atomic_load(&vcpu->vm->exit_reason) == VM_RUNNING)
			pthread_cond_wait(&p->cond, &p->lock);
		p->parked--;
		vcpu->run->immediate_exit = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	bool entered = false;
	char name[16];

	snprintf(name, sizeof(name), "gicvm-vcpu%u", vcpu->id);
	pthread_setname_np(pthread_self(), name);
	if (!vm->cfg->no_sandbox && sandbox_enter(SANDBOX_VCPU))
		vm_request_stop(vm, VM_EXIT_ERROR);	/* the loop below will not run */
	/* The hidden --sandbox-test=vcpu-WHAT: the probe from a vCPU thread's filter. */
	if (vcpu->id == 0 && vm->cfg->sandbox_test && !strncmp(vm->cfg->sandbox_test, "vcpu-", 5))
		sandbox_self_test(vm->cfg->sandbox_test + 5);

	while (atomic_load(&vm->exit_reason) == VM_RUNNING) {
		park_if_requested(vcpu);
		/*
		 * Leaving the park cleared immediate_exit, perhaps after the
		 * stop's kick: look again, or a stopped vCPU (powered off, or
		 * held by KVM after a reset) would sleep in KVM_RUN for good.
		 */
		if (atomic_load(&vm->exit_reason) != VM_RUNNING)
			break;
		if (!entered && vcpu->id == 0)
			vm->timeline.first_run = arm_counter();
		entered = true;
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
	pthread_mutex_lock(&vm->park.lock);
	vm->park.alive--;
	pthread_cond_broadcast(&vm->park.cond);
	pthread_mutex_unlock(&vm->park.lock);
	return NULL;
}

static void kick_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		/* immediate_exit closes the race with a thread about to enter KVM_RUN. */
		vm->vcpus[i]->run->immediate_exit = 1;
		pthread_kill(vm->vcpus[i]->thread, SIG_VCPU_KICK);
	}
}

void vcpus_request_park(struct vm *vm)
{
	pthread_mutex_lock(&vm->park.lock);
	vm->park.requested = true;
	kick_all(vm);
	pthread_mutex_unlock(&vm->park.lock);
}

void vcpus_wait_parked(struct vm *vm)
{
	struct vcpu_park *p = &vm->park;

	pthread_mutex_lock(&p->lock);
	while (p->parked < p->alive)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void vcpus_pause(struct vm *vm)
{
	vcpus_request_park(vm);
	vcpus_wait_parked(vm);
}

void vcpus_release(struct vm *vm, struct vcpu *only)
{
	struct vcpu_park *p = &vm->park;

	pthread_mutex_lock(&p->lock);
	p->requested = false;
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		vm->vcpus[i]->hold = only && vm->vcpus[i] != only;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

void vcpus_resume(struct vm *vm)
{
	vcpus_release(vm, NULL);
}

static void kick_handler(int sig)
{
	(void)sig;	/* only interrupts KVM_RUN */
}

static void set_affinity(struct vm *vm, pthread_t thread)
{
	if (!vm->cfg->has_affinity)
		return;
	errno = pthread_setaffinity_np(thread, sizeof(cpu_set_t), &vm->cfg->affinity);
	if (errno)
		die_errno("--vcpu-affinity");
}

void vcpus_init_park(struct vm *vm)
{
	pthread_mutex_init(&vm->park.lock, NULL);
	pthread_cond_init(&vm->park.cond, NULL);
	vm->park.alive = vm->nr_cpus;
}

int vcpus_guest_counter_origin(struct vm *vm, u64 *origin)
{
	u64 before, guest, after;

	before = arm_counter();
	if (vcpu_get_reg(vm->vcpus[0], KVM_REG_ARM_TIMER_CNT, &guest))
		return -1;
	after = arm_counter();
	*origin = before + (after - before) / 2 - guest;
	return 0;
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
		set_affinity(vm, vm->vcpus[i]->thread);
	}
}

void vcpus_stop_and_join(struct vm *vm)
{
	vcpus_resume(vm);	/* parked threads must see the stop */
	pthread_mutex_lock(&vm->park.lock);
	pthread_cond_broadcast(&vm->park.cond);
	pthread_mutex_unlock(&vm->park.lock);
	kick_all(vm);
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		pthread_join(vm->vcpus[i]->thread, NULL);
}

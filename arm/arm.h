/* SPDX-License-Identifier: GPL-2.0-only */
/* vCPUs, the device tree and booting: what the rest of gicvm asks of arm/. */
#ifndef GICVM_ARM_H
#define GICVM_ARM_H

#include <stdio.h>

#include "gicvm/util.h"

struct vm;
struct vcpu;
struct boot_layout;
struct gic;
struct device;

/*
 * The generic timer's virtual counter as this thread sees it, and its
 * frequency: the clock of gicvm's timeline (--json-summary), so that a
 * guest's reading of its own counter can be placed on it.
 */
static inline u64 arm_counter(void)
{
	u64 v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static inline u64 arm_counter_hz(void)
{
	u64 v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/*
 * The value of arm_counter() at the moment the guest's virtual counter
 * read 0 (KVM offsets it), from vCPU 0's KVM_REG_ARM_TIMER_CNT.
 */
int vcpus_guest_counter_origin(struct vm *vm, u64 *origin);

/* Exit with one line if this host's KVM lacks a vCPU feature asked for. */
void vcpus_check_features(struct vm *vm);
/* Create and KVM_ARM_VCPU_INIT every vCPU; secondaries start powered off. */
void vcpus_create(struct vm *vm);

/* The MPIDR_EL1 affinity KVM gave vCPU @id, as the DT "reg" wants it. */
u64 vcpu_mpidr(const struct vm *vm, unsigned int id);

/* --debug-single-step: every vCPU stops, and is logged, after each instruction. */
int single_step_start(struct vm *vm);

/* Point the boot vCPU at the kernel with x0 = the device tree. */
int vcpu_set_boot_regs(struct vm *vm, u64 entry, u64 fdt_addr);

/* Set up parking before anyone (gdb, pause) may ask for it. */
void vcpus_init_park(struct vm *vm);

/* Start one thread per vCPU; vcpus_join() waits for them after vm stop. */
void vcpus_start(struct vm *vm);
void vcpus_stop_and_join(struct vm *vm);

struct arm_reg {
	const char *name;
	u64 id;			/* KVM_GET_ONE_REG id */
};

/* The EL1 system registers a debugger shows (sp_el1 ... tcr_el1). */
const struct arm_reg *arm_el1_regs(size_t *n);

/*
 * Print a vCPU's x0-x30, sp, pc, pstate (and with @with_el1 its EL1 system
 * registers) as text or as one JSON object. The vCPU must not be running.
 */
void vcpu_print_regs(struct vcpu *vcpu, FILE *out, bool with_el1, bool json);

/* Translate a guest virtual address with @vcpu's stage-1 tables (MMU off: 1:1). */
int guest_va_to_pa(struct vcpu *vcpu, u64 va, u64 *pa);

/* Give each vCPU its PMU overflow interrupt (--pmu); after gic_finalize(). */
void vcpus_init_pmu(struct vm *vm);

/* KVM's statistics of every vCPU into @r, as "vcpuN" objects. */
struct report;
void vcpus_report_stats(struct vm *vm, struct report *r);

/*
 * Snapshots (arm/vcpu_state.c; the vCPUs parked): one vCPU's registers,
 * power state and pending events, and the guest's virtual counter, which
 * is the VM's and is written back last. 0, or -1 after saying why.
 */
struct state;
int vcpu_save(struct vcpu *vcpu, struct state *s);
int vcpu_restore(struct vcpu *vcpu, struct state *s);
int vcpus_save_counter(struct vm *vm, u64 *cnt);
/* One offset for the virtual and physical counters, where KVM has it (after vcpus_create()). */
void vcpus_init_counter(struct vm *vm);
int vcpus_restore_counter(struct vm *vm, u64 cnt);
/* The SNAP_FEAT_SVE and SNAP_FEAT_PTRAUTH the vCPUs were made with. */
u64 vcpus_features(const struct vm *vm);

/* Reset every vCPU to its power-on state (a reboot; all of them parked). */
int vcpus_reset(struct vm *vm);

/* Stop every vCPU outside KVM_RUN (for register reads) and let them go again. */
void vcpus_pause(struct vm *vm);
void vcpus_resume(struct vm *vm);

/* Everything the device tree describes; filled from the live VM by run.c. */
struct fdt_desc {
	u64 ram_base;
	u64 ram_size;
	unsigned int nr_cpus;
	const u64 *mpidrs;		/* per vCPU, as KVM assigned them */
	const char *bootargs;
	u64 initrd_start;		/* 0: no initrd */
	u64 initrd_end;
	const char *stdout_path;	/* DT path of the console, or NULL */
	bool pmu;			/* an arm,armv8-pmuv3 node (--pmu) */
	bool nested;			/* the guest has EL2: PSCI by SMC, EL2 timers */
	u64 kaslr_seed;			/* /chosen/kaslr-seed; 0: none */
	u32 timer_frequency;		/* the timer's clock-frequency; 0: the counter's own */
	const struct gic *gic;
	struct device *devices;
};

/*
 * Build the device tree into @buf (@size bytes): memory, cpus, psci, timer,
 * the GIC and every device. Returns 0, or -1 if it does not fit.
 */
int fdt_build(const struct fdt_desc *d, void *buf, size_t size);
size_t fdt_totalsize_of(const void *fdt);

#endif

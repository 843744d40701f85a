/* SPDX-License-Identifier: GPL-2.0-only */
/* vCPUs, the device tree and booting: what the rest of gicvm asks of arm/. */
#ifndef GICVM_ARM_H
#define GICVM_ARM_H

#include "gicvm/util.h"

struct vm;
struct vcpu;
struct boot_layout;
struct gic;
struct device;

/* Create and KVM_ARM_VCPU_INIT every vCPU; secondaries start powered off. */
void vcpus_create(struct vm *vm);

/* The MPIDR_EL1 affinity KVM gave vCPU @id, as the DT "reg" wants it. */
u64 vcpu_mpidr(const struct vm *vm, unsigned int id);

/* Point the boot vCPU at the kernel with x0 = the device tree. */
void vcpu_set_boot_regs(struct vm *vm, u64 entry, u64 fdt_addr);

/* Start one thread per vCPU; vcpus_join() waits for them after vm stop. */
void vcpus_start(struct vm *vm);
void vcpus_stop_and_join(struct vm *vm);

/* Print a vCPU's PC, PSTATE and x0-x30/SP on stderr. */
void vcpu_dump_regs(struct vcpu *vcpu);

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
	const struct gic *gic;
	struct device *devices;
};

/*
 * Build the device tree into @buf (@size bytes): memory, cpus, psci, timer,
 * the GIC and every device. Returns 0, or -1 if it does not fit.
 */
int fdt_build(const struct fdt_desc *d, void *buf, size_t size);

#endif

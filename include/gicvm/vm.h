/* SPDX-License-Identifier: GPL-2.0-only */
/* The virtual machine: KVM handles, guest RAM, vCPUs and the devices on it. */
#ifndef GICVM_VM_H
#define GICVM_VM_H

#include <pthread.h>
#include <stdatomic.h>

#include "gicvm/config.h"
#include "gicvm/ioloop.h"
#include "gicvm/mmio.h"
#include "gicvm/util.h"

struct gic;
struct vcpu;
struct device;
struct pci_bus;

/* Why the VM stopped: gicvm's exit status (see README). */
enum vm_exit {
	VM_RUNNING = -1,
	VM_EXIT_POWEROFF = 0,	/* PSCI SYSTEM_OFF, or `gicvm stop` */
	VM_EXIT_ERROR = 1,	/* failed entry, internal error, bad vCPU state */
	VM_EXIT_RESET = 2,	/* PSCI SYSTEM_RESET with --reboot exit */
	VM_EXIT_TIMEOUT = 124,	/* --timeout ran out */
	VM_EXIT_NO_COMMAND = 125,	/* gicvm could not run the guest command */
	VM_EXIT_SIGNAL = 128,	/* + the signal: SIGTERM, SIGINT, SIGHUP */
	VM_EXIT_PANIC = 250,	/* the guest kernel panicked (pvpanic) */
	VM_EXIT_COMMAND_LOST = 251,	/* the guest stopped before its command ended */
	VM_EXIT_BACKEND = 252,	/* a backend died under a guest command */
};

/* gicvm's own counters, printed by --stats. */
struct vm_stats {
	atomic_ulong exits_mmio;	/* KVM_EXIT_MMIO: accesses gicvm emulated */
	atomic_ulong exits_other;	/* every other KVM_RUN return */
	atomic_ulong notify_mmio_exits;	/* virtio QueueNotify that missed its ioeventfd */
	atomic_ulong irq_line_calls;	/* KVM_IRQ_LINE ioctls (only --irq-inject ioctl) */
	atomic_ulong signal_msi_calls;	/* KVM_SIGNAL_MSI ioctls (only --irq-inject ioctl) */
	atomic_ulong irq_ack_exits;	/* virtio InterruptStatus/ACK or ISR reads: per-interrupt exits */
	long long host_maint_start;	/* the host's vGIC maintenance interrupts at start; -1: unknown */
};

/*
 * Moments of one run, in host counter ticks (arm_counter()), for
 * --json-summary: how long gicvm takes to get a guest going, and where the
 * guest's own counter (which a guest program can report) starts.
 */
struct vm_timeline {
	u64 start;		/* `gicvm run` began */
	u64 guest_origin;	/* the guest's virtual counter read 0 */
	u64 first_run;		/* vCPU 0 entered KVM_RUN the first time */
	u64 stop;		/* the exit reason was set */
};

/* Parking the vCPU threads outside KVM_RUN (arm/vcpu.c). */
struct vcpu_park {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool requested;
	unsigned int parked;		/* threads waiting in the park */
	unsigned int alive;		/* threads that have not returned */
};

struct vm {
	const struct vm_config *cfg;
	int kvm_fd;
	int vm_fd;
	int stats_fd;			/* KVM_GET_STATS_FD of the VM */
	unsigned int ipa_bits;

	u8 *ram;
	u64 ram_base;
	u64 ram_size;
	int ram_fd;			/* memfd behind RAM a backend maps, or -1 */
	bool ram_from_file;		/* --restore: a snapshot's memory file, copy-on-write */

	unsigned int nr_cpus;
	struct vcpu **vcpus;
	bool has_counter_offset;	/* KVM_ARM_SET_COUNTER_OFFSET set counter_offset */
	u64 counter_offset;		/* the host's counter minus the guest's (both) */
	struct gic *gic;
	struct mmio_bus mmio;
	struct device *devices;
	struct pci_bus *pci;		/* hw/pci.c: made by the first function */
	unsigned int nr_virtio_mmio;	/* virtio-mmio slots taken */

	struct vm_stats stats;
	struct vm_timeline timeline;
	struct vcpu_park park;
	bool paused;			/* by `gicvm pause` */
	struct ioloop loop;		/* served by the main thread (ioloop.h) */
	struct ioloop_entry stop;	/* eventfd: wakes the I/O loop to stop */
	struct ioloop_entry reboot;	/* eventfd: the guest asked for a reset */
	unsigned int reboots;
	atomic_int exit_reason;		/* enum vm_exit (+ signal), first writer wins */
	atomic_int command_status;	/* the guest command's, 0-255; -1: none yet */
	atomic_bool backend_failed;	/* a device's backend (virtiofsd) died */
	int console_fd;			/* the guest console's output; -1: kept in memory only */
	int console_in_fd;		/* its input (stdin, --tty's pty); -1: none */
	const char *console_pty;	/* --tty's pty, or NULL */
};

/* Open /dev/kvm, create the VM and its RAM (errors are fatal). */
void vm_create(struct vm *vm, const struct vm_config *cfg);

/* Guest RAM at @gpa..@gpa+@len, or NULL if any of it lies outside RAM. */
static inline void *guest_ram(struct vm *vm, u64 gpa, u64 len)
{
	if (gpa < vm->ram_base || len > vm->ram_size ||
	    gpa - vm->ram_base > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - vm->ram_base);
}

/*
 * A KVM ioeventfd: a guest write of @len bytes of @datamatch at @addr
 * signals the returned eventfd inside the kernel, with no exit to gicvm.
 */
int vm_ioeventfd(struct vm *vm, u64 addr, u32 len, u64 datamatch);
/* Attach (or with !@assign detach) an existing eventfd as such an ioeventfd. */
int vm_ioeventfd_assign(struct vm *vm, int fd, u64 addr, u32 len, u64 datamatch, bool assign);

/* The guest reset itself: have the I/O loop boot it again (vm->reboot.fn). */
void vm_request_reboot(struct vm *vm);

/* Zero guest RAM and give its pages back to the host (a reboot). */
void vm_clear_ram(struct vm *vm);

/* Record why the VM stops (the first reason sticks) and wake the main loop. */
void vm_request_stop(struct vm *vm, int reason);

#endif

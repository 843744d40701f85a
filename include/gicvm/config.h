/* SPDX-License-Identifier: GPL-2.0-only */
/* What the user asked for on the command line of `gicvm run`. */
#ifndef GICVM_CONFIG_H
#define GICVM_CONFIG_H

#include <sched.h>

#include "gicvm/util.h"
#include "../../gic/gic.h"

#define CONFIG_DEFAULT_MEM_MIB	256
#define CONFIG_MAX_CPUS		512	/* GICv3 redistributors gicvm places */
/* Room for the device kinds' own configurations (disks' paths the most). */
#define CONFIG_DEVICE_BYTES	(64 << 10)

enum console_kind {
	CONSOLE_SERIAL,		/* 8250 UART, ttyS0 */
	CONSOLE_VIRTIO,		/* virtio-console, hvc0 */
};

enum virtio_transport {
	TRANSPORT_AUTO,		/* pci when the GIC has an MSI controller, else mmio */
	TRANSPORT_MMIO,
	TRANSPORT_PCI,
};

enum reboot_action {
	REBOOT_RESTART,		/* PSCI SYSTEM_RESET boots the guest again in place */
	REBOOT_EXIT,		/* gicvm exits with status 2 */
};

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *firmware;	/* -f: a raw binary at the start of RAM, instead of a kernel */
	u64 fw_address;		/* --firmware-address: where -f goes instead; 0: RAM's start */
	u64 kaslr_seed;		/* --kaslr-seed: /chosen/kaslr-seed; 0: none */
	u32 timer_frequency;	/* --override-bad-firmware-cntfrq: the timer's clock-frequency */
	const char *kvm_dev;	/* --dev: the KVM device; NULL: /dev/kvm */
	const char *params;
	unsigned int nr_cpus;
	u64 mem_mib;
	enum gic_type gic;
	bool default_guest;	/* no -k: boot the installed default guest */
	enum console_kind console;	/* which device is the console: 8250 or virtio */
	enum virtio_transport transport;
	enum reboot_action reboot;
	bool stats;		/* print gicvm's counters at exit */
	bool no_sandbox;	/* no seccomp filters, capabilities kept */
	const char *sandbox_test;	/* hidden: a forbidden call once sandboxed, or NULL */
	bool irq_inject_ioctl;	/* hidden, for benchmarks: no irqfds (gic_inject_by_ioctl) */
	bool nodefaults;	/* bootargs are exactly --params */
	bool pmu;
	bool mem_prealloc;	/* --mem-prealloc: all of RAM reserved and touched at start */
	const char *hugetlbfs;	/* --hugetlbfs DIR: RAM from a file in that hugetlbfs */
	bool hugepages;		/* --hugepages: RAM from a huge-page memfd */
	bool debug_mmio;	/* --debug-mmio: every userspace MMIO access logged */
	bool debug_single_step;	/* --debug-single-step: a line per guest instruction */
	unsigned int sve_max_vl;	/* bits; 0: the longest the host allows */
	bool disable_sve;		/* --disable-sve (else SVE whenever KVM has it) */
	bool disable_ptrauth;		/* --disable-ptrauth (else whenever KVM has it) */
	bool aarch32;			/* --aarch32: a 32-bit EL1 guest (a zImage) */
	bool nested;			/* --nested: the guest starts at EL2 and may run KVM */
	bool e2h0;			/* --e2h0: ... with HCR_EL2.E2H RES0 (non-VHE) */
	const char *name;	/* for the control socket; default "gicvm-<pid>" */
	const char *dump_dtb;	/* write the DT here and exit */
	const char *json_summary;
	const char *console_log;	/* --console-log: the guest console's output */
	bool tty;			/* --tty 0: the console on a new pty */
	/* -- COMMAND [ARGS...] (or --sandbox SCRIPT): run in the guest, or NULL */
	const char *const *command;
	unsigned int command_argc;
	const char *script_argv[3];	/* --sandbox's command: /bin/sh SCRIPT */
	unsigned int timeout;	/* seconds; 0: none */
	const char *restore;	/* --restore DIR: start from that snapshot */
	int argc;		/* the command line parsed (argv[0] is "run") */
	char **argv;
	const char *gdb;	/* [ADDR:]PORT of the GDB stub, or NULL */
	bool gdb_wait;		/* hold the guest until gdb connects */
	bool has_affinity;
	cpu_set_t affinity;	/* host CPUs for the vCPU threads */
	/* What each device kind's own options filled: see device_config(). */
	unsigned char device_configs[CONFIG_DEVICE_BYTES] __attribute__((aligned(16)));
};

enum config_result {
	CONFIG_OK,
	CONFIG_HELP,		/* --help was printed; exit 0 */
	CONFIG_ERROR,		/* an error was printed; exit non-zero */
};

enum config_result config_parse_run(struct vm_config *cfg, int argc, char **argv);
void config_usage_run(void);

/*
 * The options of a `gicvm run` command line, one span each: getopt's code,
 * where it starts in @argv, how many elements it takes, and whether it
 * belongs to one run only (--name, --json-summary, --timeout...) rather
 * than to the machine. How many; -1 for a command line that is not only
 * options (for a snapshot's, which never has a command).
 */
struct option_span {
	int code;
	int start, len;
	bool one_run;
};
int config_option_spans(int argc, char **argv, struct option_span *spans, int max);

/*
 * --restore: the command line of the snapshot's VM (@saved, argv[0]
 * included) with what the user gave now (@argc, @argv) on top. The saved
 * options of one run are dropped, and an option given now replaces every
 * saved one of its kind (-d new.img replaces the saved disks). The result
 * points into both and is freed with one free(). 0, or -1 (said why).
 */
int config_restore_argv(int saved_argc, char **saved, int argc, char **argv,
			int *out_argc, char ***out_argv);

/* "0-3,6": a list of host CPUs. */
int parse_cpulist(const char *s, cpu_set_t *set);


#endif

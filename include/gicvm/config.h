/* SPDX-License-Identifier: GPL-2.0-only */
/* What the user asked for on the command line of `gicvm run`. */
#ifndef GICVM_CONFIG_H
#define GICVM_CONFIG_H

#include <sched.h>

#include "gicvm/util.h"
#include "../../gic/gic.h"

#define CONFIG_DEFAULT_MEM_MIB	256
#define CONFIG_MAX_CPUS		512	/* GICv3 redistributors gicvm places */

#define CONFIG_MAX_DISKS	8

struct disk_config {
	char path[4096];
	bool readonly;
	bool direct;		/* O_DIRECT: bypass the host page cache */
};

enum console_kind {
	CONSOLE_SERIAL,		/* 8250 UART, ttyS0 */
	CONSOLE_VIRTIO,		/* virtio-console, hvc0 */
};

enum net_mode {
	NET_NONE,
	NET_TAP,
	NET_USER,		/* passt: no tap, no root */
};

struct net_config {
	enum net_mode mode;
	char tapif[16];		/* IFNAMSIZ; empty: the kernel picks tapN */
	u8 mac[6];
	bool mac_set;
	bool vhost;		/* vhost=on: the data path in the kernel's vhost-net */
	char socket[108];	/* mode=user: a running passt's socket; empty: start one */
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
	const char *params;
	unsigned int nr_cpus;
	u64 mem_mib;
	enum gic_type gic;
	bool default_guest;	/* no -k: boot the installed default guest */
	struct disk_config disks[CONFIG_MAX_DISKS];
	unsigned int nr_disks;
	struct net_config net;
	enum console_kind console;
	bool rng;
	u64 vsock_cid;		/* --vsock: the guest's CID; 0: no vsock device */
	enum virtio_transport transport;
	enum reboot_action reboot;
	bool stats;		/* print gicvm's counters at exit */
	bool no_sandbox;	/* no seccomp filters, capabilities kept */
	bool sandbox_test;	/* hidden: a forbidden call once sandboxed */
	bool irq_inject_ioctl;	/* hidden, for benchmarks: no irqfds (gic_inject_by_ioctl) */
	bool nodefaults;	/* bootargs are exactly --params */
	bool pmu;
	unsigned int sve_max_vl;	/* bits; 0: no SVE */
	const char *name;	/* for the control socket; default "gicvm-<pid>" */
	const char *dump_dtb;	/* write the DT here and exit */
	const char *json_summary;
	unsigned int timeout;	/* seconds; 0: none */
	const char *gdb;	/* [ADDR:]PORT of the GDB stub, or NULL */
	bool gdb_wait;		/* hold the guest until gdb connects */
	bool has_affinity;
	cpu_set_t affinity;	/* host CPUs for the vCPU threads */
};

enum config_result {
	CONFIG_OK,
	CONFIG_HELP,		/* --help was printed; exit 0 */
	CONFIG_ERROR,		/* an error was printed; exit non-zero */
};

enum config_result config_parse_run(struct vm_config *cfg, int argc, char **argv);
void config_usage_run(void);

/* "PATH[,ro][,direct]" */
int parse_disk(const char *spec, struct disk_config *disk);
/*
 * "mode=tap|user|none[,tapif=NAME][,guest_mac=aa:bb:cc:dd:ee:ff][,vhost=on|off]
 * [,socket=PATH]": vhost and tapif with tap only, socket with user only.
 */
int parse_net(const char *spec, struct net_config *net);

/* "0-3,6": a list of host CPUs. */
int parse_cpulist(const char *s, cpu_set_t *set);

/* Strict unsigned parsing: digits only, no overflow, within [min, max]. */
int parse_uint(const char *s, u64 min, u64 max, u64 *out);

#endif

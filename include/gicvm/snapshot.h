/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Snapshots of a whole VM: `gicvm snapshot DIR` (the client opens DIR's
 * two files and hands them to the running VM over its control socket) and
 * `gicvm run --restore DIR`. DIR holds "state" (include/gicvm/snapfile.h:
 * the command line, every vCPU, the vGIC and ITS, every device) and
 * "memory" (guest RAM, a sparse file: pages never written are holes).
 */
#ifndef GICVM_SNAPSHOT_H
#define GICVM_SNAPSHOT_H

#include <stdio.h>

#include "gicvm/snapfile.h"

struct vm;
struct vm_config;

#define SNAP_STATE_FILE		"state"
#define SNAP_MEMORY_FILE	"memory"

/* What a snapshot wrote, and how long it took (the vCPUs parked). */
struct snapshot_stats {
	size_t state_bytes;
	u64 ram_pages;			/* 4 KiB pages written (not zero) */
	u64 ram_pages_all;
	u64 ms;
};

/*
 * Save the VM into @state_fd and @mem_fd (both truncated first). The
 * caller has parked the vCPUs. The devices finish their requests in
 * flight first. 0 with @st filled, or -1 after saying why.
 */
int snapshot_save(struct vm *vm, int state_fd, int mem_fd, struct snapshot_stats *st);

struct snapshot {
	u8 *buf;			/* the state file */
	size_t len;
	struct snap_image img;
	int mem_fd;
	int argc;			/* its command line */
	char **argv;
};

/* Read DIR's snapshot and check all of it. 0, or -1 (said why). */
int snapshot_open(const char *dir, struct snapshot *snap);
/* Whether @cfg (parsed from the merged command line) builds that machine. */
int snapshot_check_config(const struct snapshot *snap, struct vm_config *cfg);
/* Guest RAM from the memory file, copy-on-write (after vm_create()). */
int snapshot_map_ram(struct vm *vm, const struct snapshot *snap);
/* The vCPUs, the vGIC and the devices back (after devices_start()). */
int snapshot_restore(struct vm *vm, const struct snapshot *snap);

#endif

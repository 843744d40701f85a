/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GDB stub (--gdb unix:PATH, or tcp:[ADDR:]PORT): the remote serial
 * protocol for an aarch64 target, one thread per vCPU, served on the I/O
 * thread.
 */
#ifndef GICVM_ARM_GDB_H
#define GICVM_ARM_GDB_H

#include "gicvm/util.h"

struct vm;

/* What is wrong with --gdb @where, or NULL: for the command line (KVM-free). */
const char *gdb_where_error(const char *where);

/* Listen; with @wait the vCPUs hold at their first instruction for gdb. */
int gdb_start(struct vm *vm, const char *where, bool wait);

/* At exit: remove the unix socket, if the stub made one. */
void gdb_stop(void);

#endif

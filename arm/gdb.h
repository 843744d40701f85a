/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GDB stub (--gdb [ADDR:]PORT): the remote serial protocol for an
 * aarch64 target, one thread per vCPU, served on the I/O thread.
 */
#ifndef GICVM_ARM_GDB_H
#define GICVM_ARM_GDB_H

#include "gicvm/util.h"

struct vm;

/* Listen; with @wait the vCPUs hold at their first instruction for gdb. */
int gdb_start(struct vm *vm, const char *where, bool wait);

#endif

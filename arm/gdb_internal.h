/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the GDB stub's protocol (gdbstub.c) and target access (gdb_target.c). */
#ifndef GICVM_GDB_INTERNAL_H
#define GICVM_GDB_INTERNAL_H

#include "gicvm/util.h"

struct vcpu;

#define NR_GDB_REGS	68		/* x0-30, sp, pc, cpsr, v0-31, fpsr, fpcr */

void gdb_to_hex(char *out, const void *buf, size_t len);
int gdb_from_hex(const char *in, void *buf, size_t len);

/* gdb's register @n: its KVM id in @id; returns its size in bytes, or -1. */
int gdb_reg_of(int n, u64 *id);
int gdb_read_reg(struct vcpu *v, int n, u8 *out);
int gdb_write_reg(struct vcpu *v, int n, const u8 *in);

/* The guest's SVE vector length in quadwords (0: no SVE): sets the register set. */
void gdb_target_set_sve(unsigned int vq);

/* The target description gdb reads with qXfer:features:read:target.xml. */
size_t gdb_target_xml(char *buf, size_t len);

/* Listen where --gdb says (gdb_listen.c); -1 with errno. */
int gdb_listen(const char *where);
/* Whether the peer on @fd may debug: on the unix socket, only our own uid. */
bool gdb_peer_allowed(int fd);
/* The unix socket's directory (open, for removing it at exit), or -1. */
int gdb_listen_dir(void);

int gdb_access_mem(struct vcpu *v, bool phys, u64 addr, u8 *buf, size_t len, bool write);

#endif

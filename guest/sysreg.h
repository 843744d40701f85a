/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * System register access for the AArch64 bare test programs (snapirq.c,
 * nested.c, itsmsi.c), by encoding name (S3_0_C12_C12_0: ICC_IAR1_EL1),
 * which any assembler takes. A write is followed by an ISB, so what it
 * changes holds for the next instruction.
 */
#ifndef GICVM_GUEST_SYSREG_H
#define GICVM_GUEST_SYSREG_H

#include <stdint.h>

#define sysreg_write(reg, v) \
	asm volatile("msr " #reg ", %0; isb" :: "r"((uint64_t)(v)) : "memory")
#define sysreg_read(reg) ({ uint64_t _v; asm volatile("mrs %0, " #reg : "=r"(_v)); _v; })

#endif

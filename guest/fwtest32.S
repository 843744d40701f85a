/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of test-firmware32.img (guest/fwtest.c built for arm): a 32-bit
 * "kernel" for --aarch32, with a zImage header so gicvm takes it as one
 * (Documentation/arch/arm/booting.rst: r0 = 0, r1 = machine type, here ~0
 * for a DT, r2 = the DT's address, SVC mode). A stack 1 MiB above the
 * load address, then fw_aarch32(dtb, r1, cpsr); it powers off through
 * PSCI (HVC, SMC32 calling convention) when that returns.
 */
#define PSCI_SYSTEM_OFF		0x84000008

	.section .text.entry, "ax"
	.arm
	.globl	_start
_start:
	.rept	8
	mov	r0, r0
	.endr
	b	1f
	.word	0x016f2818		@ zImage magic, at 0x24
	.word	_start			@ where it runs
	.word	_end			@ where it ends
1:	adr	r3, _start
	add	sp, r3, #0x100000
	mov	r0, r2
	mrs	r2, cpsr
	bl	fw_aarch32
	ldr	r0, =PSCI_SYSTEM_OFF
	hvc	#0
2:	wfi
	b	2b
	.ltorg

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of gicvm's 32-bit bare test programs (test-firmware32.img,
 * test-vgic32.img): a 32-bit "kernel" for --aarch32, with a zImage header
 * so gicvm takes it as one (Documentation/arch/arm/booting.rst: r0 = 0,
 * r1 = machine type, here ~0 for a DT, r2 = the DT's address, SVC mode).
 * A stack 1 MiB above the load address and vectors that report any
 * exception (fw_exception) and reset, then fw_aarch32(dtb, r1, cpsr).
 * Through PSCI (HVC, SMC32 calling convention) it powers off when that
 * returns 0 and resets otherwise: with --reboot exit, gicvm's status is
 * 0 or 2.
 */
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009

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
	adr	r0, vectors
	mcr	p15, 0, r0, c12, c0, 0	@ VBAR
	isb
	mov	r0, r2
	mrs	r2, cpsr
	bl	fw_aarch32
	cmp	r0, #0
	ldreq	r0, =PSCI_SYSTEM_OFF
	ldrne	r0, =PSCI_SYSTEM_RESET
psci:	hvc	#0
2:	wfi
	b	2b

	/* Exceptions are not expected: say which, and reset. */
	.macro	vector name
	adr	r3, _start
	add	sp, r3, #0x0f0000	@ a stack of its own, below the main one
	adr	r0, \name
	mov	r1, lr
	bl	fw_exception
	ldr	r0, =PSCI_SYSTEM_RESET
	b	psci
	.endm

	.align	5
vectors:
	b	.			@ reset
	b	undef
	b	svc
	b	pabort
	b	dabort
	b	.
	b	irq
	b	fiq
undef:	vector	undef_name
svc:	vector	svc_name
pabort:	vector	pabort_name
dabort:	vector	dabort_name
irq:	vector	irq_name
fiq:	vector	fiq_name
	.ltorg
undef_name:	.asciz	"undefined instruction"
svc_name:	.asciz	"SVC"
pabort_name:	.asciz	"prefetch abort"
dabort_name:	.asciz	"data abort"
irq_name:	.asciz	"IRQ"
fiq_name:	.asciz	"FIQ"
	.align	2

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of test-firmware.img (guest/fwtest.c): gicvm's -f loads it at the
 * start of RAM and enters it with the DT's address in x0. A stack below
 * the program's 1 MiB mark, then main(dtb); it powers off when main returns.
 */
#define PSCI_SYSTEM_OFF		0x84000008

	.section .text.entry, "ax"
	.globl	_start
_start:
	adr	x1, _start
	add	sp, x1, #0x100000
	bl	fw_main
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
1:	wfi
	b	1b
	.ltorg

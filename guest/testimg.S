/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tiny arm64 "kernels" that are not Linux, for gicvm's exit paths. Built
 * once per -DTEST_*: each has a valid Image header and does one thing.
 *   TEST_OFF       PSCI SYSTEM_OFF          -> gicvm exits 0
 *   TEST_RESET     PSCI SYSTEM_RESET        -> gicvm exits 2
 *   TEST_BAD_MMIO  an LDP to device memory: no syndrome, KVM cannot
 *                  emulate it               -> gicvm exits 1 with a dump
 */
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009

	.text
	.globl	_start
_start:
	b	entry			/* code0, code1 */
	.long	0
	.quad	0			/* text_offset */
	.quad	_end - _start		/* image_size */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0

entry:
	mov	x19, #0x1234		/* marks the register dump */
#if defined(TEST_OFF)
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
#elif defined(TEST_RESET)
	ldr	x0, =PSCI_SYSTEM_RESET
	hvc	#0
#elif defined(TEST_BAD_MMIO)
	mov	x2, #0x0a000000		/* no RAM, no device there */
	ldp	x0, x1, [x2]
#else
#error "which test image?"
#endif
1:	wfi
	b	1b
	.ltorg
_end:

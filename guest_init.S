/* SPDX-License-Identifier: GPL-2.0-only */
/* gicvm-init (guest/gicvm-init.c) inside gicvm: the initramfs --rootfs boots. */
	.section .rodata
	.balign 16
	.global gicvm_init_start
	.global gicvm_init_end
gicvm_init_start:
	.incbin GICVM_INIT
gicvm_init_end:
	.section .note.GNU-stack, "", %progbits

/* SPDX-License-Identifier: GPL-2.0-only */
/* What the guest boots, loaded into RAM at each boot (load.c). */
#ifndef GICVM_LOAD_H
#define GICVM_LOAD_H

#include <stdbool.h>

struct vm;
struct vm_config;

/*
 * Before the sandbox: build --rootfs's initramfs, pick the default guest
 * if there is no -k, and open the kernel and initrd for good. -1 said why.
 */
int guest_files_open(struct vm_config *cfg);

/* Kernel, initrd and DT into RAM; on the first boot only, --dump-dtb's file. -1 said why. */
int guest_load(struct vm *vm, bool first_boot);

#endif

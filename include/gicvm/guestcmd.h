/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --rootfs and `gicvm run -- COMMAND`: the initramfs gicvm builds in
 * memory (gicvm-init and the spec it follows, guest/gicvm-init.c), and
 * the exit status a run with a command ends with (README has the table).
 */
#ifndef GICVM_GUESTCMD_H
#define GICVM_GUESTCMD_H

#include <stddef.h>

#include "gicvm/config.h"

struct vm;

/* Whether @cfg asks for --rootfs or a command: gicvm then builds the initramfs. */
bool guestcmd_wanted(const struct vm_config *cfg);

/*
 * With --rootfs or a command: check the two fit the rest of @cfg, and build
 * the initramfs (@init: gicvm-init's binary) into @data/@len, with the
 * modules the root's /lib/modules/@release has of those the guest needs
 * (@release NULL: none). 0 with *@data NULL when neither was asked for;
 * -1 said why.
 */
int guestcmd_initramfs(const struct vm_config *cfg, const void *init, size_t init_len,
		       const char *release, void **data, size_t *len);

/* What the guest command's spec says, NUL-separated records; for tests too. */
int guestcmd_spec(const struct vm_config *cfg, char **spec, size_t *len);

/* gicvm's exit status for a VM that stopped for @reason (enum vm_exit). */
int guestcmd_exit_status(const struct vm_config *cfg, int reason, int command_status,
			 bool backend_failed);

/* Where in the console's @tail the panic report starts (0: all of it). */
size_t guestcmd_panic_start(const char *tail, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel modules a --rootfs guest needs before it can mount its root:
 * a distribution kernel (Debian's, say) builds overlayfs, and maybe
 * virtio-fs, the virtio transports or the console, as modules. They are
 * taken from the root directory's /lib/modules/RELEASE (RELEASE read from
 * the kernel image's banner), with what modules.dep says they need, and put
 * in the initramfs as gicvm/modules/NN-NAME.ko[.xz] in load order.
 * KVM-free.
 */
#ifndef GICVM_KMODS_H
#define GICVM_KMODS_H

#include <stddef.h>

#include "gicvm/cpio.h"

#define KMOD_DIR	"gicvm/modules"

/*
 * The release in an image's "Linux version RELEASE " banner, into @rel;
 * 0, or -1 if there is none (a bare binary, say: no modules then).
 */
int kernel_release(const u8 *image, size_t len, char *rel, size_t rel_len);

/*
 * Add the modules @root's /lib/modules/@release has of those gicvm's guest
 * init and devices use, and their dependencies, to @c. Returns how many,
 * or -1 after one message (an unreadable module, a modules.dep too big).
 * No module directory, or modules built in: 0, nothing to add.
 */
int kmods_add(struct cpio *c, const char *root, const char *release);

#endif

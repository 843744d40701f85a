/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An initramfs built in memory: the kernel's "newc" cpio format
 * (Documentation/driver-api/early-userspace/buffer-format.rst), uncompressed.
 */
#ifndef GICVM_CPIO_H
#define GICVM_CPIO_H

#include <stddef.h>

#include "gicvm/util.h"

struct cpio {
	u8 *data;
	size_t len, cap;
	unsigned int next_ino;
	bool failed;		/* out of memory: cpio_finish() says so */
};

/* A file (S_IFREG), directory (S_IFDIR, @data NULL) or device node (S_IFCHR, @rdev). */
void cpio_add(struct cpio *c, const char *name, unsigned int mode, const void *data,
	      size_t len);
void cpio_add_node(struct cpio *c, const char *name, unsigned int mode, unsigned int major,
		   unsigned int minor);
/* The trailer; 0, or -1 if memory ran out (the archive is then freed). */
int cpio_finish(struct cpio *c);

#endif

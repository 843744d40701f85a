// SPDX-License-Identifier: GPL-2.0-only
/* See gicvm/cpio.h: the "newc" format, every field 8 hex digits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/cpio.h"

static void append(struct cpio *c, const void *p, size_t len)
{
	if (c->failed)
		return;
	if (c->len + len + 4 > c->cap) {
		size_t cap = (c->len + len + 4) * 2;
		u8 *d = realloc(c->data, cap);

		if (!d) {
			c->failed = true;
			return;
		}
		c->data = d;
		c->cap = cap;
	}
	memcpy(c->data + c->len, p, len);
	c->len += len;
}

/* Names and data each end on a 4-byte boundary. */
static void pad4(struct cpio *c)
{
	static const u8 zeros[4];

	append(c, zeros, (4 - c->len % 4) % 4);
}

static void entry(struct cpio *c, const char *name, unsigned int mode, unsigned int rmajor,
		  unsigned int rminor, const void *data, size_t len)
{
	char hdr[111];

	/* magic ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check */
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++c->next_ino, mode, 0, 0, 1, 0, (unsigned int)len, 0, 0, rmajor, rminor,
		 (unsigned int)strlen(name) + 1, 0);
	append(c, hdr, 110);
	append(c, name, strlen(name) + 1);
	pad4(c);
	if (len) {
		append(c, data, len);
		pad4(c);
	}
}

void cpio_add(struct cpio *c, const char *name, unsigned int mode, const void *data, size_t len)
{
	entry(c, name, mode, 0, 0, data, data ? len : 0);
}

void cpio_add_node(struct cpio *c, const char *name, unsigned int mode, unsigned int major,
		   unsigned int minor)
{
	entry(c, name, mode, major, minor, NULL, 0);
}

int cpio_finish(struct cpio *c)
{
	entry(c, "TRAILER!!!", 0, 0, 0, NULL, 0);
	if (!c->failed)
		return 0;
	free(c->data);
	c->data = NULL;
	c->len = 0;
	return -1;
}

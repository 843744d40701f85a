/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A device's saved state, for snapshots: a flat little-endian record the
 * device writes and later reads back in the same order. Each part starts
 * with a tag, so a record from another layout is refused, not misread. A
 * read past the end or a failed check makes the record bad; the reader
 * looks once, at the end (state_ok()).
 */
#ifndef GICVM_STATE_H
#define GICVM_STATE_H

#include <stddef.h>

#include "gicvm/util.h"

struct state {
	u8 *buf;
	size_t len;		/* bytes written */
	size_t cap;
	size_t pos;		/* next byte to read */
	bool bad;		/* out of memory, past the end, or a check failed */
};

void state_init(struct state *s);
/* Read from @len bytes at @buf (not copied, not freed). */
void state_init_read(struct state *s, const void *buf, size_t len);
void state_free(struct state *s);

/* @bytes (1, 2, 4 or 8) of @v. */
void state_put(struct state *s, u64 v, unsigned int bytes);
void state_put_bytes(struct state *s, const void *p, size_t n);
/* A four-character tag that starts a part. */
void state_put_tag(struct state *s, const char tag[4]);

u64 state_get(struct state *s, unsigned int bytes);
void state_get_bytes(struct state *s, void *p, size_t n);
/* Check the next tag is @tag; marks the record bad if not. */
void state_expect_tag(struct state *s, const char tag[4]);
/* A value read that must be at most @max: marks the record bad if not. */
u64 state_get_max(struct state *s, unsigned int bytes, u64 max);

/* Whether everything written or read so far went right. */
static inline bool state_ok(const struct state *s)
{
	return !s->bad;
}

#endif

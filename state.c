// SPDX-License-Identifier: GPL-2.0-only
/* Saved device state (include/gicvm/state.h). */
#include <stdlib.h>
#include <string.h>

#include "gicvm/state.h"

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
}

void state_init_read(struct state *s, const void *buf, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->buf = (u8 *)buf;
	s->len = len;
}

void state_free(struct state *s)
{
	if (s->cap)
		free(s->buf);
	memset(s, 0, sizeof(*s));
}

void state_put_bytes(struct state *s, const void *p, size_t n)
{
	if (s->bad)
		return;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 256;
		u8 *buf;

		while (cap < s->len + n)
			cap *= 2;
		buf = realloc(s->buf, cap);
		if (!buf) {
			s->bad = true;
			return;
		}
		s->buf = buf;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

void state_put(struct state *s, u64 v, unsigned int bytes)
{
	u8 b[8];

	put_le(b, v, bytes);
	state_put_bytes(s, b, bytes);
}

void state_put_tag(struct state *s, const char tag[4])
{
	state_put_bytes(s, tag, 4);
}

void state_get_bytes(struct state *s, void *p, size_t n)
{
	if (s->bad || n > s->len - s->pos) {
		s->bad = true;
		memset(p, 0, n);
		return;
	}
	memcpy(p, s->buf + s->pos, n);
	s->pos += n;
}

u64 state_get(struct state *s, unsigned int bytes)
{
	u8 b[8];

	state_get_bytes(s, b, bytes);
	return s->bad ? 0 : get_le(b, bytes);
}

u64 state_get_max(struct state *s, unsigned int bytes, u64 max)
{
	u64 v = state_get(s, bytes);

	if (v > max)
		s->bad = true;
	return s->bad ? 0 : v;
}

void state_expect_tag(struct state *s, const char tag[4])
{
	char got[4];

	state_get_bytes(s, got, 4);
	if (memcmp(got, tag, 4))
		s->bad = true;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The snapshot state file's container (include/gicvm/snapfile.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gicvm/snapfile.h"

static const char snap_magic[8] = "GICVMSNP";

#define SECTION_HEAD	24

static u32 crc(const u8 *p, size_t len)
{
	return crc32(0, p, len);
}

void snap_begin(struct snap_writer *w, const struct snap_header *h)
{
	u8 head[SNAP_HEADER_BYTES] = { 0 };

	memcpy(head, snap_magic, 8);
	put_le(head + 8, SNAP_FORMAT_VERSION, 4);
	put_le(head + 12, SNAP_HEADER_BYTES, 4);
	memcpy(head + 16, h->gicvm_version, strnlen(h->gicvm_version, 16));
	put_le(head + 32, h->gic_type, 4);
	put_le(head + 36, h->nr_cpus, 4);
	put_le(head + 40, h->ram_size, 8);
	put_le(head + 48, h->features, 8);
	state_init(&w->out);
	state_put_bytes(&w->out, head, sizeof(head));
	w->nr_sections = 0;
}

/* A section's CRC covers its tag, index and length, then its data. */
static u32 section_crc(const u8 head[16], const u8 *data, u64 len)
{
	return crc32(crc(head, 16), data, len);
}

void snap_add(struct snap_writer *w, const char tag[4], u32 index, const struct state *payload)
{
	static const u8 zeroes[8];
	u8 head[16];

	if (!state_ok(payload)) {
		w->out.bad = true;
		return;
	}
	memcpy(head, tag, 4);
	put_le(head + 4, index, 4);
	put_le(head + 8, payload->len, 8);
	state_put_bytes(&w->out, head, sizeof(head));
	state_put(&w->out, section_crc(head, payload->buf, payload->len), 4);
	state_put(&w->out, 0, 4);
	state_put_bytes(&w->out, payload->buf, payload->len);
	state_put_bytes(&w->out, zeroes, ALIGN_UP(payload->len, 8) - payload->len);
	w->nr_sections++;
}

int snap_finish(struct snap_writer *w)
{
	if (!state_ok(&w->out))
		return -1;
	put_le(w->out.buf + 56, w->nr_sections, 4);
	put_le(w->out.buf + 60, crc(w->out.buf, 60), 4);
	return 0;
}

static bool zero_padding(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int refuse(char *why, size_t len, const char *what)
{
	snprintf(why, len, "%s", what);
	return -1;
}

static int parse_header(const u8 *buf, size_t len, struct snap_header *h, char *why, size_t wl)
{
	if (len < SNAP_HEADER_BYTES || memcmp(buf, snap_magic, 8))
		return refuse(why, wl, "not a gicvm snapshot (no GICVMSNP header)");
	h->version = get_le(buf + 8, 4);
	if (h->version != SNAP_FORMAT_VERSION) {
		snprintf(why, wl, "snapshot format version %u, this gicvm reads version %u",
			 h->version, SNAP_FORMAT_VERSION);
		return -1;
	}
	if (get_le(buf + 12, 4) != SNAP_HEADER_BYTES || get_le(buf + 60, 4) != crc(buf, 60))
		return refuse(why, wl, "the snapshot's header is corrupt (its CRC does not match)");
	memcpy(h->gicvm_version, buf + 16, 16);
	h->gicvm_version[16] = 0;
	h->gic_type = get_le(buf + 32, 4);
	h->nr_cpus = get_le(buf + 36, 4);
	h->ram_size = get_le(buf + 40, 8);
	h->features = get_le(buf + 48, 8);
	h->nr_sections = get_le(buf + 56, 4);
	if (h->nr_sections > SNAP_MAX_SECTIONS || !h->nr_cpus)
		return refuse(why, wl, "the snapshot's header is corrupt");
	return 0;
}

int snap_parse(const u8 *buf, size_t len, struct snap_image *img, char *why, size_t wl)
{
	size_t pos = SNAP_HEADER_BYTES;

	memset(img, 0, sizeof(*img));
	if (parse_header(buf, len, &img->h, why, wl))
		return -1;
	img->sec = calloc(img->h.nr_sections ? img->h.nr_sections : 1, sizeof(*img->sec));
	if (!img->sec)
		return refuse(why, wl, "out of memory");
	for (u32 i = 0; i < img->h.nr_sections; i++) {
		struct snap_section *s = &img->sec[i];

		if (len - pos < SECTION_HEAD)
			goto truncated;
		memcpy(s->tag, buf + pos, 4);
		s->index = get_le(buf + pos + 4, 4);
		s->len = get_le(buf + pos + 8, 8);
		pos += SECTION_HEAD;
		if (s->len > len - pos || ALIGN_UP(s->len, 8) > len - pos)
			goto truncated;
		s->data = buf + pos;
		if (get_le(buf + pos - 8, 4) != section_crc(buf + pos - SECTION_HEAD, s->data, s->len) ||
		    get_le(buf + pos - 4, 4) || !zero_padding(s->data + s->len, ALIGN_UP(s->len, 8) - s->len)) {
			snprintf(why, wl, "the snapshot's section %.4s %u is corrupt (its CRC does not match)",
				 s->tag, s->index);
			goto fail;
		}
		pos += ALIGN_UP(s->len, 8);
		img->nr++;
	}
	if (pos != len) {
		refuse(why, wl, "the snapshot has bytes after its last section");
		goto fail;
	}
	return 0;
truncated:
	refuse(why, wl, "the snapshot is truncated");
fail:
	snap_image_free(img);
	return -1;
}

void snap_image_free(struct snap_image *img)
{
	free(img->sec);
	img->sec = NULL;
	img->nr = 0;
}

const struct snap_section *snap_find(const struct snap_image *img, const char tag[4], u32 index)
{
	for (u32 i = 0; i < img->nr; i++)
		if (!memcmp(img->sec[i].tag, tag, 4) && img->sec[i].index == index)
			return &img->sec[i];
	return NULL;
}

void snap_put_argv(struct state *s, int argc, char *const *argv)
{
	state_put_tag(s, "ARGV");
	state_put(s, argc, 4);
	for (int i = 0; i < argc; i++)
		state_put_bytes(s, argv[i], strlen(argv[i]) + 1);
}

int snap_get_argv(const struct snap_section *sec, int *argc, char ***argv)
{
	struct state s;
	const char *p, *end = (const char *)sec->data + sec->len;
	u32 n;

	state_init_read(&s, sec->data, sec->len);
	state_expect_tag(&s, "ARGV");
	n = state_get_max(&s, 4, 1024);
	if (!state_ok(&s))
		return -1;
	*argv = calloc(n + 2, sizeof(**argv));
	if (!*argv)
		return -1;
	p = (const char *)sec->data + s.pos;
	for (u32 i = 0; i < n; i++) {
		const char *nul = memchr(p, 0, end - p);

		if (!nul) {
			free(*argv);
			*argv = NULL;
			return -1;
		}
		(*argv)[i] = (char *)p;
		p = nul + 1;
	}
	if (p != end) {
		free(*argv);
		*argv = NULL;
		return -1;
	}
	*argc = n;
	return 0;
}

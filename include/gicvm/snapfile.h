/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The snapshot's state file: a header that says what machine it is
 * (format and gicvm versions, GIC, vCPUs, RAM, the host features it
 * needs), then tagged sections (the configuration, each vCPU, the GIC,
 * each device), every one with its CRC-32. Guest RAM is in a file of its
 * own beside it (mapped copy-on-write on restore). KVM-free: the reader
 * checks everything before any of it is used, so a truncated or altered
 * file is refused as a whole.
 *
 * Layout, little-endian:
 *   0  "GICVMSNP"  8  format version (u32)  12 header bytes (u32, 64)
 *   16 gicvm version (16 bytes, NUL-padded)  32 GIC type (u32)
 *   36 vCPUs (u32)  40 RAM bytes (u64)  48 host features (u64)
 *   56 sections (u32)  60 CRC-32 of bytes 0..59 (u32)
 * then per section: tag (4), index (u32), length (u64), CRC-32 of the
 * data (u32), 0 (u32), the data, zeroes to a multiple of 8.
 */
#ifndef GICVM_SNAPFILE_H
#define GICVM_SNAPFILE_H

#include <stddef.h>

#include "gicvm/state.h"
#include "gicvm/util.h"

#define SNAP_FORMAT_VERSION	1
#define SNAP_HEADER_BYTES	64
#define SNAP_MAX_SECTIONS	4096

/* Host features a snapshot's vCPUs were made with (snap_header.features). */
#define SNAP_FEAT_SVE		(1ULL << 0)
#define SNAP_FEAT_PTRAUTH	(1ULL << 1)
#define SNAP_FEAT_PMU		(1ULL << 2)
#define SNAP_FEAT_AARCH32	(1ULL << 3)

struct snap_header {
	u32 version;
	char gicvm_version[17];		/* NUL-terminated */
	u32 gic_type;			/* enum gic_type */
	u32 nr_cpus;
	u64 ram_size;
	u64 features;
	u32 nr_sections;
};

struct snap_section {
	char tag[4];
	u32 index;
	const u8 *data;
	u64 len;
};

/* Writing: the header, then sections; snap_finish() fills in the count. */
struct snap_writer {
	struct state out;
	u32 nr_sections;
};

void snap_begin(struct snap_writer *w, const struct snap_header *h);
/* A section holding @payload's bytes. */
void snap_add(struct snap_writer *w, const char tag[4], u32 index, const struct state *payload);
/* 0, with the file in w->out; -1 if memory ran out. */
int snap_finish(struct snap_writer *w);

/* Reading: @buf stays owned by the caller and must outlive @img. */
struct snap_image {
	struct snap_header h;
	struct snap_section *sec;
	u32 nr;
};

/* 0, or -1 with why in @why (no newline). */
int snap_parse(const u8 *buf, size_t len, struct snap_image *img, char *why, size_t whylen);
void snap_image_free(struct snap_image *img);
/* The section @tag number @index, or NULL. */
const struct snap_section *snap_find(const struct snap_image *img, const char tag[4], u32 index);

/*
 * The configuration section: a command line (argv without argv[0]) in,
 * and back out as strings pointing into the section (freed with one
 * free() of *argv). 0, or -1 for a malformed one.
 */
void snap_put_argv(struct state *s, int argc, char *const *argv);
int snap_get_argv(const struct snap_section *sec, int *argc, char ***argv);

#endif

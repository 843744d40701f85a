/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counters and facts as text ("a.b.c=value" lines) or as JSON, from one
 * description: used by --stats, `gicvm stat`, `gicvm list` and --json-summary.
 */
#ifndef GICVM_REPORT_H
#define GICVM_REPORT_H

#include <stdio.h>

#include "gicvm/util.h"

#define REPORT_DEPTH	8

struct report {
	FILE *out;
	bool json;
	int depth;
	bool first[REPORT_DEPTH];
	const char *keys[REPORT_DEPTH];	/* text mode: the path so far */
};

void report_begin(struct report *r, FILE *out, bool json);
void report_end(struct report *r);
/* Open a nested object (@key NULL: an array element). */
void report_push(struct report *r, const char *key);
void report_pop(struct report *r);
void report_push_array(struct report *r, const char *key);
void report_pop_array(struct report *r);
void report_u64(struct report *r, const char *key, u64 v);
void report_str(struct report *r, const char *key, const char *v);

#endif

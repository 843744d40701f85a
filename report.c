// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "gicvm/report.h"

void report_begin(struct report *r, FILE *out, bool json)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->json = json;
	r->first[0] = true;
	if (json)
		fputc('{', out);
}

void report_end(struct report *r)
{
	if (r->json)
		fputs("}\n", r->out);
}

static void json_key(struct report *r, const char *key)
{
	if (!r->first[r->depth])
		fputs(", ", r->out);
	r->first[r->depth] = false;
	if (key)
		fprintf(r->out, "\"%s\": ", key);
}

static void text_key(struct report *r, const char *key)
{
	for (int i = 1; i <= r->depth; i++) {
		if (r->keys[i])
			fprintf(r->out, "%s.", r->keys[i]);
	}
	fprintf(r->out, "%s=", key);
}

static void push(struct report *r, const char *key, char open)
{
	if (r->depth + 1 >= REPORT_DEPTH)
		return;
	if (r->json) {
		json_key(r, key);
		fputc(open, r->out);
	}
	r->depth++;
	r->first[r->depth] = true;
	r->keys[r->depth] = key;
}

static void pop(struct report *r, char close)
{
	if (r->depth == 0)
		return;
	r->depth--;
	if (r->json)
		fputc(close, r->out);
}

void report_push(struct report *r, const char *key)
{
	push(r, key, '{');
}

void report_pop(struct report *r)
{
	pop(r, '}');
}

void report_push_array(struct report *r, const char *key)
{
	push(r, key, '[');
}

void report_pop_array(struct report *r)
{
	pop(r, ']');
}

void report_u64(struct report *r, const char *key, u64 v)
{
	if (r->json) {
		json_key(r, key);
		fprintf(r->out, "%llu", (unsigned long long)v);
	} else {
		text_key(r, key);
		fprintf(r->out, "%llu\n", (unsigned long long)v);
	}
}

void report_str(struct report *r, const char *key, const char *v)
{
	if (r->json) {
		json_key(r, key);
		fputc('"', r->out);
		for (const char *p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				fputc('\\', r->out);
			if ((unsigned char)*p >= 0x20)
				fputc(*p, r->out);
		}
		fputc('"', r->out);
	} else {
		text_key(r, key);
		fprintf(r->out, "%s\n", v);
	}
}

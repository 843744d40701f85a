// SPDX-License-Identifier: GPL-2.0-only
/*
 * json-get FILE PATH: print one value of a --json-summary, for scenarios
 * (the emulated host has no JSON tool). PATH is keys joined by '.'; a key
 * ending in '*' matches any key it begins (devices.virtio-net@*.kicks), a
 * number picks an array's element (vms.0.name; 0.pc in debug --dump's
 * array of vCPUs). A number or string prints
 * as it is, an object or array as "{...}"/"[...]".
 * Exit 1 if PATH is not there or the file is not JSON.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *p;		/* parse position */

static void skip_ws(void)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
}

/* A string's text (no escapes in gicvm's keys and values) into @buf. */
static bool string(char *buf, size_t len)
{
	size_t n = 0;

	if (*p != '"')
		return false;
	for (p++; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 < len)
			buf[n++] = *p;
	}
	buf[n] = 0;
	if (*p != '"')
		return false;
	p++;
	return true;
}

static bool key_matches(const char *key, const char *want, size_t want_len)
{
	if (want_len && want[want_len - 1] == '*')
		return !strncmp(key, want, want_len - 1);
	return strlen(key) == want_len && !strncmp(key, want, want_len);
}

/* Step over one value; false if it is not JSON. */
static bool skip(void)
{
	const char *start;
	char buf[8];

	skip_ws();
	if (*p == '"')
		return string(buf, sizeof(buf));
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		for (p++, skip_ws(); *p && *p != close; skip_ws()) {
			if (close == '}') {
				if (!string(buf, sizeof(buf)))
					return false;
				skip_ws();
				if (*p++ != ':')
					return false;
			}
			if (!skip())
				return false;
			skip_ws();
			if (*p == ',')
				p++;
		}
		return *p++ == close;
	}
	for (start = p; *p && !strchr(",}] \n", *p); p++)
		;
	return p != start;
}

static void print_value(void)
{
	const char *start = p;
	char buf[4096];

	if (*p == '{' || *p == '[')
		printf("%s\n", *p == '{' ? "{...}" : "[...]");
	else if (*p == '"' && string(buf, sizeof(buf)))
		printf("%s\n", buf);
	else if (skip())
		printf("%.*s\n", (int)(p - start), start);
}

static bool find(const char *path);

/* In the array at p: the element "N[.rest]" names; printed, true if found. */
static bool find_in_array(const char *path)
{
	char *end;
	unsigned long n = strtoul(path, &end, 10);

	if (end == path || (*end && *end != '.'))
		return false;
	for (p++, skip_ws(); n; n--, skip_ws()) {
		if (*p == ']' || !skip())
			return false;
		skip_ws();
		if (*p == ',')
			p++;
	}
	if (*p == ']')
		return false;
	if (!*end) {
		print_value();
		return true;
	}
	return find(end + 1);
}

/* In the object (or array) at p: the member @path names; printed, true if found. */
static bool find(const char *path)
{
	const char *dot = strchr(path, '.');
	size_t want_len = dot ? (size_t)(dot - path) : strlen(path);
	char key[256];

	if (*p == '[')
		return find_in_array(path);
	if (*p != '{')
		return false;
	for (p++, skip_ws(); *p && *p != '}'; skip_ws()) {
		if (!string(key, sizeof(key)))
			return false;
		skip_ws();
		if (*p++ != ':')
			return false;
		skip_ws();
		if (key_matches(key, path, want_len)) {
			if (!dot) {
				print_value();
				return true;
			}
			if (*p == '{' || *p == '[') {
				const char *at = p;

				if (find(dot + 1))
					return true;
				p = at;	/* not in there: another key may match */
			}
		}
		if (!skip())
			return false;
		skip_ws();
		if (*p == ',')
			p++;
	}
	return false;
}

int main(int argc, char **argv)
{
	static char text[1 << 22];
	FILE *f;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: json-get FILE PATH\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	p = text;
	skip_ws();
	if (*p != '{' && *p != '[') {
		fprintf(stderr, "json-get: %s is not a JSON object or array\n", argv[1]);
		return 1;
	}
	return find(argv[2]) ? 0 : 1;
}

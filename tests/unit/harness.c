// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static int failures;
static char captured[8192];
static int saved_stderr = -1;
static FILE *capture_file;
static char tmpdir[64];

void unit_fail(const char *file, int line, const char *what)
{
	failures++;
	fprintf(stdout, "    %s:%d: check failed: %s\n", file, line, what);
}

void stderr_capture_begin(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(capture_file), STDERR_FILENO);
}

const char *stderr_capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(capture_file);
	n = fread(captured, 1, sizeof(captured) - 1, capture_file);
	captured[n] = 0;
	fclose(capture_file);
	return captured;
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

const char *unit_temp_file(const char *name, const void *data, size_t len)
{
	static char path[256];
	FILE *f;

	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/gicvm-unit-XXXXXX");
		if (!mkdtemp(tmpdir))
			abort();
		atexit(remove_tmpdir);
	}
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
	return path;
}

int main(int argc, char **argv)
{
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int failed = 0;

	(void)argc;
	for (const struct unit_test *t = unit_tests; t->name; t++) {
		failures = 0;
		t->fn();
		printf("%s %s/%s\n", failures ? "FAIL" : "PASS", prog, t->name);
		failed += !!failures;
	}
	return failed ? 1 : 0;
}

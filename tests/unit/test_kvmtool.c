// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every option of kvmtool's `lkvm run` (tests/kvmtool-run-options.txt)
 * either works in gicvm, with a test named that shows it, or is refused
 * with the documented line; README's compatibility table has each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gicvm/config.h"
#include "harness.h"

#define LIST	"tests/kvmtool-run-options.txt"

static char *trim(char *s)
{
	char *end;

	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\n'))
		*--end = 0;
	return s;
}

/* Whether the test @name exists: a scenario, or test_FILE/NAME in tests/unit. */
static bool test_exists(const char *name)
{
	char path[256], needle[128], *text = NULL;
	const char *slash = strchr(name, '/');
	size_t len;
	FILE *f;
	bool found;

	if (!slash) {
		snprintf(path, sizeof(path), "tests/scenarios/%s.sh", name);
		return !access(path, R_OK);
	}
	snprintf(path, sizeof(path), "tests/unit/%.*s.c", (int)(slash - name), name);
	snprintf(needle, sizeof(needle), "TEST(%s)", slash + 1);
	f = fopen(path, "r");
	if (!f)
		return false;
	text = calloc(1, 1 << 20);
	len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	found = len && strstr(text, needle);
	free(text);
	return found;
}

/* README's compatibility table has a row for @option. */
static bool in_readme(const char *readme, const char *option)
{
	char row[64];

	snprintf(row, sizeof(row), "| `%s", option);
	return strstr(readme, row);
}

static void check_option(const char *readme, char *line)
{
	char *option = trim(strtok(line, "|")), *arg = trim(strtok(NULL, "|"));
	char *meaning = strtok(NULL, "|"), *what = trim(strtok(NULL, "|"));
	/* ARG may be several words: the option's value and what it needs besides. */
	char *argv[8] = { "run", option };
	int argc = 2;
	struct vm_config cfg;
	enum config_result r;
	const char *err;

	CHECK(meaning && what);
	if (!meaning || !what)
		return;
	if (strcmp(arg, "-")) {
		char *save = NULL;

		for (char *w = strtok_r(arg, " ", &save); w && argc < 7; w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
	}
	stderr_capture_begin();
	r = config_parse_run(&cfg, argc, argv);
	err = stderr_capture_end();
	if (!strncmp(what, "works: ", 7)) {
		if (r != CONFIG_OK || !test_exists(what + 7))
			printf("    %s %s: %s (%s)", option, arg, what, err);
		CHECK_EQ(r, CONFIG_OK);
		CHECK(test_exists(what + 7));
	} else {
		CHECK(!strncmp(what, "refused: ", 9));
		if (r != CONFIG_ERROR || !strstr(err, what + 9) || !strstr(err, option))
			printf("    %s: expected '%s', got: %s", option, what + 9, err);
		CHECK_EQ(r, CONFIG_ERROR);
		CHECK(strstr(err, what + 9) && strstr(err, option) && !strstr(err, "unknown option"));
		CHECK(strchr(err, '\n') == err + strlen(err) - 1);	/* one line */
	}
	if (!in_readme(readme, option))
		printf("    README's table has no row for %s\n", option);
	CHECK(in_readme(readme, option));
}

static void options(void)
{
	FILE *list = fopen(LIST, "r"), *f = fopen("README.md", "r");
	char line[512], *readme = calloc(1, 1 << 20);
	unsigned int n = 0;

	CHECK(list && f && readme);
	if (!list || !f || !readme)
		return;
	CHECK(fread(readme, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	while (fgets(line, sizeof(line), list)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		check_option(readme, line);
		n++;
	}
	fclose(list);
	free(readme);
	CHECK(n >= 50);		/* the whole list, not a part of it */
}

UNIT_TESTS(TEST(options));

// SPDX-License-Identifier: GPL-2.0-only
/* --rootfs and -- COMMAND: the initramfs's archive, the spec, the exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gicvm/config.h"
#include "gicvm/cpio.h"
#include "gicvm/guestcmd.h"
#include "gicvm/vm.h"
#include "harness.h"

/* One "newc" header field: 8 hex digits at @index (0: ino). */
static unsigned long field(const u8 *hdr, int index)
{
	char hex[9];

	memcpy(hex, hdr + 6 + 8 * index, 8);
	hex[8] = 0;
	return strtoul(hex, NULL, 16);
}

/* Walk the archive as the kernel's unpacker does: names, sizes, padding. */
static void cpio_layout(void)
{
	struct cpio c = { 0 };
	const u8 *p;
	size_t off = 0;
	const char *names[] = { "dev", "dev/console", "init", "TRAILER!!!" };

	cpio_add(&c, "dev", S_IFDIR | 0755, NULL, 0);
	cpio_add_node(&c, "dev/console", S_IFCHR | 0600, 5, 1);
	cpio_add(&c, "init", S_IFREG | 0755, "hello", 5);
	CHECK_EQ(cpio_finish(&c), 0);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t namesize, filesize;

		p = c.data + off;
		CHECK(!memcmp(p, "070701", 6));
		namesize = field(p, 11);
		filesize = field(p, 6);
		CHECK_EQ(namesize, strlen(names[i]) + 1);
		CHECK(!strcmp((const char *)p + 110, names[i]));
		if (i == 1)
			CHECK(field(p, 1) == (S_IFCHR | 0600) && field(p, 9) == 5 && field(p, 10) == 1);
		if (i == 2)
			CHECK(filesize == 5 && !memcmp(p + ((110 + namesize + 3) & ~3UL), "hello", 5));
		off += (110 + namesize + 3) & ~3UL;
		off += (filesize + 3) & ~3UL;
	}
	CHECK_EQ(off, c.len);
	CHECK_EQ(c.len % 4, 0);
	free(c.data);
}

static bool spec_has(const char *spec, size_t len, const char *record)
{
	for (const char *p = spec; p < spec + len; p += strlen(p) + 1)
		if (!strcmp(p, record))
			return true;
	return false;
}

/* The spec carries the root, other shares at their places, who and where, argv. */
static void spec_records(void)
{
	char *argv[] = { "run", "--rootfs", "/", "--fs", "/tmp,tag=t,ro", "--", "ls", "-l", NULL };
	struct vm_config cfg;
	char *spec, uid[32], cwd[4200];
	size_t len;

	CHECK_EQ(config_parse_run(&cfg, 8, argv), CONFIG_OK);
	CHECK_EQ(guestcmd_spec(&cfg, &spec, &len), 0);
	snprintf(uid, sizeof(uid), "uid=%u", (unsigned int)getuid());
	CHECK(getcwd(cwd + 4, sizeof(cwd) - 4));
	memcpy(cwd, "cwd=", 4);
	CHECK(spec_has(spec, len, "root=gicvm-root"));
	CHECK(spec_has(spec, len, "mount=t") && spec_has(spec, len, "at=/tmp") &&
	      spec_has(spec, len, "ro=1"));
	CHECK(spec_has(spec, len, uid) && spec_has(spec, len, cwd));
	CHECK(spec_has(spec, len, "arg=ls") && spec_has(spec, len, "arg=-l"));
	free(spec);

	/* No command: the console's shell, as the caller too, and no argv. */
	CHECK_EQ(config_parse_run(&cfg, 3, argv), CONFIG_OK);
	CHECK_EQ(guestcmd_spec(&cfg, &spec, &len), 0);
	CHECK(spec_has(spec, len, uid) && spec_has(spec, len, cwd));
	CHECK(!spec_has(spec, len, "arg=ls"));
	free(spec);

	/* A command with no root to run in: refused, one line. */
	char *bare[] = { "run", "--", "true", NULL };
	void *data;

	CHECK_EQ(config_parse_run(&cfg, 3, bare), CONFIG_OK);
	CHECK_EQ(guestcmd_initramfs(&cfg, "x", 1, NULL, &data, &len), -1);
	char *plain[] = { "run", "-c", "1", NULL };

	CHECK_EQ(config_parse_run(&cfg, 3, plain), CONFIG_OK);
	CHECK(guestcmd_initramfs(&cfg, "x", 1, NULL, &data, &len) == 0 && !data);
}

static void exit_statuses(void)
{
	struct vm_config with = { .command = (const char *const[]){ "true" }, .command_argc = 1 };
	struct vm_config without = { 0 };

	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_POWEROFF, 42, false), 42);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_POWEROFF, -1, false), VM_EXIT_COMMAND_LOST);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_RESET, -1, false), VM_EXIT_COMMAND_LOST);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_POWEROFF, 0, true), VM_EXIT_BACKEND);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_PANIC, -1, false), VM_EXIT_PANIC);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_TIMEOUT, -1, false), VM_EXIT_TIMEOUT);
	CHECK_EQ(guestcmd_exit_status(&with, VM_EXIT_ERROR, -1, false), VM_EXIT_NO_COMMAND);
	CHECK_EQ(guestcmd_exit_status(&without, VM_EXIT_POWEROFF, -1, true), VM_EXIT_POWEROFF);
	CHECK_EQ(guestcmd_exit_status(&without, VM_EXIT_PANIC, -1, false), VM_EXIT_PANIC);
}

static void panic_text(void)
{
	const char tail[] = "boot\nsysrq: Trigger a crash\n[ 1.0] Internal error: Oops\nKernel panic - x\n";

	CHECK(!strncmp(tail + guestcmd_panic_start(tail, sizeof(tail) - 1), "[ 1.0] Internal", 15));
	CHECK_EQ(guestcmd_panic_start("nothing\n", 8), 0);
}

UNIT_TESTS(TEST(cpio_layout), TEST(spec_records), TEST(exit_statuses), TEST(panic_text));

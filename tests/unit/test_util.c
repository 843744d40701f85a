// SPDX-License-Identifier: GPL-2.0-only
/* util.c: little-endian fields, and the memory figures --json-summary reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gicvm/util.h"
#include "harness.h"

static void little_endian_fields(void)
{
	u8 b[8] = { 0 };

	put_le(b + 1, 0x11223344, 4);
	CHECK_EQ(b[1], 0x44);
	CHECK_EQ(b[4], 0x11);
	CHECK_EQ(get_le(b + 1, 4), 0x11223344);
	CHECK_EQ(get_le(b + 1, 2), 0x3344);
	CHECK_EQ(b[0], 0);
	CHECK_EQ(b[5], 0);
}

/*
 * A mapping's own resident size: what gicvm subtracts to leave guest RAM
 * out. Like guest RAM it is MADV_HUGEPAGE, which also keeps it from merging
 * with its neighbours.
 */
static void resident_size_of_one_mapping(void)
{
	size_t len = 4 << 20;
	u8 *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long before, after;

	CHECK(p != MAP_FAILED);
	madvise(p, len, MADV_HUGEPAGE);
	before = mapping_resident_kib(p + 12345);
	memset(p, 1, 1 << 20);
	after = mapping_resident_kib(p + len - 1);
	CHECK_EQ(before, 0);
	CHECK(after >= 1024 && after <= 4096);	/* huge pages may round up */
	CHECK(resident_kib() > after);
	CHECK(mapping_page_kib(p) == 4 || mapping_page_kib(p) == 16 || mapping_page_kib(p) == 64);
	munmap(p, len);
	/* Gone: no mapping holds it any more. */
	CHECK_EQ(mapping_resident_kib(p), (unsigned long long)-1);
}

/*
 * The same readings through the files proc_self_open() keeps open (what a
 * sandboxed reboot and the exit summary use): read again from their start
 * each time, so they follow the process, and the fd count is steady.
 */
static void readings_from_kept_files(void)
{
	int fds, fd;

	CHECK_EQ(proc_self_open(), 0);
	fds = count_open_fds();
	CHECK(fds >= 6);	/* stdio and the three or four kept files */
	fd = dup(0);
	CHECK_EQ(count_open_fds(), fds + 1);
	close(fd);
	CHECK_EQ(count_open_fds(), fds);
	resident_size_of_one_mapping();
}

/*
 * The host's count of one interrupt from /proc/interrupts lines (the
 * summary's host.vgic_maintenance_irqs): every CPU's column summed, and
 * only the counts, not the hardware number after the chip's name.
 */
static void host_interrupt_counts(void)
{
	long long n = -1;

	CHECK(irq_line_count("  9:         12          0         30 GICv3  25 Level     vgic",
			     "vgic", &n));
	CHECK_EQ(n, 42);
	CHECK(irq_line_count(" 11:          0 GICv3  27 Level     kvm guest vtimer",
			     "kvm guest vtimer", &n));
	CHECK_EQ(n, 0);
	CHECK(!irq_line_count(" 10:          5          6 GICv3  26 Level     arch_timer", "vgic", &n));
	CHECK(!irq_line_count("IPI0:        3    Rescheduling interrupts", "vgic", &n));
	CHECK(!irq_line_count("vgic", "vgic", &n));
	/* On any host the file reads; a host without KVM's vGIC has no such line. */
	CHECK(host_irq_count("no-such-interrupt-action") == -1);
}

/*
 * The control and GDB sockets: mode 0600; a live one is not taken over, a
 * dead one (a killed gicvm's) is replaced, and a file that is no socket is
 * never removed.
 */
static void listening_sockets(void)
{
	char dir[] = "/tmp/gicvm-listen-XXXXXX", path[64], file[64];
	struct stat st;
	int fd, again;
	FILE *f;

	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	fd = unix_listen(path, 1);
	CHECK(fd >= 0 && !stat(path, &st) && (st.st_mode & 0777) == 0600);
	CHECK_EQ(unix_listen(path, 1), -1);
	CHECK_EQ(errno, EADDRINUSE);
	close(fd);			/* dead: the next one replaces it */
	again = unix_listen(path, 1);
	CHECK(again >= 0);
	close(again);
	f = fopen(file, "w");
	CHECK(f && fputs("keep", f) >= 0 && !fclose(f));
	CHECK_EQ(unix_listen(file, 1), -1);
	CHECK_EQ(errno, EEXIST);
	CHECK(!stat(file, &st) && S_ISREG(st.st_mode) && st.st_size == 4);
	unlink(file);
	unlink(path);
	rmdir(dir);
}

/* has_word(): whole words of a kernel command line, nothing less. */
static void words_of_a_command_line(void)
{
	const char *cmdline = "console=ttyAMA0 kvm-arm.mode=protected quiet\n";

	CHECK(has_word(cmdline, "kvm-arm.mode=protected"));
	CHECK(has_word(cmdline, "console=ttyAMA0"));
	CHECK(has_word(cmdline, "quiet"));
	CHECK(!has_word(cmdline, "kvm-arm.mode=prot"));
	CHECK(!has_word(cmdline, "mode=protected"));
	CHECK(!has_word("kvm-arm.mode=protectedx", "kvm-arm.mode=protected"));
	CHECK(has_word("a b a", "a"));
	CHECK(!has_word("ab ba", "a"));
	CHECK(!has_word("", "a"));
	CHECK(!has_word("a", ""));
}

UNIT_TESTS(TEST(little_endian_fields), TEST(resident_size_of_one_mapping),
	   TEST(readings_from_kept_files), TEST(host_interrupt_counts), TEST(listening_sockets),
	   TEST(words_of_a_command_line));

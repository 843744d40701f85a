// SPDX-License-Identifier: GPL-2.0-only
/*
 * What /proc/self says about gicvm's open descriptors and memory, and
 * /proc/interrupts about the host's own interrupts (util.h).
 * The files are opened once by proc_self_open(), before confinement, and
 * read again from their start each time: a reboot's report and the exit
 * summary run where the sandbox lets nothing be opened. Without that call
 * (the unit tests) each reading opens its file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gicvm/util.h"

enum { FDS, STATM, SMAPS, INTERRUPTS, NR_PROC };

static const char *const proc_path[NR_PROC] = {
	"/proc/self/fd", "/proc/self/statm", "/proc/self/smaps", "/proc/interrupts",
};
static int proc_fd[NR_PROC] = { -1, -1, -1, -1 };
/* Set by proc_self_open(): from then on nothing is opened (the sandbox forbids it). */
static bool kept;

static int open_proc(int i)
{
	return open(proc_path[i], O_RDONLY | O_CLOEXEC | (i == FDS ? O_DIRECTORY : 0));
}

int proc_self_open(void)
{
	kept = true;
	for (int i = 0; i < NR_PROC; i++) {
		if (proc_fd[i] >= 0)
			continue;
		proc_fd[i] = open_proc(i);
		/* A host's interrupt counts are a statistic: gicvm runs without them. */
		if (proc_fd[i] < 0 && i != INTERRUPTS) {
			pr_err("cannot open %s: %s", proc_path[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The kept descriptor of file @i, or a new one in @own (closed by the caller). */
static int proc_file(int i, int *own)
{
	*own = -1;
	if (proc_fd[i] >= 0 || kept)
		return proc_fd[i];
	*own = open_proc(i);
	return *own;
}

/*
 * Each line of /proc file @i to @fn (NUL-terminated, without its newline)
 * until @fn returns true. Read in pieces into a buffer on the stack, so a
 * reading leaves no heap behind it (a reboot's report checks for growth).
 * -1 if the file cannot be read.
 */
static int proc_lines(int i, bool (*fn)(const char *line, void *ctx), void *ctx)
{
	int own, fd = proc_file(i, &own), err = -1;
	char buf[8192];
	size_t have = 0;
	off_t at = 0;

	while (fd >= 0) {
		ssize_t n = pread(fd, buf + have, sizeof(buf) - 1 - have, at);
		char *line = buf, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -1 : 0;
			break;
		}
		at += n;
		have += n;
		buf[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (fn(line, ctx)) {
				err = 0;
				goto out;
			}
			line = nl + 1;
		}
		have -= line - buf;
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line longer than the buffer: dropped */
		memmove(buf, line, have);
	}
out:
	if (own >= 0)
		close(own);
	return err;
}

int count_open_fds(void)
{
	int own, fd = proc_file(FDS, &own), n = 0;
	char buf[4096];
	long got;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		n = -1;
		goto out;
	}
	/* getdents64 itself: readdir() would want a DIR, and so an open. */
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);

			n += e->d_name[0] != '.';
			off += e->d_reclen;
		}
	}
	if (got < 0)
		n = -1;
out:
	if (own >= 0) {
		close(own);
		n -= n > 0;	/* not the one just opened to count */
	}
	return n;
}

static bool statm_line(const char *line, void *ctx)
{
	long long size, *resident = ctx;

	if (sscanf(line, "%lld %lld", &size, resident) != 2)
		*resident = -1;
	return true;
}

long long resident_kib(void)
{
	long long resident = -1;

	if (proc_lines(STATM, statm_line, &resident))
		return -1;
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

struct smaps_search {
	unsigned long addr;
	const char *field;	/* "Rss:", "KernelPageSize:" */
	bool inside;
	long long kib;
};

static bool smaps_line(const char *line, void *ctx)
{
	struct smaps_search *s = ctx;
	size_t n = strlen(s->field);
	unsigned long start, end;

	/* A mapping's header is "start-end perms ..."; its fields follow. */
	if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
		s->inside = s->addr >= start && s->addr < end;
	else if (s->inside && !strncmp(line, s->field, n) &&
		 sscanf(line + n, " %lld kB", &s->kib) == 1)
		return true;
	return false;
}

static long long mapping_field_kib(const void *addr, const char *field)
{
	struct smaps_search s = { .addr = (unsigned long)addr, .field = field, .kib = -1 };

	return proc_lines(SMAPS, smaps_line, &s) ? -1 : s.kib;
}

long long mapping_resident_kib(const void *addr)
{
	return mapping_field_kib(addr, "Rss:");
}

long long mapping_page_kib(const void *addr)
{
	return mapping_field_kib(addr, "KernelPageSize:");
}

/*
 * A /proc/interrupts line: "NAME:" then a count per CPU, then the chip,
 * the hardware number, the trigger and the action's name last. The counts
 * are the numbers before the first word that is not one.
 */
bool irq_line_count(const char *line, const char *action, long long *count)
{
	size_t len = strlen(line), alen = strlen(action);
	const char *p = strchr(line, ':');
	long long sum = 0;

	/* The action's name ends the line, after a space. */
	if (!p || len <= alen || line[len - alen - 1] != ' ' || strcmp(line + len - alen, action))
		return false;
	for (p++;;) {
		char *end;
		long long n = strtoll(p, &end, 10);

		if (end == p || (*end && *end != ' '))
			break;
		sum += n;
		p = end;
	}
	*count = sum;
	return true;
}

struct irq_search {
	const char *action;
	long long count;
};

static bool interrupts_line(const char *line, void *ctx)
{
	struct irq_search *s = ctx;

	return irq_line_count(line, s->action, &s->count);
}

long long host_irq_count(const char *action)
{
	struct irq_search s = { .action = action, .count = -1 };

	return proc_lines(INTERRUPTS, interrupts_line, &s) ? -1 : s.count;
}

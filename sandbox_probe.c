// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hidden --sandbox-test's probes: one forbidden call each, made after
 * the filters are in place; the scenario expects SIGSYS. A probe that
 * returns says there is no sandbox. Kept apart from sandbox.c (which needs
 * KVM) so the command line can check a probe's name in unit tests too.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gicvm/sandbox.h"
#include "gicvm/util.h"

/* A signal to another process (pid 1 is never gicvm). */
static long probe_tgkill(void)
{
	return syscall(__NR_tgkill, 1, 1, 0);
}

static long probe_exec(void)
{
	void *m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return m == MAP_FAILED ? -1 : 0;
}

/* Guest memory mapped anew: the filter checks the command before the fd. */
static long probe_kvm(void)
{
	return ioctl(-1, KVM_SET_USER_MEMORY_REGION, NULL);
}

static long probe_unlink(void)
{
	return unlinkat(AT_FDCWD, "/nonexistent/gicvm-sandbox-test", 0);
}

static long probe_open(void)
{
	long fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Text pushed into the terminal's input, as if the user typed it. */
static long probe_tiocsti(void)
{
	return ioctl(STDIN_FILENO, TIOCSTI, "x");
}

/* A network socket: nothing in gicvm makes one once it runs. */
static long probe_socket(void)
{
	long fd = syscall(__NR_socket, AF_INET, SOCK_STREAM, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static const struct {
	const char *name;
	const char *what;
	long (*call)(void);
} probes[] = {
	{ "socket", "socket()", probe_socket },
	{ "tiocsti", "TIOCSTI", probe_tiocsti },
	{ "kvm", "KVM_SET_USER_MEMORY_REGION", probe_kvm },
	{ "tgkill", "tgkill of another process", probe_tgkill },
	{ "exec", "executable memory", probe_exec },
	{ "unlink", "unlinkat of any path", probe_unlink },
	{ "open", "opening /etc/passwd", probe_open },
};

bool sandbox_probe_known(const char *name)
{
	if (!strncmp(name, "vcpu-", 5))
		name += 5;
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++)
		if (!strcmp(name, probes[i].name))
			return true;
	return false;
}

void sandbox_self_test(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		if (strcmp(name, probes[i].name))
			continue;
		pr_warn("sandbox test: %s was allowed (%ld): there is no sandbox",
			probes[i].what, probes[i].call());
		return;
	}
}

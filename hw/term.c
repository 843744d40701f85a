// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "gicvm/term.h"
#include "gicvm/vm.h"

#define CTRL_A	0x01
#define TAIL_SIZE	8192

static struct termios saved;
static bool is_raw;
static bool escape;

/* The console's last TAIL_SIZE bytes, for a panic report (term_console_tail()). */
static struct {
	pthread_mutex_t lock;
	char buf[TAIL_SIZE];
	size_t next;		/* where the next byte goes */
	bool wrapped;
} tail = { .lock = PTHREAD_MUTEX_INITIALIZER };

void term_console_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	if (fd >= 0)
		write_all(fd, buf, len);
	pthread_mutex_lock(&tail.lock);
	for (size_t i = 0; i < len; i++) {
		tail.buf[tail.next++] = p[i];
		if (tail.next == TAIL_SIZE) {
			tail.next = 0;
			tail.wrapped = true;
		}
	}
	pthread_mutex_unlock(&tail.lock);
}

size_t term_console_tail(char *out, size_t size)
{
	size_t n;

	pthread_mutex_lock(&tail.lock);
	n = 0;
	if (tail.wrapped)
		for (size_t i = tail.next; i < TAIL_SIZE && n < size; i++)
			out[n++] = tail.buf[i];
	for (size_t i = 0; i < tail.next && n < size; i++)
		out[n++] = tail.buf[i];
	pthread_mutex_unlock(&tail.lock);
	return n;
}

static void restore(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

void term_raw(int in_fd)
{
	struct termios raw;

	if (in_fd != STDIN_FILENO || is_raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return;
	is_raw = true;
	atexit(restore);
	raw = saved;
	/* Every key, Ctrl-C included, goes to the guest; Ctrl-A x quits. */
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR;	/* keep gicvm's own messages readable */
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

void term_scan_escape(struct vm *vm, const u8 *buf, size_t len)
{
	if (!is_raw)
		return;
	for (size_t i = 0; i < len; i++) {
		if (escape && buf[i] == 'x') {
			pr_err("stopped from the console (Ctrl-A x)");
			vm_request_stop(vm, VM_EXIT_ERROR);
		}
		escape = buf[i] == CTRL_A;
	}
}

/* See term.h. */
int term_open_pty(char *path_out, size_t len)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), slave = -1;
	struct termios raw;
	const char *path;

	if (master < 0 || grantpt(master) || unlockpt(master) || !(path = ptsname(master)))
		goto fail;
	slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 || tcgetattr(slave, &raw))
		goto fail;
	cfmakeraw(&raw);
	if (tcsetattr(slave, TCSANOW, &raw) ||
	    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK))
		goto fail;
	/* Not a log line: scripts and users read it at any --loglevel. */
	fprintf(stderr, "gicvm: the guest console is on %s\n", path);
	snprintf(path_out, len, "%s", path);
	return master;	/* the slave stays open for the VM's life */
fail:
	pr_err("--tty 0: cannot make a pty for the console: %s", strerror(errno));
	if (slave >= 0)
		close(slave);
	if (master >= 0)
		close(master);
	return -1;
}

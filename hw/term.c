// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "gicvm/term.h"
#include "gicvm/vm.h"

#define CTRL_A	0x01

static struct termios saved;
static bool is_raw;
static bool escape;

static void restore(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}

void term_raw(void)
{
	struct termios raw;

	if (is_raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
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

/* SPDX-License-Identifier: GPL-2.0-only */
/* The terminal on gicvm's stdin: raw mode for the guest console, and its escape. */
#ifndef GICVM_TERM_H
#define GICVM_TERM_H

#include "gicvm/util.h"

struct vm;

/*
 * The console's input is @in_fd: if that is a terminal stdin, put it in
 * raw mode (restored at exit). No-op otherwise (a file, a pipe, --tty's
 * pty, which is raw from the start).
 */
void term_raw(int in_fd);

/*
 * Scan console input for Ctrl-A x, which stops the VM; only on a terminal,
 * so piped input reaches the guest untouched.
 */
void term_scan_escape(struct vm *vm, const u8 *buf, size_t len);

/*
 * The guest console's output: to @fd (-1: nowhere), and into a tail of the
 * last few KiB kept in memory, which term_console_tail() copies out (a
 * panic's text, when the console itself goes nowhere).
 */
void term_console_write(int fd, const void *buf, size_t len);
size_t term_console_tail(char *out, size_t size);

/*
 * --tty 0: a new pty for the guest console, raw, its path said on stderr
 * and copied to @path (@len bytes).
 * Returns the master (non-blocking: output nobody reads is dropped once the
 * pty is full, as on a serial line with nothing attached), or -1 said why.
 * gicvm keeps the other end open too, so a client that comes and goes
 * leaves no hang-up behind.
 */
int term_open_pty(char *path, size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-brk: executes a BRK instruction and expects the guest kernel to
 * deliver SIGTRAP for it. Run while gdb is attached to gicvm (which then
 * traps every BRK), it proves gicvm hands BRKs that are not gdb's back to
 * the guest. Prints "GUEST-RESULT brk=trapped" or "brk=lost".
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile sig_atomic_t trapped;

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	trapped = 1;
	uc->uc_mcontext.pc += 4;	/* skip the BRK */
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGTRAP, &sa, NULL);
	__asm__ volatile("brk #0x123");
	printf("GUEST-RESULT brk=%s\n", trapped ? "trapped" : "lost");
	return trapped ? 0 : 1;
}

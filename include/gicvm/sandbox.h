/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sandbox gicvm enters once the VM is built: no capabilities, and a
 * seccomp-bpf allow-list per thread role. A system call outside the list
 * kills gicvm (after one line naming it), whatever thread makes it.
 *
 * gicvm has two kinds of threads: one per vCPU (KVM_RUN and the MMIO they
 * emulate) and the I/O thread, which runs the devices' queues, the control
 * socket, the GDB stub, signals and reboots (there is no separate control
 * thread). --no-sandbox turns all of this off, for debugging.
 */
#ifndef GICVM_SANDBOX_H
#define GICVM_SANDBOX_H

#include "gicvm/util.h"

enum sandbox_role {
	SANDBOX_VCPU,
	SANDBOX_IO,
};

/*
 * Drop every capability and set no_new_privs, for this thread and the
 * threads it creates from now on, and build the filters. Call after set-up,
 * before the vCPU threads start. Returns 0, or -1 (with a message).
 */
int sandbox_prepare(void);

/* Allow ioctl command @cmd too, for every role. Before sandbox_prepare(). */
void sandbox_allow_ioctl(u32 cmd);

/*
 * Let the I/O thread unlinkat() in directory @dirfd (a socket's, to remove
 * it at exit) and nowhere else. Before sandbox_prepare(); 0 or -1.
 */
int sandbox_allow_unlink_in(int dirfd);

/* Confine the calling thread to @role's system calls. Returns 0 or -1. */
int sandbox_enter(enum sandbox_role role);

/*
 * The hidden --sandbox-test[=WHAT]: make a call the I/O thread's filter
 * forbids: "socket" (a network socket), "tiocsti" (typing into the
 * terminal through the tty's TIOCSTI ioctl), "tgkill" (a signal to another
 * process), "exec" (executable memory), "kvm" (a KVM command gicvm never
 * makes once running), "unlink" (removing a file elsewhere than the
 * sockets' directories) or "open" (opening any file); "vcpu-WHAT" makes
 * it from vCPU 0's thread, under that role's filter.
 */
void sandbox_self_test(const char *what);
/* Whether @name (or vcpu-NAME) is one of sandbox_self_test()'s probes. */
bool sandbox_probe_known(const char *name);

#endif

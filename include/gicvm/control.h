/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control plane: each running VM listens on a unix socket
 * $XDG_RUNTIME_DIR/gicvm/NAME.sock (else ~/.gicvm/NAME.sock), mode 0600,
 * answering only peers of its own uid. A client sends one line (a command)
 * and reads the answer until the VM closes the connection.
 *   info | stop | pause | resume | dump | dump-json | stat | stat-json
 *   snapshot [stop]  (with the state and memory files passed alongside)
 */
#ifndef GICVM_CONTROL_H
#define GICVM_CONTROL_H

#include <stddef.h>

#include <sys/types.h>

#include "gicvm/util.h"

struct vm;
struct report;

/*
 * The socket directory; with @create, made (0700) if missing. -1 if it is
 * missing, or is not the caller's own with mode 0700 (said so).
 */
int control_dir(char *buf, size_t len, bool create);

/* Listen as @name (replacing a stale socket left by a killed gicvm). */
int control_start(struct vm *vm, const char *name);
void control_stop(struct vm *vm);

/* gicvm's, KVM's and the devices' counters for @vm. */
void vm_report_stats(struct vm *vm, struct report *r);

/*
 * Client side: send @cmd to VM @name, its answer into @answer; the
 * server's pid as the kernel reports it into @server_pid (may be NULL).
 * -1 also for a server of another uid (said so).
 */
int control_request(const char *name, const char *cmd, char *answer, size_t len,
		    pid_t *server_pid);
/* The same, passing @nfds descriptors (at most CONTROL_MAX_FDS) with @cmd. */
#define CONTROL_MAX_FDS	2
int control_request_fds(const char *name, const char *cmd, const int *fds, int nfds,
			char *answer, size_t len, pid_t *server_pid);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* The control socket of a running VM, and the client side of it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "arm/arm.h"
#include "gicvm/control.h"
#include "gicvm/device.h"
#include "gicvm/kvm_stats.h"
#include "gicvm/report.h"
#include "gicvm/sandbox.h"
#include "gicvm/snapshot.h"
#include "gicvm/vm.h"

static struct ioloop_entry listener = { .fd = -1 };
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int sock_dir = -1;	/* its directory: the socket is removed from there */
static char vm_name[80];

/*
 * The directory must be the caller's own, mode 0700 and no link: in one
 * another user made first (/tmp/.gicvm with HOME unset) a socket could
 * lie to the client, or the server's could be taken over.
 */
static int check_private_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st))
		return -1;	/* missing: no VM runs (errno says so) */
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) {
		pr_err("control: %s is not a private directory of uid %u (owner %u, mode %04o): "
		       "not using it", dir, (unsigned int)getuid(), (unsigned int)st.st_uid,
		       (unsigned int)(st.st_mode & 07777));
		errno = EPERM;
		return -1;
	}
	return 0;
}

int control_dir(char *buf, size_t len, bool create)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg)
		n = snprintf(buf, len, "%s/gicvm", xdg);
	else
		n = snprintf(buf, len, "%s/.gicvm", home && *home ? home : "/tmp");
	if (n < 0 || (size_t)n >= len)
		return -1;
	if (create && mkdir(buf, 0700) && errno != EEXIST)
		return -1;
	return check_private_dir(buf);
}

static int socket_path(const char *name, struct sockaddr_un *addr, bool create)
{
	char dir[sizeof(addr->sun_path)];

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (control_dir(dir, sizeof(dir), create))
		return -1;
	if ((size_t)snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/%s.sock", dir, name) >=
	    sizeof(addr->sun_path))
		return -1;
	return 0;
}

/*
 * What the host's KVM did for this VM that it counts only host-wide: its
 * vGIC's maintenance interrupts since the VM started (all of the host's,
 * so other VMs' too). In a guest hypervisor these are the nested vGIC's
 * maintenance interrupts, which its KVM counts nowhere else.
 */
static void report_host_stats(struct vm *vm, struct report *r)
{
	long long maint = host_irq_count("vgic");

	if (vm->stats.host_maint_start < 0 || maint < vm->stats.host_maint_start)
		return;
	report_push(r, "host");
	report_u64(r, "vgic_maintenance_irqs", maint - vm->stats.host_maint_start);
	report_pop(r);
}

void vm_report_stats(struct vm *vm, struct report *r)
{
	struct vm_stats *s = &vm->stats;
	long long ram_kib = mapping_resident_kib(vm->ram);

	report_push(r, "gicvm");
	report_u64(r, "exits_mmio", atomic_load(&s->exits_mmio));
	report_u64(r, "exits_other", atomic_load(&s->exits_other));
	report_u64(r, "notify_mmio_exits", atomic_load(&s->notify_mmio_exits));
	report_u64(r, "irq_line_calls", atomic_load(&s->irq_line_calls));
	report_u64(r, "signal_msi_calls", atomic_load(&s->signal_msi_calls));
	report_u64(r, "irq_ack_exits", atomic_load(&s->irq_ack_exits));
	report_u64(r, "io_wakeups", atomic_load(&vm->loop.wakeups));
	report_u64(r, "mmio_unhandled", atomic_load(&vm->mmio.unhandled));
	/* What of guest RAM the host holds now (a balloon gives some back). */
	if (ram_kib >= 0)
		report_u64(r, "ram_resident_kib", ram_kib);
	report_push(r, "mmio_exits");
	mmio_report(&vm->mmio, r);
	report_pop(r);
	report_pop(r);
	report_host_stats(vm, r);
	report_push(r, "devices");
	devices_report(vm->devices, r);
	report_pop(r);
	report_push(r, "kvm_vm");
	kvm_stats_report(vm->stats_fd, r);
	report_pop(r);
	report_push(r, "kvm_vcpu");
	vcpus_report_stats(vm, r);
	report_pop(r);
}

static void answer_info(struct vm *vm, FILE *out, bool json)
{
	struct report r;

	report_begin(&r, out, json);
	report_str(&r, "name", vm_name);
	report_u64(&r, "pid", getpid());
	report_u64(&r, "cpus", vm->nr_cpus);
	report_u64(&r, "mem_mib", vm->cfg->mem_mib);
	report_str(&r, "state", vm->paused ? "paused" : "running");
	if (vm->console_pty)
		report_str(&r, "console_pty", vm->console_pty);
	report_end(&r);
}

static void answer_dump(struct vm *vm, FILE *out, bool json)
{
	bool was_paused = vm->paused;

	/* Registers can be read only while no vCPU is inside KVM_RUN. */
	if (!was_paused)
		vcpus_pause(vm);
	fputs(json ? "[" : "", out);
	for (unsigned int i = 0; i < vm->nr_cpus; i++) {
		if (json && i)
			fputs(", ", out);
		vcpu_print_regs(vm->vcpus[i], out, true, json);
	}
	fputs(json ? "]\n" : "", out);
	if (!was_paused)
		vcpus_resume(vm);
}

/*
 * "snapshot [stop]" with the state and memory files the client opened
 * (the sandbox lets gicvm create no file): saved with the vCPUs parked,
 * then running again, or with "stop" ended without running another
 * instruction.
 */
static void answer_snapshot(struct vm *vm, const char *cmd, const int *fds, int nfds, FILE *out)
{
	bool stop = !strcmp(cmd, "snapshot stop"), was_paused = vm->paused;
	struct snapshot_stats st;

	if (nfds != 2 || (!stop && strcmp(cmd, "snapshot"))) {
		fprintf(out, "error: snapshot wants its two files (use gicvm snapshot)\n");
		return;
	}
	if (!was_paused)
		vcpus_pause(vm);
	log_clear_error();
	if (snapshot_save(vm, fds[0], fds[1], &st)) {
		fprintf(out, "error: %s\n", *log_last_error() ? log_last_error() : "snapshot failed");
	} else {
		fprintf(out, "saved: %zu bytes of state, %llu of %llu RAM pages, %llu ms%s\n",
			st.state_bytes, (unsigned long long)st.ram_pages,
			(unsigned long long)st.ram_pages_all, (unsigned long long)st.ms,
			stop ? "; stopping" : "");
		if (stop) {
			/* No instruction, and no device work, after the save. */
			ioloop_halt(&vm->loop);
			vm_request_stop(vm, VM_EXIT_POWEROFF);
			return;
		}
	}
	if (!was_paused)
		vcpus_resume(vm);
}

static void run_command(struct vm *vm, const char *cmd, const int *fds, int nfds, FILE *out)
{
	struct report r;

	if (!strncmp(cmd, "snapshot", 8)) {
		answer_snapshot(vm, cmd, fds, nfds, out);
	} else if (!strcmp(cmd, "info") || !strcmp(cmd, "info-json")) {
		answer_info(vm, out, cmd[4] == '-');
	} else if (!strcmp(cmd, "stop")) {
		fprintf(out, "stopping\n");
		vm_request_stop(vm, VM_EXIT_POWEROFF);
	} else if (!strcmp(cmd, "pause")) {
		if (!vm->paused)
			vcpus_pause(vm);
		vm->paused = true;
		fprintf(out, "paused\n");
	} else if (!strcmp(cmd, "resume")) {
		if (vm->paused)
			vcpus_resume(vm);
		vm->paused = false;
		fprintf(out, "running\n");
	} else if (!strcmp(cmd, "dump") || !strcmp(cmd, "dump-json")) {
		answer_dump(vm, out, cmd[4] == '-');
	} else if (!strcmp(cmd, "stat") || !strcmp(cmd, "stat-json")) {
		report_begin(&r, out, cmd[4] == '-');
		vm_report_stats(vm, &r);
		report_end(&r);
	} else if (!devices_command(vm->devices, cmd, out)) {
		if (!strncmp(cmd, "balloon", 7))
			fprintf(out, "error: this VM has no balloon (run it with --balloon)\n");
		else
			fprintf(out, "error: unknown command '%s'\n", cmd);
	}
}

/* The receive timeout of @fd: what is left until @deadline; -1 if nothing. */
static int set_time_left(int fd, const struct timespec *deadline)
{
	struct timespec now;
	struct timeval left;
	long long us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (deadline->tv_sec - now.tv_sec) * 1000000LL + (deadline->tv_nsec - now.tv_nsec) / 1000;
	if (us <= 0)
		return -1;
	left.tv_sec = us / 1000000;
	left.tv_usec = us % 1000000;
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &left, sizeof(left));
}

/*
 * Read into @buf, keeping the descriptors that came with it (a snapshot's
 * files) in @fds, up to CONTROL_MAX_FDS in all; any beyond are closed.
 */
static ssize_t recv_with_fds(int fd, char *buf, size_t len, int *fds, int *nfds)
{
	char space[CMSG_SPACE(CONTROL_MAX_FDS * sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = space, .msg_controllen = sizeof(space),
	};
	ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);

	for (struct cmsghdr *c = n < 0 ? NULL : CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		int count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int got[CONTROL_MAX_FDS];

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		count = MIN(count, CONTROL_MAX_FDS);
		memcpy(got, CMSG_DATA(c), count * sizeof(int));
		for (int i = 0; i < count; i++) {
			if (*nfds < CONTROL_MAX_FDS)
				fds[(*nfds)++] = got[i];
			else
				close(got[i]);
		}
	}
	return n;
}

/* One connection: check the peer, read its line, answer, close. */
static void control_accept(void *opaque)
{
	struct vm *vm = opaque;
	struct timeval tv = { .tv_sec = 1 };
	struct timespec deadline;
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char cmd[64];
	int fds[CONTROL_MAX_FDS], nfds = 0;
	ssize_t n;
	FILE *out;
	int fd;

	fd = accept4(listener.fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) || cred.uid != getuid()) {
		pr_warn("control: refused a client of uid %d", (int)cred.uid);
		close(fd);
		return;
	}
	/*
	 * The I/O loop waits for this client: one deadline for its whole
	 * line, so one that never sends it, or trickles it a byte at a time,
	 * holds the loop for a second at most; and one that does not read
	 * its answer, a second per write.
	 */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	for (n = 0; n < (ssize_t)sizeof(cmd) - 1 && !memchr(cmd, '\n', n);) {
		ssize_t got;

		if (set_time_left(fd, &deadline))
			break;
		got = recv_with_fds(fd, cmd + n, sizeof(cmd) - 1 - n, fds, &nfds);
		if (got <= 0)
			break;
		n += got;
	}
	out = fdopen(fd, "w");
	if (n > 0 && out) {
		cmd[n] = 0;
		cmd[strcspn(cmd, "\r\n")] = 0;
		run_command(vm, cmd, fds, nfds, out);
	}
	if (out)
		fclose(out);
	else
		close(fd);
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
}

int control_start(struct vm *vm, const char *name)
{
	struct sockaddr_un addr;
	int fd;

	snprintf(vm_name, sizeof(vm_name), "%s", name);
	if (socket_path(name, &addr, true)) {
		pr_err("control: no usable socket directory for '%s'", name);
		return -1;
	}
	fd = unix_listen(addr.sun_path, 8);
	if (fd < 0 && errno == EADDRINUSE) {
		/* Someone answers: that name is taken. (Nobody: a killed gicvm's, replaced.) */
		pr_err("a VM named '%s' is already running (%s)", name, addr.sun_path);
		return -1;
	}
	if (fd < 0)
		goto fail;
	memcpy(sock_path, addr.sun_path, sizeof(sock_path));
	sock_dir = open_parent_dir(sock_path);
	if (sock_dir < 0 || sandbox_allow_unlink_in(sock_dir))
		goto fail;
	listener.fd = fd;
	listener.fn = control_accept;
	listener.opaque = vm;
	return ioloop_add(&vm->loop, &listener);
fail:
	pr_err("control: cannot listen on %s: %s", addr.sun_path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

void control_stop(struct vm *vm)
{
	(void)vm;
	if (sock_dir >= 0)
		unlinkat(sock_dir, path_base(sock_path), 0);
}

/* One message: the line, and @fds with it. */
static int send_with_fds(int fd, const char *line, const int *fds, int nfds)
{
	char space[CMSG_SPACE(CONTROL_MAX_FDS * sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)line, .iov_len = strlen(line) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (!nfds)
		return write_all(fd, line, strlen(line));
	msg.msg_control = space;
	msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	return sendmsg(fd, &msg, 0) == (ssize_t)strlen(line) ? 0 : -1;
}

int control_request(const char *name, const char *cmd, char *answer, size_t len,
		    pid_t *server_pid)
{
	return control_request_fds(name, cmd, NULL, 0, answer, len, server_pid);
}

int control_request_fds(const char *name, const char *cmd, const int *fds, int nfds,
			char *answer, size_t len, pid_t *server_pid)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char line[128];
	struct sockaddr_un addr;
	size_t got = 0;
	int fd;

	if (socket_path(name, &addr, false))
		return -1;
	fd = unix_connect(addr.sun_path);
	if (fd < 0)
		return -1;
	/* Only the caller's own gicvm is believed; its pid is the kernel's word. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) || cred.uid != getuid()) {
		pr_err("control: %s is served by uid %u, not this user's gicvm: not using it",
		       addr.sun_path, (unsigned int)cred.uid);
		close(fd);
		errno = EPERM;
		return -1;
	}
	if (server_pid)
		*server_pid = cred.pid;
	/* One write: the VM may answer and close as soon as it has the line. */
	snprintf(line, sizeof(line), "%s\n", cmd);
	if (send_with_fds(fd, line, fds, nfds)) {
		close(fd);
		return -1;
	}
	while (got + 1 < len) {
		ssize_t n = read(fd, answer + got, len - 1 - got);

		if (n <= 0)
			break;
		got += n;
	}
	answer[got] = 0;
	close(fd);
	return 0;
}

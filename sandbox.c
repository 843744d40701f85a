// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capabilities dropped and a seccomp-bpf allow-list per thread role, once
 * the VM is built (see include/gicvm/sandbox.h). The lists are what the
 * running VM needs: KVM and the devices' I/O for every thread; the control
 * socket, the GDB stub and a reboot's reloading of the kernel for the I/O
 * thread only. ioctl() is limited to exactly the KVM, tty, tun and vhost
 * commands each role makes; unlinkat() to the directories of gicvm's own
 * sockets; nothing is opened (the files a reboot reads are open from the
 * start). Anything else traps: one line on stderr names the call, then
 * gicvm dies of SIGSYS.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <linux/vhost.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gicvm/sandbox.h"
#include "gicvm/util.h"

#define MAX_FILTER	256

/* Every thread: memory, locks, signals, time, and the devices' I/O. */
static const u32 common_calls[] = {
	__NR_read, __NR_write, __NR_readv, __NR_writev, __NR_pread64, __NR_pwrite64,
	__NR_preadv, __NR_pwritev, __NR_close, __NR_lseek, __NR_fstat, __NR_newfstatat,
	__NR_statx, __NR_fcntl,
	__NR_futex, __NR_exit, __NR_exit_group, __NR_rt_sigreturn, __NR_rt_sigprocmask,
	__NR_rt_sigaction, __NR_getpid, __NR_gettid, __NR_sched_yield,
	__NR_restart_syscall, __NR_rseq,
	__NR_clock_gettime, __NR_gettimeofday, __NR_clock_nanosleep, __NR_nanosleep,
	__NR_munmap, __NR_madvise, __NR_mremap, __NR_brk,
	__NR_epoll_ctl, __NR_epoll_pwait,
	/* A notification that missed its ioeventfd runs the queue on the vCPU. */
	__NR_io_submit, __NR_io_getevents, __NR_io_pgetevents, __NR_fdatasync, __NR_fsync,
	__NR_fallocate, __NR_getrandom,
	/*
	 * vhost-user: a vCPU thread sends a backend its rings at DRIVER_OK (fds
	 * passed with them) and waits for each answer; the I/O thread on a reboot.
	 */
	__NR_sendmsg, __NR_recvfrom, __NR_ppoll,
};

/*
 * The I/O thread also serves sockets, and reads its own /proc files on a
 * reboot; a snapshot's files come to it over the control socket (recvmsg)
 * and are sized there (ftruncate).
 */
static const u32 io_calls[] = {
	__NR_accept4, __NR_getsockopt, __NR_setsockopt, __NR_sendto,
	__NR_shutdown, __NR_getdents64, __NR_getuid,
	__NR_timerfd_settime, __NR_recvmsg, __NR_ftruncate,
};

/*
 * KVM's commands, exactly those made once the VM runs. Both roles: a vCPU
 * reads and writes registers (PSCI, MMIO), routes MSIs and wires irqfds and
 * ioeventfds when the driver writes MSI-X tables and queue state; the I/O
 * thread does the same on a reboot (vCPU and vGIC reset), for gdb and for
 * `gicvm debug`. Injecting by ioctl only when `make bench`'s --irq-inject
 * asks (sandbox_allow_ioctl()). Not allowed: anything that creates (a VM,
 * vCPU, device or stats fd) or maps memory into the guest.
 */
static const u32 kvm_ioctls[] = {
	KVM_GET_ONE_REG, KVM_SET_ONE_REG, KVM_ARM_VCPU_INIT, KVM_CHECK_EXTENSION,
	KVM_SET_GSI_ROUTING, KVM_IRQFD, KVM_IOEVENTFD, KVM_SET_DEVICE_ATTR,
};
static u32 extra_ioctls[4];
static unsigned int nr_extra_ioctls;
static const u32 kvm_vcpu_ioctls[] = { KVM_RUN };
/* The I/O thread: gdb's debug registers, and reading the whole VM for a snapshot. */
static const u32 kvm_io_ioctls[] = {
	KVM_SET_GUEST_DEBUG, KVM_GET_REG_LIST, KVM_GET_MP_STATE, KVM_GET_VCPU_EVENTS,
	KVM_GET_DEVICE_ATTR,
};

/* Directories unlinkat() may remove from (the control and GDB sockets'). */
#define MAX_UNLINK_DIRS	4
static int unlink_dirs[MAX_UNLINK_DIRS];
static unsigned int nr_unlink_dirs;

/*
 * vhost: a vCPU thread starts and re-points a backend's rings (the driver's
 * DRIVER_OK, an MSI-X mask) and stops them (a reset); the I/O thread only
 * stops them (a reboot). Exact commands: opening, owning and the CID
 * happen before confinement.
 */
static const u32 vhost_stop_ioctls[] = {
	VHOST_GET_VRING_BASE, VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL,
	VHOST_NET_SET_BACKEND, VHOST_VSOCK_SET_RUNNING,
};

/*
 * The terminal's and the tap's commands gicvm makes once running, exactly:
 * stdin's mode (raw while it runs, back at exit) and a tap's offloads and
 * attached queues. Nothing else of type 'T': TIOCSTI would let a thread
 * type into the user's shell, TIOCSETD and TIOCLINUX reach further.
 */
static const u32 tty_tun_ioctls[] = {
	TCGETS, TCSETS, TUNSETOFFLOAD, TUNSETQUEUE,
};

static const u32 vhost_start_ioctls[] = {
	VHOST_SET_FEATURES, VHOST_SET_MEM_TABLE, VHOST_SET_VRING_NUM, VHOST_SET_VRING_BASE,
	VHOST_SET_VRING_ADDR,
};

static _Thread_local const char *role_name = "a thread";

struct prog {
	struct sock_filter f[MAX_FILTER];
	unsigned int n;
};

static void emit(struct prog *p, struct sock_filter insn)
{
	if (p->n < MAX_FILTER)
		p->f[p->n++] = insn;
}

static void emit_list(struct prog *p, const u32 *calls, unsigned int count,
		      unsigned int *pending, unsigned int *npending)
{
	for (unsigned int i = 0; i < count; i++) {
		pending[(*npending)++] = p->n;
		emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, calls[i], 0, 0));
	}
}

/* Point the jump at @from to @to (a forward jump, as BPF requires). */
static void patch(struct prog *p, unsigned int from, unsigned int to)
{
	if (to - from - 1 > 255)
		p->n = MAX_FILTER;	/* too far for BPF: sandbox_enter() refuses it */
	else
		p->f[from].jt = to - from - 1;
}

/* Jump to the next instruction when system call @nr is made (patched later). */
static unsigned int emit_jump_for(struct prog *p, u32 nr)
{
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 0));
	return p->n - 1;
}

static void emit_load_arg(struct prog *p, unsigned int arg, bool high)
{
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, args[arg]) + (high ? 4 : 0)));
}

/* tgkill(tgid, tid, sig): a signal to one of gicvm's own threads only. */
static void emit_tgkill_rule(struct prog *p, unsigned int from, pid_t self)
{
	patch(p, from, p->n);
	emit_load_arg(p, 0, false);
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (u32)self, 0, 2));
	emit_load_arg(p, 0, true);
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

/* mmap and mprotect: never executable memory (gicvm maps no code once it runs). */
static void emit_no_exec_rule(struct prog *p, unsigned int from_mmap, unsigned int from_mprotect)
{
	patch(p, from_mmap, p->n);
	patch(p, from_mprotect, p->n);
	emit_load_arg(p, 2, false);
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
}

static void build(struct prog *p, enum sandbox_role role, pid_t self)
{
	unsigned int pending[MAX_FILTER], npending = 0, to_ioctl, to_unlinkat = 0, allow;
	unsigned int to_tgkill, to_mmap, to_mprotect;

	p->n = 0;
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, arch)));
	emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, nr)));
	to_ioctl = emit_jump_for(p, __NR_ioctl);
	to_tgkill = emit_jump_for(p, __NR_tgkill);
	to_mmap = emit_jump_for(p, __NR_mmap);
	to_mprotect = emit_jump_for(p, __NR_mprotect);
	if (role == SANDBOX_IO)
		to_unlinkat = emit_jump_for(p, __NR_unlinkat);
	emit_list(p, common_calls, ARRAY_SIZE(common_calls), pending, &npending);
	if (role == SANDBOX_IO)
		emit_list(p, io_calls, ARRAY_SIZE(io_calls), pending, &npending);
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
	allow = p->n;
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	for (unsigned int i = 0; i < npending; i++)
		patch(p, pending[i], allow);

	/* ioctl(fd, cmd): exactly the role's KVM, tty, tun and vhost commands. */
	patch(p, to_ioctl, p->n);
	emit(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					     offsetof(struct seccomp_data, args[1])));
	npending = 0;
	emit_list(p, kvm_ioctls, ARRAY_SIZE(kvm_ioctls), pending, &npending);
	emit_list(p, extra_ioctls, nr_extra_ioctls, pending, &npending);
	if (role == SANDBOX_VCPU)
		emit_list(p, kvm_vcpu_ioctls, ARRAY_SIZE(kvm_vcpu_ioctls), pending, &npending);
	else
		emit_list(p, kvm_io_ioctls, ARRAY_SIZE(kvm_io_ioctls), pending, &npending);
	emit_list(p, tty_tun_ioctls, ARRAY_SIZE(tty_tun_ioctls), pending, &npending);
	emit_list(p, vhost_stop_ioctls, ARRAY_SIZE(vhost_stop_ioctls), pending, &npending);
	if (role == SANDBOX_VCPU)
		emit_list(p, vhost_start_ioctls, ARRAY_SIZE(vhost_start_ioctls), pending, &npending);
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
	emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
	for (unsigned int i = 0; i < npending; i++)
		patch(p, pending[i], p->n - 1);

	emit_tgkill_rule(p, to_tgkill, self);
	emit_no_exec_rule(p, to_mmap, to_mprotect);

	/* unlinkat(dir, name, flags): only in the sockets' directories. */
	if (role == SANDBOX_IO) {
		patch(p, to_unlinkat, p->n);
		emit_load_arg(p, 0, false);
		npending = 0;
		for (unsigned int i = 0; i < nr_unlink_dirs; i++) {
			pending[npending++] = p->n;
			emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							     (u32)unlink_dirs[i], 0, 0));
		}
		emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP));
		emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
		for (unsigned int i = 0; i < npending; i++)
			patch(p, pending[i], p->n - 1);
	}
}

void sandbox_allow_ioctl(u32 cmd)
{
	if (nr_extra_ioctls < ARRAY_SIZE(extra_ioctls))
		extra_ioctls[nr_extra_ioctls++] = cmd;
}

int sandbox_allow_unlink_in(int dirfd)
{
	if (dirfd < 0 || nr_unlink_dirs == MAX_UNLINK_DIRS)
		return -1;
	unlink_dirs[nr_unlink_dirs++] = dirfd;
	return 0;
}

static size_t put_str(char *buf, size_t at, const char *s)
{
	while (*s && at < 127)
		buf[at++] = *s++;
	return at;
}

static size_t put_num(char *buf, size_t at, unsigned long v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n && at < 127)
		buf[at++] = digits[--n];
	return at;
}

/* A forbidden call: say which (async-signal-safe), then die of SIGSYS. */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;
	char msg[128];
	size_t n = 0;

	n = put_str(msg, n, "gicvm: sandbox: forbidden system call ");
	n = put_num(msg, n, (unsigned long)si->si_syscall);
	n = put_str(msg, n, " on ");
	n = put_str(msg, n, role_name);
	n = put_str(msg, n, "; stopping (--no-sandbox to debug)\n");
	if (write(STDERR_FILENO, msg, n) < 0)
		n = 0;
	sigaction(SIGSYS, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGSYS);
}

static struct prog progs[2];	/* by role: built once, before any thread enters */

int sandbox_prepare(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	build(&progs[SANDBOX_VCPU], SANDBOX_VCPU, getpid());
	build(&progs[SANDBOX_IO], SANDBOX_IO, getpid());
	memset(d, 0, sizeof(d));
	if (syscall(__NR_capset, &h, d) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		pr_err("sandbox: cannot drop privileges: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_enter(enum sandbox_role role)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	struct prog *p = &progs[role];
	struct sock_fprog fprog;

	if (!p->n || p->n >= MAX_FILTER) {
		pr_err("sandbox: no filter for this role (or too long)");
		return -1;
	}
	role_name = role == SANDBOX_VCPU ? "a vCPU thread" : "the I/O thread";
	fprog.len = p->n;
	fprog.filter = p->f;
	if (sigaction(SIGSYS, &sa, NULL) ||
	    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog)) {
		pr_err("sandbox: cannot confine %s: %s (--no-sandbox runs without)", role_name,
		       strerror(errno));
		return -1;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * A GDB remote-protocol stub for aarch64 guests. gdb sees one thread per
 * vCPU (thread id = vCPU + 1) and the default aarch64 register set (x0-x30,
 * sp, pc, cpsr, v0-v31, fpsr, fpcr). Memory is addressed by guest virtual
 * address through the vCPU's stage-1 tables. Breakpoints are BRK
 * instructions (KVM_GUESTDBG_USE_SW_BP) or debug registers
 * (KVM_GUESTDBG_USE_HW), as are watchpoints. While gdb has the target
 * stopped, every vCPU is parked outside KVM_RUN.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/kvm.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arm.h"
#include "gdb.h"
#include "gdb_internal.h"
#include "gicvm/sandbox.h"
#include "gicvm/vm.h"
#include "vcpu.h"


#define PKT_MAX		16384
#define MAX_SW_BPS	64
#define BRK_INSN	0xd4200000U	/* BRK #0 */
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define EC_HW_BP	0x30		/* breakpoint, lower EL */
#define EC_SOFTSTEP	0x32
#define EC_WATCHPT	0x34
#define EC_BRK64	0x3c

struct sw_bp {
	u64 addr;
	u32 saved;
	bool used;
};

struct hw_slot {
	u64 addr;
	u64 ctrl;		/* DBGBCR / DBGWCR value; 0 = free */
};

struct gdb {
	struct vm *vm;
	struct ioloop_entry listen, conn, event;
	bool running;		/* gdb resumed the target */
	bool phys;		/* "monitor phys on": memory by physical address */
	unsigned int g_cpu, c_cpu;	/* vCPUs for registers / for stepping */
	struct sw_bp sw[MAX_SW_BPS];
	struct hw_slot bp[KVM_ARM_MAX_DBG_REGS], wp[KVM_ARM_MAX_DBG_REGS];
	int nr_bp, nr_wp;
	/* Why the target stopped: set by the vCPU that took the debug exit. */
	pthread_mutex_t lock;
	int stop_cpu;		/* -1: none yet */
	u32 stop_esr;
	u64 stop_far;
	char in[PKT_MAX];
	size_t in_len;
};

static struct gdb *gdb;

static void send_packet(const char *data)
{
	size_t len = strlen(data);
	char *pkt = malloc(len + 5);
	u8 sum = 0;

	if (!pkt || gdb->conn.fd < 0) {
		free(pkt);
		return;
	}
	for (size_t i = 0; i < len; i++)
		sum += (u8)data[i];
	snprintf(pkt, len + 5, "$%s#%02x", data, sum);
	write_all(gdb->conn.fd, pkt, len + 4);
	free(pkt);
}

static struct vcpu *cpu(unsigned int id)
{
	return gdb->vm->vcpus[id < gdb->vm->nr_cpus ? id : 0];
}

static int mem(u64 addr, u8 *buf, size_t len, bool write)
{
	return gdb_access_mem(cpu(gdb->g_cpu), gdb->phys, addr, buf, len, write);
}

static void stop_reply(int signal)
{
	char buf[128];
	const char *why = "";
	char extra[48] = "";
	unsigned int id = gdb->stop_cpu >= 0 ? (unsigned int)gdb->stop_cpu : gdb->g_cpu;

	if (gdb->stop_cpu >= 0) {
		switch (ESR_EC(gdb->stop_esr)) {
		case EC_BRK64:
			why = "swbreak:;";
			break;
		case EC_HW_BP:
			why = "hwbreak:;";
			break;
		case EC_WATCHPT:
			snprintf(extra, sizeof(extra), "watch:%llx;",
				 (unsigned long long)gdb->stop_far);
			why = extra;
			break;
		}
	}
	gdb->g_cpu = gdb->c_cpu = id;
	snprintf(buf, sizeof(buf), "T%02xthread:%x;%s", signal, id + 1, why);
	send_packet(buf);
}

/* Program every vCPU's debug state; @step: the one vCPU to single-step. */
static int set_guest_debug(struct vcpu *step)
{
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP };

	for (int i = 0; i < KVM_ARM_MAX_DBG_REGS; i++) {
		dbg.arch.dbg_bvr[i] = gdb->bp[i].addr;
		dbg.arch.dbg_bcr[i] = gdb->bp[i].ctrl;
		dbg.arch.dbg_wvr[i] = gdb->wp[i].addr;
		dbg.arch.dbg_wcr[i] = gdb->wp[i].ctrl;
		if (gdb->bp[i].ctrl || gdb->wp[i].ctrl)
			dbg.control |= KVM_GUESTDBG_USE_HW;
	}
	for (unsigned int i = 0; i < gdb->vm->nr_cpus; i++) {
		struct vcpu *v = gdb->vm->vcpus[i];
		struct kvm_guest_debug d = dbg;

		if (v == step)
			d.control |= KVM_GUESTDBG_SINGLESTEP;
		if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &d))
			return -1;
	}
	return 0;
}

static void resume(struct vcpu *step)
{
	if (set_guest_debug(step)) {
		send_packet("E01");
		return;
	}
	pthread_mutex_lock(&gdb->lock);
	gdb->stop_cpu = -1;
	pthread_mutex_unlock(&gdb->lock);
	gdb->running = true;
	vcpus_release(gdb->vm, step);
}

static void stop_all(void)
{
	vcpus_pause(gdb->vm);
	gdb->running = false;
}

static int sw_bp(u64 addr, bool insert)
{
	u32 brk = BRK_INSN;

	for (int i = 0; i < MAX_SW_BPS; i++) {
		struct sw_bp *b = &gdb->sw[i];

		if (!insert && b->used && b->addr == addr) {
			b->used = false;
			return mem(addr, (u8 *)&b->saved, 4, true);
		}
		if (insert && !b->used) {
			if (mem(addr, (u8 *)&b->saved, 4, false) ||
			    mem(addr, (u8 *)&brk, 4, true))
				return -1;
			b->used = true;
			b->addr = addr;
			return 0;
		}
	}
	return -1;
}

/*
 * Hardware slots. DBGBCR: E, PMC=EL1+EL0, BAS=all four bytes of an A64
 * instruction. DBGWCR: E, PAC=EL1+EL0, LSC (load/store/both), BAS: the
 * bytes of the aligned doubleword watched.
 */
static int hw_slot(int type, u64 addr, u64 len, bool insert)
{
	bool is_bp = type == 1;
	struct hw_slot *slots = is_bp ? gdb->bp : gdb->wp;
	int n = is_bp ? gdb->nr_bp : gdb->nr_wp;
	u64 ctrl;

	if (is_bp) {
		ctrl = (0xfULL << 5) | (3 << 1) | 1;
	} else {
		u64 lsc = type == 2 ? 2 : type == 3 ? 1 : 3;	/* write, read, access */

		if (!len || len > 8 || (addr & 7) + len > 8)
			return -1;
		ctrl = (((1ULL << len) - 1) << (5 + (addr & 7))) | (lsc << 3) | (3 << 1) | 1;
		addr &= ~7ULL;
	}
	for (int i = 0; i < n; i++) {
		if (insert && !slots[i].ctrl) {
			slots[i] = (struct hw_slot){ addr, ctrl };
			return 0;
		}
		if (!insert && slots[i].ctrl == ctrl && slots[i].addr == addr) {
			slots[i].ctrl = 0;
			return 0;
		}
	}
	return -1;
}

static void handle_breakpoint(const char *p, bool insert)
{
	int type = p[0] - '0';
	unsigned long long addr, len;
	int err;

	if (sscanf(p + 1, ",%llx,%llx", &addr, &len) != 2 || type < 0 || type > 4) {
		send_packet("E01");
		return;
	}
	err = type == 0 ? sw_bp(addr, insert) : hw_slot(type, addr, len, insert);
	send_packet(err ? "E01" : "OK");
}

/* 'g': the core registers, and v0-v31/fpsr/fpcr without SVE (gdb reads the rest with 'p'). */
static void read_all_regs(void)
{
	static char out[NR_GDB_REGS * 32 + 1];
	int nr = gdb->vm->cfg->sve_max_vl ? 34 : NR_GDB_REGS;
	char *o = out;
	u8 val[256];

	for (int n = 0; n < nr; n++) {
		int size = gdb_read_reg(cpu(gdb->g_cpu), n, val);

		if (size < 0) {
			send_packet("E01");
			return;
		}
		gdb_to_hex(o, val, size);
		o += 2 * size;
	}
	send_packet(out);
}

static void write_all_regs(const char *p)
{
	int nr = gdb->vm->cfg->sve_max_vl ? 34 : NR_GDB_REGS;
	u8 val[256];
	u64 id;

	for (int n = 0; n < nr && *p; n++) {
		int size = gdb_reg_of(n, &id);

		if (gdb_from_hex(p, val, size) || gdb_write_reg(cpu(gdb->g_cpu), n, val)) {
			send_packet("E01");
			return;
		}
		p += 2 * size;
	}
	send_packet("OK");
}

static void memory(const char *p, bool write)
{
	static u8 buf[PKT_MAX / 2];
	static char out[PKT_MAX];
	unsigned long long addr, len;
	const char *data = strchr(p, ':');

	if (sscanf(p, "%llx,%llx", &addr, &len) != 2 || len > sizeof(buf) / 2 ||
	    (write && (!data || strlen(data + 1) < 2 * len || gdb_from_hex(data + 1, buf, len)))) {
		send_packet("E01");
		return;
	}
	if (mem(addr, buf, len, write)) {
		send_packet("E14");	/* EFAULT */
		return;
	}
	if (write) {
		send_packet("OK");
	} else {
		gdb_to_hex(out, buf, len);
		send_packet(out);
	}
}

static void thread_info(void)
{
	char buf[PKT_MAX] = "m";
	size_t n = 1;

	for (unsigned int i = 0; i < gdb->vm->nr_cpus && n < sizeof(buf) - 12; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%x", i ? "," : "", i + 1);
	send_packet(buf);
}

/* "vCont;s:2;c" and friends: step one thread (others hold) or run them all. */
static void vcont(const char *p)
{
	struct vcpu *step = NULL;

	while ((p = strchr(p, ';'))) {
		p++;
		if (*p == 's' || *p == 'S') {
			const char *t = strchr(p, ':');
			unsigned long tid = t ? strtoul(t + 1, NULL, 16) : gdb->c_cpu + 1;

			step = cpu(tid > 0 ? tid - 1 : gdb->c_cpu);
			break;
		}
	}
	resume(step);
}

static void select_thread(const char *p)
{
	long tid = strtol(p + 1, NULL, 16);

	/* 0 and -1 mean "any" and "all": keep the current vCPU. */
	if (tid > 0 && (unsigned long)tid <= gdb->vm->nr_cpus) {
		if (p[0] == 'g')
			gdb->g_cpu = tid - 1;
		else
			gdb->c_cpu = tid - 1;
	}
	send_packet("OK");
}

static void detach(void)
{
	struct kvm_guest_debug off = { 0 };
	u64 stale;

	for (int i = 0; i < MAX_SW_BPS; i++) {
		if (gdb->sw[i].used)
			sw_bp(gdb->sw[i].addr, false);
	}
	memset(gdb->bp, 0, sizeof(gdb->bp));
	memset(gdb->wp, 0, sizeof(gdb->wp));

	for (unsigned int i = 0; i < gdb->vm->nr_cpus; i++)
		ioctl(gdb->vm->vcpus[i]->fd, KVM_SET_GUEST_DEBUG, &off);
	/* A debug exit reported while stopping is moot now: drop it. */
	if (read(gdb->event.fd, &stale, sizeof(stale)) < 0 && errno != EAGAIN)
		pr_warn("gdb: event read failed");
	pthread_mutex_lock(&gdb->lock);
	gdb->stop_cpu = -1;
	pthread_mutex_unlock(&gdb->lock);
	send_packet("OK");
	gdb->running = true;
	vcpus_resume(gdb->vm);
}

/* A window of target.xml: "m" more follows, "l" the last part. */
static void target_xml(const char *range)
{
	static char xml[16384], out[PKT_MAX];
	unsigned long off, len;
	size_t total = gdb_target_xml(xml, sizeof(xml));

	if (sscanf(range, "%lx,%lx", &off, &len) != 2 || off > total) {
		send_packet("E01");
		return;
	}
	len = MIN(len, MIN(total - off, sizeof(out) - 2));
	/* The document has none of the characters the protocol escapes. */
	snprintf(out, sizeof(out), "%c%.*s", off + len < total ? 'm' : 'l', (int)len, xml + off);
	send_packet(out);
}

/* "monitor phys on|off": gdb's addresses are physical / virtual. */
static void monitor(const char *hex)
{
	char cmd[64] = "", reply[128];
	size_t len = strlen(hex) / 2;

	if (len >= sizeof(cmd) || gdb_from_hex(hex, cmd, len)) {
		send_packet("E01");
		return;
	}
	cmd[len] = 0;
	if (!strcmp(cmd, "phys on") || !strcmp(cmd, "phys off"))
		gdb->phys = !strcmp(cmd, "phys on");
	else if (strcmp(cmd, "phys")) {
		send_packet("E01");
		return;
	}
	snprintf(cmd, sizeof(cmd), "memory addresses are %s\n", gdb->phys ? "physical" : "virtual");
	gdb_to_hex(reply, cmd, strlen(cmd));
	send_packet(reply);
}

static void query(const char *p)
{
	char buf[64];

	if (!strncmp(p, "qSupported", 10))
		send_packet("PacketSize=3fff;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+");
	else if (!strncmp(p, "qXfer:features:read:target.xml:", 31))
		target_xml(p + 31);
	else if (!strcmp(p, "qAttached"))
		send_packet("1");
	else if (!strcmp(p, "qC")) {
		snprintf(buf, sizeof(buf), "QC%x", gdb->g_cpu + 1);
		send_packet(buf);
	} else if (!strcmp(p, "qfThreadInfo"))
		thread_info();
	else if (!strcmp(p, "qsThreadInfo"))
		send_packet("l");
	else if (!strcmp(p, "qSymbol::"))
		send_packet("OK");
	else if (!strncmp(p, "qRcmd,", 6))
		monitor(p + 6);
	else
		send_packet("");
}

static void handle_packet(char *p)
{
	switch (p[0]) {
	case '?':
		stop_reply(5);
		break;
	case 'g':
		read_all_regs();
		break;
	case 'G':
		write_all_regs(p + 1);
		break;
	case 'p': {
		u8 val[256];
		char out[513];
		int size = gdb_read_reg(cpu(gdb->g_cpu), strtol(p + 1, NULL, 16), val);

		if (size < 0) {
			send_packet("E01");
		} else {
			gdb_to_hex(out, val, size);
			send_packet(out);
		}
		break;
	}
	case 'P': {
		char *eq = strchr(p, '=');
		u8 val[256] = { 0 };
		int n = strtol(p + 1, NULL, 16);
		u64 id;
		int size = gdb_reg_of(n, &id);

		if (!eq || size < 0 || gdb_from_hex(eq + 1, val, size) ||
		    gdb_write_reg(cpu(gdb->g_cpu), n, val))
			send_packet("E01");
		else
			send_packet("OK");
		break;
	}
	case 'm':
	case 'M':
		memory(p + 1, p[0] == 'M');
		break;
	case 'c':
		resume(NULL);
		break;
	case 's':
		resume(cpu(gdb->c_cpu));
		break;
	case 'v':
		if (!strcmp(p, "vCont?"))
			send_packet("vCont;c;C;s;S");
		else if (!strncmp(p, "vCont;", 6))
			vcont(p + 5);
		else
			send_packet("");
		break;
	case 'H':
		select_thread(p + 1);
		break;
	case 'T':
		send_packet(strtoul(p + 1, NULL, 16) - 1 < gdb->vm->nr_cpus ? "OK" : "E01");
		break;
	case 'Z':
	case 'z':
		handle_breakpoint(p + 1, p[0] == 'Z');
		break;
	case 'D':
		detach();
		break;
	case 'k':
		vm_request_stop(gdb->vm, VM_EXIT_POWEROFF);
		break;
	case 'q':
		query(p);
		break;
	default:
		send_packet("");
	}
}

/* Bytes from gdb: acks, Ctrl-C, and $packet#xx. */
static void process_input(void)
{
	size_t i = 0;

	while (i < gdb->in_len) {
		char c = gdb->in[i];
		char *end;

		if (c == '+' || c == '-') {
			i++;
			continue;
		}
		if (c == 0x03) {		/* Ctrl-C: stop the target */
			i++;
			if (gdb->running) {
				stop_all();
				gdb->stop_cpu = -1;
				stop_reply(2);
			}
			continue;
		}
		if (c != '$') {
			i++;
			continue;
		}
		end = memchr(gdb->in + i, '#', gdb->in_len - i);
		if (!end || end + 2 >= gdb->in + gdb->in_len)
			break;		/* incomplete: wait for more */
		*end = 0;
		write_all(gdb->conn.fd, "+", 1);
		handle_packet(gdb->in + i + 1);
		i = end + 3 - gdb->in;
	}
	memmove(gdb->in, gdb->in + i, gdb->in_len - i);
	gdb->in_len -= i;
}

static void conn_readable(void *opaque)
{
	ssize_t n = read(gdb->conn.fd, gdb->in + gdb->in_len, sizeof(gdb->in) - gdb->in_len);

	if (n <= 0) {
		/*
		 * gdb went away: let the guest run free, with nothing of gdb's
		 * left planted (a BRK it set would otherwise stop every vCPU
		 * for a debugger that is gone). Stopped first, so no vCPU is
		 * between hitting one and reporting it.
		 */
		ioloop_del(&gdb->vm->loop, &gdb->conn);
		close(gdb->conn.fd);
		gdb->conn.fd = -1;
		if (gdb->running)
			stop_all();
		detach();
		return;
	}
	gdb->in_len += n;
	if (gdb->in_len == sizeof(gdb->in))
		gdb->in_len = 0;	/* garbage: drop it */
	process_input();
}

static void accept_conn(void *opaque)
{
	int fd = accept4(gdb->listen.fd, NULL, NULL, SOCK_CLOEXEC), one = 1;

	if (fd < 0)
		return;
	if (!gdb_peer_allowed(fd)) {
		close(fd);
		pr_warn("gdb: refused a connection from another user");
		return;
	}
	if (gdb->conn.fd >= 0) {
		close(fd);	/* one debugger at a time */
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	gdb->conn.fd = fd;
	gdb->in_len = 0;
	if (gdb->running)
		stop_all();
	ioloop_add(&gdb->vm->loop, &gdb->conn);
	pr_info("gdb connected");
}

/* A vCPU parked after a debug exit that was gdb's: tell gdb. */
static void debug_event(void *opaque)
{
	u64 n;

	if (read(gdb->event.fd, &n, sizeof(n)) < 0 || !gdb->running)
		return;
	vcpus_wait_parked(gdb->vm);
	gdb->running = false;
	if (gdb->conn.fd >= 0)
		stop_reply(5);
}

/*
 * A vCPU thread got KVM_EXIT_DEBUG (the hook given to arm/vcpu.c). True if
 * it was gdb's (the stub then stops every vCPU and tells gdb); false if it
 * belongs to the guest.
 */
static bool gdb_debug_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	u32 esr = run->debug.arch.hsr;
	u64 one = 1, pc = 0;
	bool ours = false;

	if (!gdb)
		return false;
	switch (ESR_EC(esr)) {
	case EC_BRK64:
		/* Only BRKs gdb planted; the guest's own (BUG, kprobes) go back to it. */
		vcpu_get_reg(vcpu, CORE_REG(regs.pc), &pc);
		for (int i = 0; i < MAX_SW_BPS; i++)
			ours |= gdb->sw[i].used && gdb->sw[i].addr == pc;
		break;
	case EC_HW_BP:
	case EC_SOFTSTEP:
	case EC_WATCHPT:
		ours = true;
		break;
	}
	if (!ours)
		return false;
	pthread_mutex_lock(&gdb->lock);
	if (gdb->stop_cpu < 0) {
		gdb->stop_cpu = vcpu->id;
		gdb->stop_esr = esr;
		gdb->stop_far = run->debug.arch.far;
	}
	pthread_mutex_unlock(&gdb->lock);
	vcpus_request_park(vcpu->vm);
	if (write(gdb->event.fd, &one, sizeof(one)) < 0)
		pr_warn("gdb: event write failed");
	return true;
}

int gdb_start(struct vm *vm, const char *where, bool wait)
{
	int hw;

	gdb = calloc(1, sizeof(*gdb));
	if (!gdb)
		return -1;
	gdb->vm = vm;
	gdb->conn.fd = -1;
	gdb->stop_cpu = -1;
	pthread_mutex_init(&gdb->lock, NULL);
	hw = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_BPS);
	gdb->nr_bp = MIN(MAX(hw, 0), KVM_ARM_MAX_DBG_REGS);
	hw = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_DEBUG_HW_WPS);
	gdb->nr_wp = MIN(MAX(hw, 0), KVM_ARM_MAX_DBG_REGS);
	gdb_target_set_sve(vm->cfg->sve_max_vl / 128);
	vcpus_set_debug_hook(gdb_debug_exit);
	gdb->listen.fd = gdb_listen(where);
	if (gdb->listen.fd < 0) {
		pr_err("--gdb %s: cannot listen there: %s", where, strerror(errno));
		return -1;
	}
	if (gdb_listen_dir() >= 0 && sandbox_allow_unlink_in(gdb_listen_dir()))
		return -1;
	gdb->listen.fn = accept_conn;
	gdb->conn.fn = conn_readable;
	gdb->event.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	gdb->event.fn = debug_event;
	if (gdb->event.fd < 0 || ioloop_add(&vm->loop, &gdb->listen) || ioloop_add(&vm->loop, &gdb->event))
		return -1;
	/* --gdb-wait: the vCPUs park before their first instruction. */
	gdb->running = !wait;
	if (wait)
		vm->park.requested = true;
	pr_warn("gdb: waiting for a debugger on %s (%d breakpoints, %d watchpoints)%s", where,
		gdb->nr_bp, gdb->nr_wp, wait ? "; the guest holds until gdb connects" : "");
	return 0;
}

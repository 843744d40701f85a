// SPDX-License-Identifier: GPL-2.0-only
/* `gicvm run`: build the VM in the order KVM needs, boot it, report how it ended. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "arm/arm.h"
#include "arm/gdb.h"
#include "gic/gic.h"
#include "gicvm/commands.h"
#include "gicvm/control.h"
#include "gicvm/device.h"
#include "gicvm/guestcmd.h"
#include "gicvm/load.h"
#include "gicvm/report.h"
#include "gicvm/sandbox.h"
#include "gicvm/snapshot.h"
#include "gicvm/term.h"
#include "gicvm/vm.h"

/* Whether the command line asked for a guest command: its errors exit 125. */
static bool wants_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--") || !strcmp(argv[i], "--sandbox"))
			return true;
	return false;
}

/*
 * Where the guest console's output goes: --tty's pty, --console-log's file,
 * else stdout, except with a command, whose stdout it is not: then only
 * into memory, for a panic report. Its input is the pty's, else stdin,
 * except with a command, whose stdin it is.
 */
static int console_fd = STDOUT_FILENO;
static int console_in_fd = STDIN_FILENO;
static char console_pty[64];	/* --tty's, for `gicvm list` */

static void open_console(const struct vm_config *cfg)
{
	if (cfg->tty) {
		console_fd = console_in_fd = term_open_pty(console_pty, sizeof(console_pty));
		if (console_fd < 0)
			exit(error_exit_status);
		return;
	}
	if (cfg->command)
		console_fd = console_in_fd = -1;
	if (cfg->console_log) {
		console_fd = open(cfg->console_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (console_fd < 0)
			die_errno("--console-log %s", cfg->console_log);
	}
}

/* A command's run that ended without its status: one line on why. */
static void say_command_end(int reason, int status, struct vm *vm)
{
	if (status == VM_EXIT_BACKEND)
		pr_err("a backend (virtiofsd) died under the command: exit status %d", status);
	else if (status == VM_EXIT_COMMAND_LOST)
		pr_err("the guest %s before the command finished: exit status %d",
		       reason == VM_EXIT_RESET ? "reset" : "powered off", status);
	else if (atomic_load(&vm->command_status) < 0 && reason == VM_EXIT_ERROR)
		pr_err("the command could not be run: exit status %d", status);
}

/* A panic with the console out of sight: its text on stderr. */
static void report_panic(void)
{
	static char tail[8192];
	size_t len, start;

	if (console_fd == STDOUT_FILENO)
		return;
	len = term_console_tail(tail, sizeof(tail));
	start = guestcmd_panic_start(tail, len);
	write_all(STDERR_FILENO, tail + start, len - start);
}

/* SIGTERM, SIGINT, SIGHUP: stop the VM from the I/O loop, like `gicvm stop`. */
static struct ioloop_entry signals = { .fd = -1 }, timeout = { .fd = -1 };

static void on_signal(void *opaque)
{
	struct signalfd_siginfo si;

	if (read(signals.fd, &si, sizeof(si)) == sizeof(si)) {
		pr_warn("stopping on signal %u", si.ssi_signo);
		vm_request_stop(opaque, VM_EXIT_SIGNAL + si.ssi_signo);
	}
}

static void on_timeout(void *opaque)
{
	u64 n;

	if (read(timeout.fd, &n, sizeof(n)) == sizeof(n)) {
		pr_warn("--timeout: stopping the guest");
		vm_request_stop(opaque, VM_EXIT_TIMEOUT);
	}
}

/* Block the stop signals in every thread (vCPU threads inherit it). */
static void block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

static void watch_signals_and_time(struct vm *vm, const sigset_t *set)
{
	signals.fd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	signals.fn = on_signal;
	signals.opaque = vm;
	if (signals.fd < 0 || ioloop_add(&vm->loop, &signals))
		die_errno("signalfd");
	if (!vm->cfg->timeout)
		return;
	timeout.fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	timeout.fn = on_timeout;
	timeout.opaque = vm;
	if (timeout.fd < 0 || ioloop_add(&vm->loop, &timeout))
		die_errno("--timeout timer");
}

/*
 * --timeout counts from here, where the guest's wall time does: a guest
 * stopped by it has run the whole time it was given.
 */
static void start_timeout(struct vm *vm)
{
	if (vm->cfg->timeout &&
	    timerfd_settime(timeout.fd, 0, &(struct itimerspec){
		    .it_value.tv_sec = vm->cfg->timeout }, NULL))
		die_errno("--timeout timer");
}

/* gicvm's own resident memory: all of it but the guest RAM mapping's; -1 if unknown. */
static long long own_resident_kib(struct vm *vm)
{
	long long rss = resident_kib(), ram = mapping_resident_kib(vm->ram);

	return rss >= 0 && ram >= 0 && rss >= ram ? rss - ram : -1;
}

/*
 * PSCI SYSTEM_RESET: every vCPU parked, then the GIC, the devices and the
 * vCPUs back to their power-on state, RAM zeroed, the kernel, initrd and
 * DT loaded again, and the boot vCPU let go.
 */
static void on_reboot(void *opaque)
{
	struct vm *vm = opaque;
	u64 n;

	if (read(vm->reboot.fd, &n, sizeof(n)) != sizeof(n) ||
	    atomic_load(&vm->exit_reason) != VM_RUNNING)
		return;
	vcpus_pause(vm);
	devices_reset(vm);
	if (gic_reset(vm->gic) || vcpus_reset(vm)) {
		vm_request_stop(vm, VM_EXIT_ERROR);
		vcpus_resume(vm);
		return;
	}
	vm_clear_ram(vm);
	if (guest_load(vm, false)) {
		/* Say so and stop; never exit() with the guest's threads about. */
		pr_err("reboot: the guest cannot be loaded again");
		vm_request_stop(vm, VM_EXIT_ERROR);
		vcpus_resume(vm);
		return;
	}
	vm->reboots++;
	pr_info("reboot %u: %d fds open, %lld KiB resident, %lld KiB without guest RAM",
		vm->reboots, count_open_fds(), resident_kib(), own_resident_kib(vm));
	vcpus_resume(vm);
}

static const char *exit_name(int reason)
{
	switch (reason) {
	case VM_EXIT_POWEROFF:
		return "poweroff";
	case VM_EXIT_RESET:
		return "reset";
	case VM_EXIT_TIMEOUT:
		return "timeout";
	case VM_EXIT_ERROR:
		return "error";
	case VM_EXIT_PANIC:
		return "panic";
	}
	return reason > VM_EXIT_SIGNAL ? "signal" : "?";
}

/* Microseconds from gicvm's start to @t on its timeline (0: never happened). */
static u64 timeline_us(const struct vm *vm, u64 t)
{
	u64 hz = arm_counter_hz(), ticks = t - vm->timeline.start;

	if (t < vm->timeline.start || !hz)
		return 0;
	/* In two parts: ticks * 10^6 would overflow after some 80 hours. */
	return ticks / hz * 1000000 + ticks % hz * 1000000 / hz;
}

/*
 * Where the time went before and during the run, and where the guest's
 * counter began (so a guest's own counter reading maps onto this timeline),
 * and what gicvm holds in memory beside the guest's RAM.
 */
static void report_timeline(struct vm *vm, struct report *r)
{
	long long own = own_resident_kib(vm);

	report_push(r, "timeline");
	report_u64(r, "counter_hz", arm_counter_hz());
	report_u64(r, "guest_origin_us", timeline_us(vm, vm->timeline.guest_origin));
	report_u64(r, "first_kvm_run_us", timeline_us(vm, vm->timeline.first_run));
	report_u64(r, "stop_us", timeline_us(vm, vm->timeline.stop));
	report_pop(r);
	if (own >= 0)
		report_u64(r, "vmm_rss_kib", own);
}

/* Written at exit, but opened now: the sandbox will not let gicvm create files. */
static FILE *open_summary(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("--json-summary %s: %s", path, strerror(errno));
	return f;
}

static void write_summary(struct vm *vm, FILE *f, int reason, int status, double seconds)
{
	int command_status = atomic_load(&vm->command_status);
	long long ram_page_kib = mapping_page_kib(vm->ram);
	struct report r;
	char buf[32];

	report_begin(&r, f, true);
	report_str(&r, "exit_reason", exit_name(reason));
	report_u64(&r, "exit_status", status);
	if (vm->cfg->command && command_status >= 0)
		report_u64(&r, "command_status", command_status);
	snprintf(buf, sizeof(buf), "%.3f", seconds);
	report_str(&r, "guest_wall_seconds", buf);
	report_u64(&r, "cpus", vm->nr_cpus);
	report_u64(&r, "mem_mib", vm->cfg->mem_mib);
	/* 4 normally, 2048 (or the hugetlbfs's size) with --hugetlbfs or --hugepages. */
	if (ram_page_kib > 0)
		report_u64(&r, "ram_page_kib", ram_page_kib);
	report_u64(&r, "reboots", vm->reboots);
	report_timeline(vm, &r);
	vm_report_stats(vm, &r);
	report_end(&r);
	fclose(f);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * --restore DIR: the snapshot read and checked, and the configuration
 * parsed again from its command line with what was given now on top.
 */
static int open_restore(struct vm_config *cfg, int argc, char **argv, struct snapshot *snap)
{
	char **merged;
	int n;

	if (snapshot_open(cfg->restore, snap) ||
	    config_restore_argv(snap->argc, snap->argv, argc, argv, &n, &merged))
		return -1;
	if (config_parse_run(cfg, n, merged) != CONFIG_OK) {
		pr_err("--restore: the snapshot's command line and the options given do not go "
		       "together");
		return -1;
	}
	return snapshot_check_config(snap, cfg);
}

static int restore_machine(struct vm *vm, struct snapshot *snap)
{
	if (snapshot_restore(vm, snap))
		return -1;
	pr_info("restored from %s", vm->cfg->restore);
	return 0;
}

int cmd_run(int argc, char **argv)
{
	u64 start = arm_counter();	/* the timeline's zero: first thing */
	static struct vm vm;
	struct vm_config cfg;
	char name[64];
	sigset_t stop_signals;
	static struct snapshot snap;
	FILE *summary = NULL;
	double started;
	int reason, status;

	switch (config_parse_run(&cfg, argc, argv)) {
	case CONFIG_HELP:
		return 0;
	case CONFIG_ERROR:
		return wants_command(argc, argv) ? VM_EXIT_NO_COMMAND : 1;
	case CONFIG_OK:
		break;
	}
	if (cfg.restore && open_restore(&cfg, argc, argv, &snap))
		return 1;
	if (cfg.command)
		error_exit_status = VM_EXIT_NO_COMMAND;
	if (!cfg.restore && guest_files_open(&cfg))
		return error_exit_status;
	/* A restored guest needs its kernel again only if it resets itself. */
	if (cfg.restore && guest_files_open(&cfg))
		pr_warn("--restore: without the snapshot's kernel and initrd, a guest reset ends the VM");
	open_console(&cfg);
	block_stop_signals(&stop_signals);

	/* VM and GIC first: a script probing with a bad kernel learns the GIC works. */
	vm_create(&vm, &cfg);
	vm.console_fd = console_fd;
	vm.console_in_fd = console_in_fd;
	vm.console_pty = console_pty[0] ? console_pty : NULL;
	vm.timeline.start = start;	/* vm_create() cleared it */
	if (cfg.restore && snapshot_map_ram(&vm, &snap))
		exit(1);
	/* Before the GIC, which --nested also changes: a host without it says so first. */
	vcpus_check_features(&vm);
	vm.gic = gic_create(&vm, cfg.gic);
	if (!vm.gic)
		exit(error_exit_status);
	if (cfg.irq_inject_ioctl)
		gic_inject_by_ioctl(vm.gic);
	if (cfg.transport == TRANSPORT_PCI && !gic_has_msi(vm.gic))
		die("--virtio-transport pci needs MSIs, and a GIC %s has no MSI controller "
		    "(use --gic v3-its or v2m)", gic_type_name(gic_type(vm.gic)));
	vcpus_create(&vm);
	vcpus_init_counter(&vm);
	if (devices_create(&vm) || gic_finalize(vm.gic))
		exit(error_exit_status);
	vcpus_init_pmu(&vm);
	if (!cfg.restore && guest_load(&vm, true))
		exit(error_exit_status);
	if (devices_start(&vm))
		die("cannot start the devices");
	if (cfg.restore && restore_machine(&vm, &snap))
		exit(1);
	/* After a restore, which moves the guest's counter. */
	if (vcpus_guest_counter_origin(&vm, &vm.timeline.guest_origin))
		pr_debug("cannot read the guest's counter: no guest_origin_us");
	if (cfg.name)
		snprintf(name, sizeof(name), "%s", cfg.name);
	else
		snprintf(name, sizeof(name), "gicvm-%d", (int)getpid());
	vcpus_init_park(&vm);
	if (cfg.json_summary)
		summary = open_summary(cfg.json_summary);
	if (control_start(&vm, name) || (cfg.gdb && gdb_start(&vm, cfg.gdb, cfg.gdb_wait)) ||
	    (cfg.debug_single_step && single_step_start(&vm)))
		exit(error_exit_status);
	watch_signals_and_time(&vm, &stop_signals);
	vm.reboot.fn = on_reboot;
	vm.reboot.opaque = &vm;
	if (ioloop_add(&vm.loop, &vm.reboot))
		die_errno("cannot watch for reboots");

	/* Everything is built: from here on, only what running the VM needs. */
	if (proc_self_open() || (!cfg.no_sandbox && sandbox_prepare()))
		exit(error_exit_status);
	started = now();
	vm.stats.host_maint_start = host_irq_count("vgic");
	start_timeout(&vm);
	vcpus_start(&vm);
	if (!cfg.no_sandbox && sandbox_enter(SANDBOX_IO))
		die("cannot sandbox the I/O thread");
	if (cfg.sandbox_test && strncmp(cfg.sandbox_test, "vcpu-", 5))
		sandbox_self_test(cfg.sandbox_test);
	if (ioloop_run(&vm.loop))
		vm_request_stop(&vm, VM_EXIT_ERROR);
	vcpus_stop_and_join(&vm);
	control_stop(&vm);
	gdb_stop();

	reason = atomic_load(&vm.exit_reason);
	status = guestcmd_exit_status(&cfg, reason, atomic_load(&vm.command_status),
				      atomic_load(&vm.backend_failed));
	if (reason == VM_EXIT_PANIC)
		report_panic();
	else if (cfg.command)
		say_command_end(reason, status, &vm);
	else if (reason == VM_EXIT_RESET)
		pr_warn("guest asked for a reset; gicvm exits with status %d", VM_EXIT_RESET);
	if (cfg.stats) {
		struct report r;

		report_begin(&r, stderr, false);
		vm_report_stats(&vm, &r);
		report_end(&r);
	}
	if (summary)
		write_summary(&vm, summary, reason, status, now() - started);
	pr_info("guest stopped (exit status %d)", status);
	return status;
}

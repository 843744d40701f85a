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
#include "arm/boot.h"
#include "arm/gdb.h"
#include "gic/gic.h"
#include "gicvm/commands.h"
#include "gicvm/control.h"
#include "gicvm/device.h"
#include "gicvm/guestcmd.h"
#include "gicvm/memmap.h"
#include "gicvm/report.h"
#include "gicvm/sandbox.h"
#include "gicvm/term.h"
#include "gicvm/vm.h"

#ifndef GICVM_DATADIR
#define GICVM_DATADIR "/usr/local/share/gicvm"
#endif

#define EARLYCON	"earlycon=uart8250,mmio,0x1000000"
#define STDOUT_PATH	"/serial@1000000"

static char default_kernel[4096], default_initrd[4096];

/* gicvm-init, linked in by guest_init.S; the initramfs built around it. */
extern const u8 gicvm_init_start[], gicvm_init_end[];
static void *built_initrd;
static size_t built_initrd_len;

/* No -k: the installed kernel, and its initramfs unless gicvm built one (--rootfs). */
static void use_default_guest(struct vm_config *cfg, bool with_initrd)
{
	const char *dir = getenv("GICVM_GUEST_DIR");

	if (!dir || !*dir)
		dir = GICVM_DATADIR;
	snprintf(default_kernel, sizeof(default_kernel), "%s/Image", dir);
	snprintf(default_initrd, sizeof(default_initrd), "%s/initramfs.cpio.gz", dir);
	if (access(default_kernel, R_OK))
		die("no kernel given (-k) and no default guest in %s; "
		    "build and install it with 'make guest install' in the gicvm tree, "
		    "or pass -k Image", dir);
	cfg->kernel = default_kernel;
	if (with_initrd && !cfg->initrd && !access(default_initrd, R_OK))
		cfg->initrd = default_initrd;
}

/* The initrd is copied as it is (never parsed) once its place is known. */
static u64 initrd_size_of(const char *path, int *fd)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		die_errno("cannot open initrd %s", path);
	if (fstat(*fd, &st) || !S_ISREG(st.st_mode))
		die("initrd %s is not a regular file", path);
	return st.st_size;
}

static void load_initrd(struct vm *vm, int fd, const struct boot_layout *bl)
{
	u8 *dst = guest_ram(vm, bl->initrd_addr, bl->initrd_size);
	u64 done = 0;

	while (done < bl->initrd_size) {
		ssize_t n = pread(fd, dst + done, bl->initrd_size - done, done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("cannot read the initrd (%s)", n ? strerror(errno) : "it shrank");
		done += n;
	}
	close(fd);
}

static char *make_bootargs(const struct vm_config *cfg)
{
	const char *params = cfg->params ? cfg->params : "";
	char *s;

	/*
	 * --nodefaults: exactly what the user gave. Otherwise the user's
	 * parameters come between gicvm's console= (so theirs wins) and its
	 * earlycon (so their quiet or loglevel= is in force before the early
	 * console prints the log so far, character by character). A command's
	 * run is quiet unless the user's loglevel= says otherwise.
	 */
	if (cfg->nodefaults)
		s = strdup(params);
	else if (asprintf(&s, "console=%s %s%s%s" EARLYCON,
			  cfg->console == CONSOLE_VIRTIO ? "hvc0" : "ttyS0",
			  cfg->command ? "quiet " : "", params, *params ? " " : "") < 0)
		s = NULL;
	if (!s)
		die("out of memory");
	return s;
}

/* Whether the command line asked for a guest command: its errors exit 125. */
static bool wants_command(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--") || !strcmp(argv[i], "--sandbox"))
			return true;
	return false;
}

/*
 * Where the guest console's output goes: --console-log's file, else stdout,
 * except with a command, whose stdout it is not: then only into memory,
 * for a panic report.
 */
static int console_fd = STDOUT_FILENO;

static void open_console_log(const struct vm_config *cfg)
{
	if (cfg->console_log) {
		console_fd = open(cfg->console_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (console_fd < 0)
			die_errno("--console-log %s", cfg->console_log);
	} else if (cfg->command) {
		console_fd = -1;
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

static void dump_dtb(const char *path, const void *fdt)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(fdt, 1, fdt_totalsize_of(fdt), f) != fdt_totalsize_of(fdt) || fclose(f))
		die_errno("--dump-dtb %s", path);
}

/* Kernel, initrd and DT into RAM; on the first boot only, --dump-dtb's file. */
static void load_guest(struct vm *vm, const struct vm_config *cfg, bool first_boot)
{
	struct kernel_image img;
	struct boot_layout bl;
	struct fdt_desc desc;
	u64 initrd_size = 0, *mpidrs;
	int initrd_fd = -1;
	const char *why;
	char *bootargs;
	void *fdt;

	if (image_load_file(cfg->kernel, vm->ram_size, &img))
		exit(error_exit_status);
	if (cfg->initrd)
		initrd_size = initrd_size_of(cfg->initrd, &initrd_fd);
	else if (built_initrd)
		initrd_size = built_initrd_len;
	if (boot_layout_compute(vm->ram_base, vm->ram_size, &img, initrd_size, &bl, &why))
		die("%s", why);

	memcpy(guest_ram(vm, bl.kernel_addr, img.size), img.data, img.size);
	free(img.data);
	if (initrd_fd >= 0)
		load_initrd(vm, initrd_fd, &bl);
	else if (built_initrd)
		memcpy(guest_ram(vm, bl.initrd_addr, initrd_size), built_initrd, initrd_size);

	mpidrs = calloc(vm->nr_cpus, sizeof(*mpidrs));
	if (!mpidrs)
		die("out of memory");
	bootargs = make_bootargs(cfg);
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		mpidrs[i] = vcpu_mpidr(vm, i);
	desc = (struct fdt_desc){
		.ram_base = vm->ram_base,
		.ram_size = vm->ram_size,
		.nr_cpus = vm->nr_cpus,
		.mpidrs = mpidrs,
		.bootargs = bootargs,
		.initrd_start = initrd_size ? bl.initrd_addr : 0,
		.initrd_end = bl.initrd_addr + initrd_size,
		.stdout_path = STDOUT_PATH,
		.pmu = cfg->pmu,
		.gic = vm->gic,
		.devices = vm->devices,
	};
	fdt = guest_ram(vm, bl.fdt_addr, FDT_MAX_SIZE);
	if (fdt_build(&desc, fdt, FDT_MAX_SIZE))
		die("the device tree does not fit in %llu bytes", FDT_MAX_SIZE);
	/* Once: a reboot runs sandboxed, where opening a file to write is fatal. */
	if (cfg->dump_dtb && first_boot)
		dump_dtb(cfg->dump_dtb, fdt);
	free(mpidrs);
	free(bootargs);
	vcpu_set_boot_regs(vm, bl.kernel_addr, bl.fdt_addr);
	pr_info("kernel at %#llx (%llu KiB), initrd at %#llx (%llu KiB), DT at %#llx",
		(unsigned long long)bl.kernel_addr, (unsigned long long)img.image_size >> 10,
		(unsigned long long)bl.initrd_addr, (unsigned long long)initrd_size >> 10,
		(unsigned long long)bl.fdt_addr);
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
	if (timeout.fd < 0 ||
	    timerfd_settime(timeout.fd, 0, &(struct itimerspec){
		    .it_value.tv_sec = vm->cfg->timeout }, NULL) ||
	    ioloop_add(&vm->loop, &timeout))
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
	load_guest(vm, vm->cfg, false);
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

int cmd_run(int argc, char **argv)
{
	u64 start = arm_counter();	/* the timeline's zero: first thing */
	static struct vm vm;
	struct vm_config cfg;
	char name[64];
	sigset_t stop_signals;
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
	if (cfg.command)
		error_exit_status = VM_EXIT_NO_COMMAND;
	if (guestcmd_initramfs(&cfg, gicvm_init_start, gicvm_init_end - gicvm_init_start,
			       &built_initrd, &built_initrd_len))
		return error_exit_status;
	if (cfg.default_guest)
		use_default_guest(&cfg, !built_initrd);
	open_console_log(&cfg);
	block_stop_signals(&stop_signals);

	/* VM and GIC first: a script probing with a bad kernel learns the GIC works. */
	vm_create(&vm, &cfg);
	vm.console_fd = console_fd;
	vm.timeline.start = start;	/* vm_create() cleared it */
	vm.gic = gic_create(&vm, cfg.gic);
	if (!vm.gic)
		exit(error_exit_status);
	if (cfg.irq_inject_ioctl)
		gic_inject_by_ioctl(vm.gic);
	if (cfg.transport == TRANSPORT_PCI && !gic_has_msi(vm.gic))
		die("--virtio-transport pci needs MSIs, and a GIC %s has no MSI controller "
		    "(use --gic v3-its or v2m)", gic_type_name(gic_type(vm.gic)));
	vcpus_create(&vm);
	if (vcpus_guest_counter_origin(&vm, &vm.timeline.guest_origin))
		pr_debug("cannot read the guest's counter: no guest_origin_us");
	if (devices_create(&vm) || gic_finalize(vm.gic))
		exit(error_exit_status);
	vcpus_init_pmu(&vm);
	load_guest(&vm, &cfg, true);
	if (devices_start(&vm))
		die("cannot start the devices");
	if (cfg.name)
		snprintf(name, sizeof(name), "%s", cfg.name);
	else
		snprintf(name, sizeof(name), "gicvm-%d", (int)getpid());
	vcpus_init_park(&vm);
	if (cfg.json_summary)
		summary = open_summary(cfg.json_summary);
	if (control_start(&vm, name) || (cfg.gdb && gdb_start(&vm, cfg.gdb, cfg.gdb_wait)))
		exit(error_exit_status);
	watch_signals_and_time(&vm, &stop_signals);
	vm.reboot.fn = on_reboot;
	vm.reboot.opaque = &vm;
	if (ioloop_add(&vm.loop, &vm.reboot))
		die_errno("cannot watch for reboots");

	/* Everything is built: from here on, only what running the VM needs. */
	if (!cfg.no_sandbox && sandbox_prepare())
		exit(error_exit_status);
	started = now();
	vcpus_start(&vm);
	if (!cfg.no_sandbox && sandbox_enter(SANDBOX_IO))
		die("cannot sandbox the I/O thread");
	if (cfg.sandbox_test)
		sandbox_self_test(cfg.sandbox_test);
	if (ioloop_run(&vm.loop))
		vm_request_stop(&vm, VM_EXIT_ERROR);
	vcpus_stop_and_join(&vm);
	control_stop(&vm);

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

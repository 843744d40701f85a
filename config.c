// SPDX-License-Identifier: GPL-2.0-only
/* Command-line parsing for `gicvm run`: strict, with one clear error line. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/config.h"
#include "gicvm/config_help.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/sandbox.h"
#include "arm/gdb.h"

enum {
	OPT_GIC = 0x100,
	OPT_LOGLEVEL,
	OPT_CONSOLE,
	OPT_STATS,
	OPT_TRANSPORT,
	OPT_REBOOT,
	OPT_NODEFAULTS,
	OPT_DEBUG,
	OPT_PMU,
	OPT_MEM_PREALLOC,
	OPT_HUGETLBFS,
	OPT_HUGEPAGES,
	OPT_DEBUG_MMIO,
	OPT_KVM_DEV,
	OPT_SINGLE_STEP,
	OPT_DISABLE_SVE,
	OPT_DISABLE_PTRAUTH,
	OPT_NESTED,
	OPT_E2H0,
	OPT_SVE,
	OPT_NAME,
	OPT_DUMP_DTB,
	OPT_TIMEOUT,
	OPT_JSON_SUMMARY,
	OPT_AFFINITY,
	OPT_GDB,
	OPT_GDB_WAIT,
	OPT_IRQ_INJECT,
	OPT_NO_SANDBOX,
	OPT_SANDBOX_TEST,
	OPT_SANDBOX_SCRIPT,
	OPT_CONSOLE_LOG,
	OPT_TTY,
	OPT_AARCH32,
	OPT_KASLR_SEED,
	OPT_CNTFRQ,
	OPT_FORCE_PCI,
	OPT_FW_ADDRESS,
	OPT_RESTORE,
	OPT_UNSUPPORTED,	/* and up: kvmtool's options gicvm refuses, saying why */
	OPT_DEVICE = OPT_UNSUPPORTED + 32,	/* and up: device options without a short name */
};

/*
 * kvmtool's run options gicvm does not take, each with why: an lkvm script
 * using one stops with that line, not with "unknown option".
 */
static const struct {
	const char *name;
	int has_arg;
	const char *why;
} unsupported[] = {
	{ "flash", required_argument,
	  "gicvm has no flash device: give a firmware to load at the start of RAM with -f" },
	{ "virtio-legacy", no_argument, "gicvm's virtio devices are modern (VIRTIO 1.x) only" },
	{ "disable-mte", no_argument, "gicvm does not offer guests MTE: nothing to disable" },
	{ "vnc", no_argument, "gicvm has no framebuffer: the console is the 8250 or virtio (--console)" },
	{ "gtk", no_argument, "gicvm has no framebuffer: the console is the 8250 or virtio (--console)" },
	{ "sdl", no_argument, "gicvm has no framebuffer: the console is the 8250 or virtio (--console)" },
	{ "vfio-pci", required_argument, "gicvm has no VFIO device assignment" },
	{ "shmem", required_argument,
	  "gicvm has no shared-memory PCI device: share files with --fs, or talk over --vsock" },
	{ "debug-ioport", no_argument, "arm64 has no port I/O: --debug-mmio logs MMIO" },
	{ "debug-iodelay", required_argument,
	  "gicvm does not delay I/O exits (a debugging aid of kvmtool's)" },
	{ "counter-offset", required_argument,
	  "gicvm does not offset the guest's counter: the guest's counter is the host's" },
	{ "no-pvtime", no_argument, "gicvm offers no stolen time (pvtime): nothing to turn off" },
};
_Static_assert(ARRAY_SIZE(unsupported) <= OPT_DEVICE - OPT_UNSUPPORTED, "too many to number");

static const char *unsupported_why(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (!strcmp(unsupported[i].name, name))
			return unsupported[i].why;
	return "not supported";
}

static const struct option run_options[] = {
	{ "kernel",	required_argument, NULL, 'k' },
	{ "initrd",	required_argument, NULL, 'i' },
	{ "firmware",	required_argument, NULL, 'f' },
	{ "params",	required_argument, NULL, 'p' },
	{ "cpus",	required_argument, NULL, 'c' },
	{ "mem",	required_argument, NULL, 'm' },
	{ "gic",	required_argument, NULL, OPT_GIC },
	{ "irqchip",	required_argument, NULL, OPT_GIC },	/* kvmtool's name */
	{ "virtio-transport", required_argument, NULL, OPT_TRANSPORT },
	{ "reboot",	required_argument, NULL, OPT_REBOOT },
	{ "nodefaults",	no_argument,	   NULL, OPT_NODEFAULTS },
	{ "debug",	no_argument,	   NULL, OPT_DEBUG },
	{ "pmu",	no_argument,	   NULL, OPT_PMU },
	{ "mem-prealloc", no_argument,	   NULL, OPT_MEM_PREALLOC },
	{ "hugetlbfs",	required_argument, NULL, OPT_HUGETLBFS },
	{ "hugepages",	no_argument,	   NULL, OPT_HUGEPAGES },
	{ "debug-mmio",	no_argument,	   NULL, OPT_DEBUG_MMIO },
	{ "dev",	required_argument, NULL, OPT_KVM_DEV },	/* kvmtool's */
	{ "debug-single-step", no_argument, NULL, OPT_SINGLE_STEP },
	{ "sve-max-vl",	required_argument, NULL, OPT_SVE },
	{ "disable-sve", no_argument,	   NULL, OPT_DISABLE_SVE },
	{ "disable-ptrauth", no_argument,  NULL, OPT_DISABLE_PTRAUTH },
	{ "nested",	no_argument,	   NULL, OPT_NESTED },
	{ "e2h0",	no_argument,	   NULL, OPT_E2H0 },
	{ "name",	required_argument, NULL, OPT_NAME },
	{ "dump-dtb",	required_argument, NULL, OPT_DUMP_DTB },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "json-summary", required_argument, NULL, OPT_JSON_SUMMARY },
	{ "vcpu-affinity", required_argument, NULL, OPT_AFFINITY },
	{ "gdb",	required_argument, NULL, OPT_GDB },
	{ "gdb-wait",	no_argument,	   NULL, OPT_GDB_WAIT },
	/* Not in --help: only `make bench` compares irqfds with it. */
	{ "irq-inject",	required_argument, NULL, OPT_IRQ_INJECT },
	{ "no-seccomp",	no_argument,	   NULL, OPT_NO_SANDBOX },
	{ "no-sandbox",	no_argument,	   NULL, OPT_NO_SANDBOX },	/* its older name */
	/* Not in --help: the sandbox scenario's forbidden call. */
	{ "sandbox-test", optional_argument, NULL, OPT_SANDBOX_TEST },
	{ "console",	required_argument, NULL, OPT_CONSOLE },
	{ "console-log", required_argument, NULL, OPT_CONSOLE_LOG },
	{ "tty",	required_argument, NULL, OPT_TTY },
	{ "aarch32",	no_argument,	   NULL, OPT_AARCH32 },
	{ "kaslr-seed",	required_argument, NULL, OPT_KASLR_SEED },	/* kvmtool's arm64 options */
	{ "override-bad-firmware-cntfrq", required_argument, NULL, OPT_CNTFRQ },
	{ "force-pci",	no_argument,	   NULL, OPT_FORCE_PCI },
	{ "firmware-address", required_argument, NULL, OPT_FW_ADDRESS },
	{ "sandbox",	required_argument, NULL, OPT_SANDBOX_SCRIPT },	/* kvmtool's */
	{ "stats",	no_argument,	   NULL, OPT_STATS },
	{ "restore",	required_argument, NULL, OPT_RESTORE },
	{ "loglevel",	required_argument, NULL, OPT_LOGLEVEL },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct device_option no_options[] = { { NULL } };

static const struct device_option *options_of(const struct device_type *type)
{
	return type->options ? type->options : no_options;
}

/* The device kinds' options, in table order: getopt's value for the i-th. */
struct device_opt_ref {
	const struct device_type *type;
	const struct device_option *opt;
};

#define MAX_DEVICE_OPTIONS	32

static struct device_opt_ref device_opts[MAX_DEVICE_OPTIONS];
static unsigned int nr_device_opts;

/* Whether @o's long or short name is already one of the first @n options. */
static bool option_taken(const struct option *longs, size_t n, const char *shorts,
			 const struct device_option *o)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(longs[i].name, o->name))
			return true;
	return o->short_name && strchr(shorts + 2, o->short_name);
}

/*
 * getopt's tables: gicvm's own options and then the device kinds'. A device
 * option's value is its short name if it has one, else OPT_DEVICE + index.
 */
static int build_options(struct option *longs, size_t nr_longs, char *shorts, size_t shorts_len)
{
	size_t n = ARRAY_SIZE(run_options) - 1, len = strlen(shorts);

	memcpy(longs, run_options, n * sizeof(*longs));
	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
		longs[n++] = (struct option){ unsupported[i].name, unsupported[i].has_arg, NULL,
					      OPT_UNSUPPORTED + (int)i };
	nr_device_opts = 0;
	for (size_t i = 0; i < nr_device_types; i++) {
		for (const struct device_option *o = options_of(device_types[i]); o->name; o++) {
			if (n + 1 >= nr_longs || nr_device_opts == MAX_DEVICE_OPTIONS ||
			    len + 2 >= shorts_len) {
				pr_err("too many device options for the command-line parser");
				return -1;
			}
			if (option_taken(longs, n, shorts, o)) {
				pr_err("%s: option --%s is taken", device_types[i]->name, o->name);
				return -1;
			}
			device_opts[nr_device_opts] = (struct device_opt_ref){ device_types[i], o };
			longs[n++] = (struct option){
				o->name, o->has_arg ? required_argument : no_argument, NULL,
				o->short_name ? o->short_name : OPT_DEVICE + (int)nr_device_opts,
			};
			nr_device_opts++;
			if (o->short_name) {
				shorts[len++] = o->short_name;
				if (o->has_arg)
					shorts[len++] = ':';
				shorts[len] = 0;
			}
		}
	}
	shorts[len] = 0;
	longs[n] = (struct option){ NULL, 0, NULL, 0 };
	return 0;
}

/* The device option getopt returned @opt for, or NULL if @opt is gicvm's own. */
static const struct device_opt_ref *device_option_for(int opt)
{
	for (unsigned int i = 0; i < nr_device_opts; i++) {
		const struct device_option *o = device_opts[i].opt;

		if (o->short_name ? opt == o->short_name : opt == OPT_DEVICE + (int)i)
			return &device_opts[i];
	}
	return NULL;
}

void config_usage_run(void)
{
	fputs(config_run_help, stdout);
	for (size_t i = 0; i < nr_device_types; i++)
		for (const struct device_option *o = options_of(device_types[i]); o->name; o++)
			fputs(o->help, stdout);
	fputs(config_run_help_end, stdout);
}

int parse_cpulist(const char *s, cpu_set_t *set)
{
	char *copy = strdup(s), *item, *save = NULL;
	int err = !copy || !*s;

	CPU_ZERO(set);
	for (item = strtok_r(copy, ",", &save); item && !err; item = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(item, '-');
		u64 lo, hi;

		if (dash)
			*dash = 0;
		err = parse_uint(item, 0, CPU_SETSIZE - 1, &lo) ||
		      parse_uint(dash ? dash + 1 : item, lo, CPU_SETSIZE - 1, &hi);
		for (u64 c = lo; !err && c <= hi; c++)
			CPU_SET(c, set);
	}
	free(copy);
	return err ? -1 : 0;
}

static int parse_loglevel(const char *s)
{
	static const char *const names[] = {
		[LOG_ERROR] = "error", [LOG_WARN] = "warning",
		[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i])) {
			log_level = i;
			return 0;
		}
	}
	return -1;
}

static enum config_result __attribute__((format(printf, 1, 2)))
bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gicvm: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'gicvm run --help')\n");
	return CONFIG_ERROR;
}

/*
 * -m SIZE[BKMGTP], as kvmtool reads it: a decimal number and an optional
 * unit (either case), MiB without one, and kvmtool's errors. gicvm places
 * RAM itself, so kvmtool's @ADDR is refused, and it sizes RAM in whole
 * MiB (the upper bound keeps byte counts from overflowing).
 */
static enum config_result parse_mem(struct vm_config *cfg, const char *arg)
{
	static const char units[] = "bkmgtp";
	unsigned long long v;
	unsigned int shift = 20;
	const char *u;
	char *end;

	if (!isdigit((unsigned char)*arg))
		return bad("Invalid memory specifier: %s", arg);
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno == ERANGE)
		return bad("Memory too large: %s", arg);
	if (*end && (u = strchr(units, tolower((unsigned char)*end)))) {
		shift = 10 * (unsigned int)(u - units);
		end++;
	}
	if (*end == '@')
		return bad("--mem: gicvm places guest RAM itself (at 0x%llx), not at %s",
			   (unsigned long long)MMAP_RAM_BASE, end + 1);
	if (*end)
		return bad("Invalid memory specifier: %s", arg);
	if (!v)
		return bad("Invalid RAM size: %s", arg);
	if (v > (~0ULL >> shift) || (v << shift) >> 20 > (1ULL << 40))
		return bad("Memory too large: %s", arg);
	if ((v << shift) % (1ULL << 20))
		return bad("--mem wants a whole number of MiB, not %s", arg);
	cfg->mem_mib = (v << shift) >> 20;
	return CONFIG_OK;
}

/* --firmware-address: in guest RAM (checked against -m once all is parsed), 4 KiB aligned. */
static enum config_result parse_fw_address(struct vm_config *cfg, const char *arg)
{
	char *end;

	errno = 0;
	cfg->fw_address = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || !isdigit((unsigned char)*arg) ||
	    cfg->fw_address < MMAP_RAM_BASE || cfg->fw_address % SZ_4K)
		return bad("--firmware-address wants a 4 KiB aligned address in guest RAM "
			   "(from %#llx), not '%s'", MMAP_RAM_BASE, arg);
	return CONFIG_OK;
}

static enum config_result apply_device_option(struct vm_config *cfg, int opt, const char *arg)
{
	const struct device_opt_ref *d = device_option_for(opt);

	if (!d)
		return bad("unknown option '%s'", arg);
	if (d->opt->parse(device_config_mut(cfg, d->type), arg))
		return bad("--%s wants %s, not '%s'", d->opt->name, d->opt->wants, arg ? arg : "");
	return CONFIG_OK;
}

static enum config_result apply_option(struct vm_config *cfg, int opt, const char *arg)
{
	u64 v;

	switch (opt) {
	case 'k':
		cfg->kernel = arg;
		break;
	case 'f':
		cfg->firmware = arg;
		break;
	case 'F':	/* kvmtool's short --flash */
		return bad("--flash (-F): %s", unsupported_why("flash"));
	case OPT_KVM_DEV:
		cfg->kvm_dev = arg;
		break;
	case OPT_SINGLE_STEP:
		cfg->debug_single_step = true;
		break;
	case 'i':
		cfg->initrd = arg;
		break;
	case 'p':
		cfg->params = arg;
		break;
	case 'c':
		if (parse_uint(arg, 1, CONFIG_MAX_CPUS, &v))
			return bad("--cpus wants a number of vCPUs from 1 to %d, not '%s'",
				   CONFIG_MAX_CPUS, arg);
		cfg->nr_cpus = v;
		break;
	case 'm':
		return parse_mem(cfg, arg);
	case OPT_GIC:
		if (gic_parse_type(arg, &cfg->gic))
			return bad("--gic '%s' is not supported (auto, v2, v2m, v3, v3-its)", arg);
		break;
	case OPT_CONSOLE:
		if (!strcmp(arg, "serial"))
			cfg->console = CONSOLE_SERIAL;
		else if (!strcmp(arg, "virtio"))
			cfg->console = CONSOLE_VIRTIO;
		else
			return bad("--console wants serial or virtio, not '%s'", arg);
		break;
	case OPT_STATS:
		cfg->stats = true;
		break;
	case OPT_TRANSPORT:
		if (!strcmp(arg, "mmio"))
			cfg->transport = TRANSPORT_MMIO;
		else if (!strcmp(arg, "pci"))
			cfg->transport = TRANSPORT_PCI;
		else
			return bad("--virtio-transport wants mmio or pci, not '%s'", arg);
		break;
	case OPT_REBOOT:
		if (!strcmp(arg, "restart"))
			cfg->reboot = REBOOT_RESTART;
		else if (!strcmp(arg, "exit"))
			cfg->reboot = REBOOT_EXIT;
		else
			return bad("--reboot wants restart or exit, not '%s'", arg);
		break;
	case OPT_NO_SANDBOX:
		cfg->no_sandbox = true;
		break;
	case OPT_SANDBOX_SCRIPT:
		if (cfg->command)
			return bad("%s", "--sandbox SCRIPT and -- COMMAND: give one of them");
		cfg->script_argv[0] = "/bin/sh";
		cfg->script_argv[1] = arg;
		cfg->command = cfg->script_argv;
		cfg->command_argc = 2;
		break;
	case OPT_CONSOLE_LOG:
		cfg->console_log = arg;
		break;
	case OPT_AARCH32:
		cfg->aarch32 = true;
		break;
	case OPT_KASLR_SEED:
		if (parse_uint(arg, 1, UINT64_MAX, &cfg->kaslr_seed))
			return bad("--kaslr-seed wants a number from 1 to 2^64-1, not '%s'", arg);
		break;
	case OPT_CNTFRQ:
		if (parse_uint(arg, 1, UINT32_MAX, &v))
			return bad("--override-bad-firmware-cntfrq wants a frequency in Hz, not '%s'", arg);
		cfg->timer_frequency = v;
		break;
	case OPT_FORCE_PCI:	/* kvmtool's older spelling */
		cfg->transport = TRANSPORT_PCI;
		break;
	case OPT_FW_ADDRESS:
		return parse_fw_address(cfg, arg);
	case OPT_RESTORE:
		if (!*arg)
			return bad("%s", "--restore wants the directory `gicvm snapshot` wrote");
		cfg->restore = arg;
		break;
	case OPT_TTY:
		/* kvmtool numbers its 8250 ports' terminals; gicvm has one, the console. */
		if (strcmp(arg, "0"))
			return bad("--tty %s: gicvm's guest has one terminal, its console: --tty 0", arg);
		cfg->tty = true;
		break;
	case OPT_SANDBOX_TEST:
		if (arg && !sandbox_probe_known(arg))
			return bad("--sandbox-test wants socket, tiocsti, kvm, tgkill, exec, unlink "
				   "or open, or one of them after vcpu- (from a vCPU thread), not '%s'",
				   arg);
		cfg->sandbox_test = arg ? arg : "socket";
		break;
	case OPT_IRQ_INJECT:
		if (!strcmp(arg, "irqfd"))
			cfg->irq_inject_ioctl = false;
		else if (!strcmp(arg, "ioctl"))
			cfg->irq_inject_ioctl = true;
		else
			return bad("--irq-inject wants irqfd or ioctl, not '%s'", arg);
		break;
	case OPT_NODEFAULTS:
		cfg->nodefaults = true;
		break;
	case OPT_DEBUG:
		log_level = LOG_DEBUG;
		break;
	case OPT_PMU:
		cfg->pmu = true;
		break;
	case OPT_MEM_PREALLOC:
		cfg->mem_prealloc = true;
		break;
	case OPT_HUGETLBFS:
		if (!*arg)
			return bad("%s", "--hugetlbfs wants the directory where a hugetlbfs is mounted");
		cfg->hugetlbfs = arg;
		break;
	case OPT_HUGEPAGES:
		cfg->hugepages = true;
		break;
	case OPT_DEBUG_MMIO:
		cfg->debug_mmio = true;
		break;
	case OPT_SVE:
		/* Architecturally 128 to 2048 bits in steps of 128. */
		if (parse_uint(arg, 128, 2048, &v) || v % 128)
			return bad("--sve-max-vl wants a multiple of 128 from 128 to 2048, not '%s'", arg);
		cfg->sve_max_vl = v;
		break;
	case OPT_DISABLE_SVE:
		cfg->disable_sve = true;
		break;
	case OPT_DISABLE_PTRAUTH:
		cfg->disable_ptrauth = true;
		break;
	case OPT_NESTED:
		cfg->nested = true;
		break;
	case OPT_E2H0:
		/* As kvmtool: a non-VHE guest hypervisor is a kind of --nested. */
		cfg->nested = cfg->e2h0 = true;
		break;
	case OPT_NAME:
		if (!*arg || strlen(arg) > 64 || strchr(arg, '/') || arg[0] == '.')
			return bad("--name wants up to 64 characters without '/', not '%s'", arg);
		cfg->name = arg;
		break;
	case OPT_DUMP_DTB:
		cfg->dump_dtb = arg;
		break;
	case OPT_TIMEOUT:
		if (parse_uint(arg, 1, 1U << 30, &v))
			return bad("--timeout wants a number of seconds, not '%s'", arg);
		cfg->timeout = v;
		break;
	case OPT_JSON_SUMMARY:
		cfg->json_summary = arg;
		break;
	case OPT_AFFINITY:
		if (parse_cpulist(arg, &cfg->affinity))
			return bad("--vcpu-affinity wants a CPU list like 0-3,6, not '%s'", arg);
		cfg->has_affinity = true;
		break;
	case OPT_GDB:
		if (gdb_where_error(arg))
			return bad("--gdb %s: %s", arg, gdb_where_error(arg));
		cfg->gdb = arg;
		break;
	case OPT_GDB_WAIT:
		cfg->gdb_wait = true;
		break;
	case OPT_LOGLEVEL:
		if (parse_loglevel(arg))
			return bad("--loglevel wants error, warning, info or debug, not '%s'", arg);
		break;
	case 'h':
		config_usage_run();
		return CONFIG_HELP;
	default:
		if (opt >= OPT_UNSUPPORTED && opt < OPT_UNSUPPORTED + (int)ARRAY_SIZE(unsupported))
			return bad("--%s: %s", unsupported[opt - OPT_UNSUPPORTED].name,
				   unsupported[opt - OPT_UNSUPPORTED].why);
		return apply_device_option(cfg, opt, arg);
	}
	return CONFIG_OK;
}

/* What a snapshot's command line keeps: not the options of one run. */
static bool option_of_one_run(int opt)
{
	switch (opt) {
	case OPT_NAME: case OPT_JSON_SUMMARY: case OPT_CONSOLE_LOG: case OPT_TIMEOUT:
	case OPT_GDB: case OPT_GDB_WAIT: case OPT_TTY: case OPT_DUMP_DTB: case OPT_STATS:
	case OPT_LOGLEVEL: case OPT_RESTORE: case OPT_SANDBOX_TEST: case OPT_SINGLE_STEP:
	case OPT_DEBUG_MMIO:
		return true;
	}
	return false;
}

int config_option_spans(int argc, char **argv, struct option_span *spans, int max)
{
	struct option longs[ARRAY_SIZE(run_options) + ARRAY_SIZE(unsupported) + MAX_DEVICE_OPTIONS];
	char shorts[64] = "+:k:i:f:F:p:c:m:h";
	int n = 0;

	if (build_options(longs, ARRAY_SIZE(longs), shorts, sizeof(shorts)))
		return -1;
	optind = 0;
	opterr = 0;
	for (;;) {
		int at = optind ? optind : 1, opt = getopt_long(argc, argv, shorts, longs, NULL);

		if (opt == -1)
			break;
		if (opt == '?' || opt == ':' || n == max)
			return -1;
		spans[n++] = (struct option_span){ opt, at, optind - at, option_of_one_run(opt) };
	}
	/* "--" and a command, or a stray argument: config_parse_run() refuses those. */
	return optind < argc ? -1 : n;
}

enum config_result config_parse_run(struct vm_config *cfg, int argc, char **argv)
{
	struct option longs[ARRAY_SIZE(run_options) + ARRAY_SIZE(unsupported) + MAX_DEVICE_OPTIONS];
	char shorts[64] = "+:k:i:f:F:p:c:m:h";
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	if (device_configs_fit() || build_options(longs, ARRAY_SIZE(longs), shorts, sizeof(shorts)))
		return CONFIG_ERROR;
	cfg->nr_cpus = 1;
	cfg->mem_mib = CONFIG_DEFAULT_MEM_MIB;
	cfg->gic = GIC_AUTO;

	optind = 0;	/* re-initialise getopt: tests parse many times */
	opterr = 0;	/* one error line, ours */
	for (;;) {
		enum config_result r;
		int at = optind ? optind : 1;

		opt = getopt_long(argc, argv, shorts, longs, NULL);
		if (opt == -1) {
			/* "--" ends the options: the rest is the guest's command. */
			if (at < argc && optind == at + 1 && !strcmp(argv[at], "--")) {
				if (optind == argc)
					return bad("%s", "-- wants a command to run in the guest after it");
				if (cfg->command)
					return bad("%s", "--sandbox SCRIPT and -- COMMAND: give one of them");
				cfg->command = (const char *const *)argv + optind;
				cfg->command_argc = argc - optind;
				optind = argc;
			}
			break;
		}

		if (opt == ':')
			return bad("option '%s' needs a value", argv[optind - 1]);
		r = apply_option(cfg, opt, opt == '?' ? argv[optind - 1] : optarg);

		if (r != CONFIG_OK)
			return r;
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (cfg->gdb_wait && !cfg->gdb)
		return bad("%s", "--gdb-wait needs --gdb");
	if (cfg->debug_single_step && cfg->gdb)
		return bad("%s", "--debug-single-step and --gdb: gdb steps the guest itself (stepi)");
	if (cfg->disable_sve && cfg->sve_max_vl)
		return bad("%s", "--sve-max-vl and --disable-sve contradict each other");
	if (cfg->aarch32 && (cfg->firmware || cfg->command || cfg->gdb || cfg->sve_max_vl))
		return bad("%s", "--aarch32 boots a 32-bit kernel (-k zImage): not with -f, --rootfs, "
			   "a command, --gdb or --sve-max-vl");
	/* A 32-bit kernel without LPAE sees 4 GiB; RAM starts at 2 GiB. */
	if (cfg->aarch32 && cfg->mem_mib > 2048)
		return bad("--aarch32: -m %llu: a 32-bit guest's RAM ends at 4 GiB (-m 2048 at most)",
			   (unsigned long long)cfg->mem_mib);
	if (cfg->nested && cfg->aarch32)
		return bad("%s", "--nested: a guest hypervisor is AArch64 (not with --aarch32)");
	if (cfg->nested && (cfg->gic == GIC_V2 || cfg->gic == GIC_V2M))
		return bad("%s", "--nested needs a GICv3: KVM's nested vGIC is v3 only (not --gic v2 or v2m)");
	if (cfg->fw_address && !cfg->firmware)
		return bad("%s", "--firmware-address needs -f");
	if (cfg->fw_address >= MMAP_RAM_BASE + cfg->mem_mib * SZ_1M)
		return bad("--firmware-address %#llx is beyond guest RAM (-m %llu)",
			   (unsigned long long)cfg->fw_address, (unsigned long long)cfg->mem_mib);
	if (cfg->tty && cfg->console_log)
		return bad("%s", "--tty 0 and --console-log: the console's output goes to one of them");
	if (cfg->hugetlbfs && cfg->hugepages)
		return bad("%s", "--hugetlbfs and --hugepages: give one of them");
	if (cfg->firmware && (cfg->kernel || cfg->initrd || cfg->command))
		return bad("%s", "-f/--firmware boots the firmware alone: it loads the kernel "
			   "itself (no -k, -i, --rootfs or command)");
	/* A --nested VM is never saved, so no snapshot's machine has EL2. */
	if (cfg->restore && cfg->nested)
		return bad("%s", "--restore: a snapshot's vCPUs have no EL2: not with --nested or --e2h0");
	if (cfg->restore && cfg->command)
		return bad("%s", "--restore: a snapshot's guest carries on where it was; it runs no "
			   "new command");
	cfg->default_guest = !cfg->kernel && !cfg->firmware;
	cfg->argc = argc;
	cfg->argv = argv;
	/* A reset before the command's end ends the run (exit status 251). */
	if (cfg->command)
		cfg->reboot = REBOOT_EXIT;
	return CONFIG_OK;
}

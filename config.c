// SPDX-License-Identifier: GPL-2.0-only
/* Command-line parsing for `gicvm run`: strict, with one clear error line. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/config.h"

enum {
	OPT_GIC = 0x100,
	OPT_LOGLEVEL,
	OPT_CONSOLE,
	OPT_RNG,
	OPT_STATS,
	OPT_TRANSPORT,
	OPT_REBOOT,
	OPT_NODEFAULTS,
	OPT_DEBUG,
	OPT_PMU,
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
	OPT_VSOCK,
};

static const struct option run_options[] = {
	{ "kernel",	required_argument, NULL, 'k' },
	{ "initrd",	required_argument, NULL, 'i' },
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
	{ "sve-max-vl",	required_argument, NULL, OPT_SVE },
	{ "name",	required_argument, NULL, OPT_NAME },
	{ "dump-dtb",	required_argument, NULL, OPT_DUMP_DTB },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "json-summary", required_argument, NULL, OPT_JSON_SUMMARY },
	{ "vcpu-affinity", required_argument, NULL, OPT_AFFINITY },
	{ "gdb",	required_argument, NULL, OPT_GDB },
	{ "gdb-wait",	no_argument,	   NULL, OPT_GDB_WAIT },
	{ "vsock",	required_argument, NULL, OPT_VSOCK },
	/* Not in --help: only `make bench` compares irqfds with it. */
	{ "irq-inject",	required_argument, NULL, OPT_IRQ_INJECT },
	{ "no-sandbox",	no_argument,	   NULL, OPT_NO_SANDBOX },
	/* Not in --help: the sandbox scenario's forbidden call. */
	{ "sandbox-test", no_argument,	   NULL, OPT_SANDBOX_TEST },
	{ "disk",	required_argument, NULL, 'd' },
	{ "network",	required_argument, NULL, 'n' },
	{ "console",	required_argument, NULL, OPT_CONSOLE },
	{ "rng",	no_argument,	   NULL, OPT_RNG },
	{ "stats",	no_argument,	   NULL, OPT_STATS },
	{ "loglevel",	required_argument, NULL, OPT_LOGLEVEL },
	{ "help",	no_argument,	   NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void config_usage_run(void)
{
	printf("usage: gicvm run [options]\n"
	       "\n"
	       "  -k, --kernel FILE     arm64 Image to boot, raw or gzip-compressed\n"
	       "                        (default: the installed default guest)\n"
	       "  -i, --initrd FILE     initial ramdisk\n"
	       "  -p, --params STRING   kernel command line\n"
	       "  -c, --cpus N          number of vCPUs (default 1)\n"
	       "  -m, --mem MIB         guest RAM in MiB (default %d)\n"
	       "      --gic auto|v3-its|v3|v2m|v2\n"
	       "                        interrupt controller (default auto: the first of\n"
	       "                        these the host has; also --irqchip gicv3...)\n"
	       "  -d, --disk PATH[,ro][,direct]\n"
	       "                        a virtio-blk disk backed by a raw image (up to %d)\n"
	       "  -n, --network mode=tap[,tapif=NAME][,guest_mac=MAC][,vhost=on] | mode=none\n"
	       "                        a virtio-net device on a tap interface; vhost=on\n"
	       "                        moves its data path into the kernel's vhost-net\n"
	       "      --network mode=user[,socket=PATH][,guest_mac=MAC]\n"
	       "                        user networking, no root: gicvm starts passt (or\n"
	       "                        uses the one listening at PATH); DHCP, and the\n"
	       "                        gateway's address reaches the host's loopback\n"
	       "      --vsock CID       a virtio-vsock device served by /dev/vhost-vsock,\n"
	       "                        the guest at context ID CID (3 or more)\n"
	       "      --console serial|virtio\n"
	       "                        guest console on the 8250 (ttyS0) or virtio (hvc0)\n"
	       "      --rng             a virtio-rng device fed from getrandom()\n"
	       "      --stats           print gicvm's exit and device counters at exit\n"
	       "      --virtio-transport mmio|pci\n"
	       "                        how virtio devices attach (default: pci with MSI-X\n"
	       "                        when the GIC has an ITS or v2m frame, else mmio)\n"
	       "      --reboot restart|exit\n"
	       "                        on a guest reset, boot it again (default) or exit 2\n"
	       "      --nodefaults      no console/earlycon parameters: bootargs are --params\n"
	       "      --pmu             a PMUv3 for the guest (overflow interrupt on PPI 23)\n"
	       "      --sve-max-vl BITS longest SVE vector length the guest may use\n"
	       "      --name NAME       the VM's name for list/stop/pause/... (default gicvm-PID)\n"
	       "      --dump-dtb FILE   write the device tree to FILE and exit\n"
	       "      --timeout SECS    stop the guest after SECS seconds, exit 124\n"
	       "      --json-summary FILE\n"
	       "                        at exit, write how the VM ended and its counters as JSON\n"
	       "      --no-sandbox      keep capabilities and run without the seccomp\n"
	       "                        filters (for debugging gicvm itself)\n"
	       "      --vcpu-affinity CPUS\n"
	       "                        run vCPU threads on these host CPUs (e.g. 0-3,6)\n"
	       "      --debug           same as --loglevel debug\n"
	       "      --gdb [ADDR:]PORT serve the GDB remote protocol (loopback unless ADDR)\n"
	       "      --gdb-wait        hold the guest at its first instruction until gdb attaches\n"
	       "      --loglevel LEVEL  error, warning, info or debug\n"
	       "  -h, --help            this text\n"
	       "\n"
	       "Exit status: 0 guest powered off, 1 error, 2 guest reset (--reboot exit).\n",
	       CONFIG_DEFAULT_MEM_MIB, CONFIG_MAX_DISKS);
}

int parse_uint(const char *s, u64 min, u64 max, u64 *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_disk(const char *spec, struct disk_config *disk)
{
	size_t path_len = strcspn(spec, ",");
	const char *opt = spec + path_len;

	memset(disk, 0, sizeof(*disk));
	if (!path_len || path_len >= sizeof(disk->path))
		return -1;
	memcpy(disk->path, spec, path_len);
	/* PATH up to the first comma, then options. */
	while (*opt == ',') {
		size_t len = strcspn(++opt, ",");

		if (len == 2 && !strncmp(opt, "ro", 2))
			disk->readonly = true;
		else if (len == 6 && !strncmp(opt, "direct", 6))
			disk->direct = true;
		else
			return -1;
		opt += len;
	}
	return 0;
}

static int parse_mac(const char *s, u8 mac[6])
{
	unsigned int b[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6 || strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	/* A guest MAC must be unicast. */
	return (mac[0] & 1) ? -1 : 0;
}

int parse_net(const char *spec, struct net_config *net)
{
	char *copy = strdup(spec), *opt, *save = NULL;
	bool have_mode = false;
	int err = 0;

	if (!copy)
		return -1;
	memset(net, 0, sizeof(*net));
	for (opt = strtok_r(copy, ",", &save); opt && !err; opt = strtok_r(NULL, ",", &save)) {
		if (!strcmp(opt, "mode=tap")) {
			net->mode = NET_TAP;
			have_mode = true;
		} else if (!strcmp(opt, "mode=user")) {
			net->mode = NET_USER;
			have_mode = true;
		} else if (!strncmp(opt, "socket=", 7) && opt[7] &&
			   strlen(opt + 7) < sizeof(net->socket)) {
			strcpy(net->socket, opt + 7);
		} else if (!strcmp(opt, "mode=none")) {
			net->mode = NET_NONE;
			have_mode = true;
		} else if (!strncmp(opt, "tapif=", 6) && opt[6] && strlen(opt + 6) < sizeof(net->tapif)) {
			strcpy(net->tapif, opt + 6);
		} else if (!strncmp(opt, "guest_mac=", 10) && !parse_mac(opt + 10, net->mac)) {
			net->mac_set = true;
		} else if (!strcmp(opt, "vhost=on") || !strcmp(opt, "vhost=off")) {
			net->vhost = !strcmp(opt, "vhost=on");
		} else {
			err = -1;
		}
	}
	free(copy);
	if ((net->vhost || net->tapif[0]) && net->mode != NET_TAP)
		err = -1;
	if (net->socket[0] && net->mode != NET_USER)
		err = -1;
	return err || !have_mode ? -1 : 0;
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

static enum config_result apply_option(struct vm_config *cfg, int opt, const char *arg)
{
	u64 v;

	switch (opt) {
	case 'k':
		cfg->kernel = arg;
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
		/* The upper bound only keeps the byte count from overflowing. */
		if (parse_uint(arg, 1, 1ULL << 40, &v))
			return bad("--mem wants a size in MiB (a positive number), not '%s'", arg);
		cfg->mem_mib = v;
		break;
	case OPT_GIC:
		if (gic_parse_type(arg, &cfg->gic))
			return bad("--gic '%s' is not supported (auto, v2, v2m, v3, v3-its)", arg);
		break;
	case 'd':
		if (cfg->nr_disks == CONFIG_MAX_DISKS)
			return bad("at most %d disks", CONFIG_MAX_DISKS);
		if (parse_disk(arg, &cfg->disks[cfg->nr_disks]))
			return bad("--disk wants PATH[,ro][,direct], not '%s'", arg);
		cfg->nr_disks++;
		break;
	case 'n':
		if (parse_net(arg, &cfg->net))
			return bad("--network wants mode=tap[,tapif=NAME][,guest_mac=MAC][,vhost=on], "
				   "mode=user[,socket=PATH][,guest_mac=MAC] "
				   "or mode=none, not '%s'", arg);
		break;
	case OPT_CONSOLE:
		if (!strcmp(arg, "serial"))
			cfg->console = CONSOLE_SERIAL;
		else if (!strcmp(arg, "virtio"))
			cfg->console = CONSOLE_VIRTIO;
		else
			return bad("--console wants serial or virtio, not '%s'", arg);
		break;
	case OPT_RNG:
		cfg->rng = true;
		break;
	case OPT_VSOCK:
		/* 0-2 are reserved (any, hypervisor, host); VMADDR_CID_ANY is -1U. */
		if (parse_uint(arg, 3, 0xfffffffeULL, &v))
			return bad("--vsock wants a guest CID from 3 to 4294967294, not '%s'", arg);
		cfg->vsock_cid = v;
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
	case OPT_SANDBOX_TEST:
		cfg->sandbox_test = true;
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
	case OPT_SVE:
		/* Architecturally 128 to 2048 bits in steps of 128. */
		if (parse_uint(arg, 128, 2048, &v) || v % 128)
			return bad("--sve-max-vl wants a multiple of 128 from 128 to 2048, not '%s'", arg);
		cfg->sve_max_vl = v;
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
		return bad("unknown option '%s'", arg);
	}
	return CONFIG_OK;
}

enum config_result config_parse_run(struct vm_config *cfg, int argc, char **argv)
{
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_cpus = 1;
	cfg->mem_mib = CONFIG_DEFAULT_MEM_MIB;
	cfg->gic = GIC_AUTO;

	optind = 0;	/* re-initialise getopt: tests parse many times */
	opterr = 0;	/* one error line, ours */
	while ((opt = getopt_long(argc, argv, "+:k:i:p:c:m:d:n:h", run_options, NULL)) != -1) {
		enum config_result r;

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
	cfg->default_guest = !cfg->kernel;
	return CONFIG_OK;
}

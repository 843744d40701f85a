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
};

static const struct option run_options[] = {
	{ "kernel",	required_argument, NULL, 'k' },
	{ "initrd",	required_argument, NULL, 'i' },
	{ "params",	required_argument, NULL, 'p' },
	{ "cpus",	required_argument, NULL, 'c' },
	{ "mem",	required_argument, NULL, 'm' },
	{ "gic",	required_argument, NULL, OPT_GIC },
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
	       "      --gic v3          interrupt controller (default v3)\n"
	       "      --loglevel LEVEL  error, warning, info or debug\n"
	       "  -h, --help            this text\n"
	       "\n"
	       "Exit status: 0 guest powered off, 1 error, 2 guest asked for a reset.\n",
	       CONFIG_DEFAULT_MEM_MIB);
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
			return bad("--gic '%s' is not supported (supported: v3)", arg);
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
	cfg->gic = GIC_V3;

	optind = 0;	/* re-initialise getopt: tests parse many times */
	opterr = 0;	/* one error line, ours */
	while ((opt = getopt_long(argc, argv, "+:k:i:p:c:m:h", run_options, NULL)) != -1) {
		enum config_result r;

		if (opt == ':')
			return bad("option '%s' needs a value", argv[optind - 1]);
		r = apply_option(cfg, opt, opt == '?' ? argv[optind - 1] : optarg);

		if (r != CONFIG_OK)
			return r;
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	cfg->default_guest = !cfg->kernel;
	return CONFIG_OK;
}

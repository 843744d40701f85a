/* SPDX-License-Identifier: GPL-2.0-only */
/* What the user asked for on the command line of `gicvm run`. */
#ifndef GICVM_CONFIG_H
#define GICVM_CONFIG_H

#include "gicvm/util.h"
#include "../../gic/gic.h"

#define CONFIG_DEFAULT_MEM_MIB	256
#define CONFIG_MAX_CPUS		512	/* GICv3 redistributors gicvm places */

struct vm_config {
	const char *kernel;
	const char *initrd;
	const char *params;
	unsigned int nr_cpus;
	u64 mem_mib;
	enum gic_type gic;
	bool default_guest;	/* no -k: boot the installed default guest */
};

enum config_result {
	CONFIG_OK,
	CONFIG_HELP,		/* --help was printed; exit 0 */
	CONFIG_ERROR,		/* an error was printed; exit non-zero */
};

enum config_result config_parse_run(struct vm_config *cfg, int argc, char **argv);
void config_usage_run(void);

/* Strict unsigned parsing: digits only, no overflow, within [min, max]. */
int parse_uint(const char *s, u64 min, u64 max, u64 *out);

#endif

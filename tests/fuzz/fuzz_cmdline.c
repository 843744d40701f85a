// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: `gicvm run`'s command line. The input, split at NUL
 * bytes, is argv; the parser must return OK, HELP or ERROR without
 * crashing, and an accepted configuration must hold together. (Its error
 * lines are many; run.sh's -close_fd_mask keeps them out of the log.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gicvm/config.h"
#include "gicvm/device.h"
#include "virtio/blk.h"

#define MAX_ARGS	32

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	struct vm_config cfg;
	int argc = 0;

	memcpy(copy, data, size);
	copy[size] = 0;
	argv[argc++] = "run";
	for (char *p = copy; p < copy + size + 1 && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	if (config_parse_run(&cfg, argc, argv) == CONFIG_OK) {
		const struct blk_config *blk = device_config(&cfg, &virtio_blk_device);

		if (!cfg.nr_cpus || cfg.nr_cpus > CONFIG_MAX_CPUS || !cfg.mem_mib ||
		    blk->nr_disks > BLK_MAX_DISKS)
			__builtin_trap();
		for (unsigned int i = 0; i < blk->nr_disks; i++)
			if (!blk->disks[i].path[0])
				__builtin_trap();
	}
	free(copy);
	return 0;
}

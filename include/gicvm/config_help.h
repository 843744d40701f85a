/* SPDX-License-Identifier: GPL-2.0-only */
/* `gicvm run --help`, before and after the devices' options (config.c). */
#ifndef GICVM_CONFIG_HELP_H
#define GICVM_CONFIG_HELP_H

extern const char config_run_help[];
extern const char config_run_help_end[];

#endif

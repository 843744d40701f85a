/* SPDX-License-Identifier: GPL-2.0-only */
/* gicvm's subcommands, dispatched from main.c. Each returns the exit status. */
#ifndef GICVM_COMMANDS_H
#define GICVM_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_resume(int argc, char **argv);
int cmd_debug(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_balloon(int argc, char **argv);

#endif

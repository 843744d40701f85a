// SPDX-License-Identifier: GPL-2.0-only
/* gicvm: a small VMM for arm64 that keeps every interrupt in the kernel. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "gicvm/util.h"

#ifndef GICVM_VERSION
#define GICVM_VERSION "0.1"
#endif

#include "gicvm/commands.h"
static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("gicvm version %s\n", GICVM_VERSION);
	return 0;
}

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run",	cmd_run,	"Start a virtual machine" },
	{ "list",	cmd_list,	"Print a list of running instances on the host." },
	{ "stop",	cmd_stop,	"Stop a running instance" },
	{ "pause",	cmd_pause,	"Pause the virtual machine" },
	{ "resume",	cmd_resume,	"Resume the virtual machine" },
	{ "debug",	cmd_debug,	"Print debug information from a running instance" },
	{ "stat",	cmd_stat,	"Print statistics about a running instance" },
	{ "balloon",	cmd_balloon,	"Inflate or deflate the balloon of a running instance" },
	{ "snapshot",	cmd_snapshot,	"Save a running instance to a directory (run --restore it)" },
	{ "version",	cmd_version,	"Print the version of gicvm" },
	{ "help",	cmd_help,	"Display this help" },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("usage: gicvm [--version] [--help] <command> [<args>]\n\n"
	       "The most commonly used gicvm commands are:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("   %-10s %s\n", commands[i].name, commands[i].help);
	printf("\nSee 'gicvm <command> --help' for more information on a command.\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "help";

	/* A peer that hangs up is an error to report, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);

	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	else if (!strcmp(name, "--version"))
		name = "version";
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(name, commands[i].name))
			return commands[i].fn(argc > 1 ? argc - 1 : argc, argc > 1 ? argv + 1 : argv);
	}
	fprintf(stderr, "gicvm: '%s' is not a gicvm command. See 'gicvm help'.\n", name);
	return 1;
}

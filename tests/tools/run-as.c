// SPDX-License-Identifier: GPL-2.0-only
/*
 * run-as UID COMMAND...: run COMMAND as another uid (the emulated host has
 * no /etc/passwd for su), to test that gicvm refuses foreign peers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: run-as UID COMMAND...\n");
		return 2;
	}
	uid = atoi(argv[1]);
	if (setgid(uid) || setuid(uid)) {
		perror("run-as: setuid");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("run-as: exec");
	return 127;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-vsock: the guest's end of a stream, for the vsock and user-net
 * scenarios (the host's end is Debian's socat).
 *   gicvm-vsock connect CID PORT      send stdin, then print what comes back
 *                                     (half-closing after stdin, if it had any)
 *   gicvm-vsock listen PORT           print what the first connection sends
 *   gicvm-vsock connect-tcp IPV4 PORT the same over TCP
 * A connect is retried for up to 30 s while the peer is not listening yet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
/* After sys/socket.h, which it needs. */
#include <linux/vm_sockets.h>

/* Copy until EOF; *moved (if given) counts the bytes. */
static int copy(int from, int to, size_t *moved)
{
	static char buf[65536];

	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf)), done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (moved)
			*moved += n;
		while (done < n) {
			ssize_t w = write(to, buf + done, n - done);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			done += w;
		}
	}
}

static int do_connect(const struct sockaddr *addr, socklen_t len)
{
	for (int tries = 0; tries < 300; tries++) {
		int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			perror("gicvm-vsock: socket");
			return 1;
		}
		if (!connect(fd, addr, len)) {
			size_t sent = 0;

			/* A pure reader does not half-close: some peers reset then. */
			if (copy(STDIN_FILENO, fd, &sent) || (sent && shutdown(fd, SHUT_WR)) ||
			    copy(fd, STDOUT_FILENO, NULL)) {
				perror("gicvm-vsock: transfer");
				return 1;
			}
			close(fd);
			return 0;
		}
		close(fd);
		if (errno != ECONNRESET && errno != ECONNREFUSED && errno != ETIMEDOUT)
			break;
		usleep(100000);
	}
	perror("gicvm-vsock: connect");
	return 1;
}

static int do_listen(unsigned int port)
{
	struct sockaddr_vm addr = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY,
				    .svm_port = port };
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0), c;

	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 4)) {
		perror("gicvm-vsock: listen");
		return 1;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0 || copy(c, STDOUT_FILENO, NULL)) {
		perror("gicvm-vsock: accept");
		return 1;
	}
	close(c);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_vm vm = { .svm_family = AF_VSOCK };
	struct sockaddr_in in = { .sin_family = AF_INET };

	if (argc == 4 && !strcmp(argv[1], "connect")) {
		vm.svm_cid = strtoul(argv[2], NULL, 0);
		vm.svm_port = strtoul(argv[3], NULL, 0);
		return do_connect((struct sockaddr *)&vm, sizeof(vm));
	}
	if (argc == 4 && !strcmp(argv[1], "connect-tcp") && inet_pton(AF_INET, argv[2], &in.sin_addr)) {
		in.sin_port = htons(strtoul(argv[3], NULL, 0));
		return do_connect((struct sockaddr *)&in, sizeof(in));
	}
	if (argc == 3 && !strcmp(argv[1], "listen"))
		return do_listen(strtoul(argv[2], NULL, 0));
	fprintf(stderr, "usage: gicvm-vsock connect CID PORT | listen PORT | connect-tcp IP PORT\n");
	return 2;
}

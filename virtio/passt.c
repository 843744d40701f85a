// SPDX-License-Identifier: GPL-2.0-only
/* passt's end of virtio-net -n mode=user (see passt.h). */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "passt.h"
#include "virtqueue.h"

/* A frame begun but not finished in this long: passt is taken for gone. */
#define SEND_PATIENCE_MS	1000

/* Whether @name is an executable somewhere in $PATH. */
static bool in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (len && snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name) <
			   (int)sizeof(buf) && !access(buf, X_OK))
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

static int spawn(struct passt *ps)
{
	int sv[2];
	char fdarg[16];

	if (!in_path("passt")) {
		pr_err("virtio-net: mode=user needs passt (Debian's package passt) in PATH");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		pr_err("virtio-net: socketpair: %s", strerror(errno));
		return -1;
	}
	ps->pid = fork();
	if (ps->pid < 0) {
		pr_err("virtio-net: cannot start passt: %s", strerror(errno));
		return -1;
	}
	if (!ps->pid) {
		/* dup2 clears close-on-exec on fd 3, passt's end. */
		if (dup2(sv[1], 3) < 0)
			_exit(127);
		snprintf(fdarg, sizeof(fdarg), "%d", 3);
		/* Foreground: gicvm's child, ended by the socket's close. */
		execlp("passt", "passt", "--foreground", "--quiet", "--fd", fdarg, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	ps->fd = sv[0];
	return 0;
}

static int connect_to(struct passt *ps, const char *path)
{
	ps->fd = unix_connect(path);
	if (ps->fd >= 0)
		return 0;
	if (errno == ENAMETOOLONG)
		pr_err("virtio-net: socket path too long: %s", path);
	else
		pr_err("virtio-net: cannot connect to passt at %s: %s", path, strerror(errno));
	return -1;
}

int passt_open(struct passt *ps, const char *socket_path)
{
	ps->fd = -1;
	ps->pid = 0;
	ps->rx_start = ps->rx_end = 0;
	if (socket_path ? connect_to(ps, socket_path) : spawn(ps))
		return -1;
	/* Reads must not block the I/O thread; writes wait a little (passt_send). */
	return fcntl(ps->fd, F_SETFL, O_NONBLOCK);
}

int passt_send(struct passt *ps, const struct iovec *iov, unsigned int n, size_t skip)
{
	size_t len = iov_to_buf(iov, n, skip, ps->tx + 4, PASST_MAX_FRAME), done = 0;
	struct timespec ms = { .tv_nsec = 1000000 };
	unsigned int waited = 0;
	u32 be_len = htobe32(len);

	memcpy(ps->tx, &be_len, 4);
	while (done < len + 4) {
		ssize_t w = write(ps->fd, ps->tx + done, len + 4 - done);

		if (w > 0) {
			done += w;
		} else if (w < 0 && errno == EAGAIN && !done) {
			return 0;	/* passt is behind: drop the frame, as a full NIC would */
		} else if (w < 0 && errno == EAGAIN && waited++ < SEND_PATIENCE_MS) {
			nanosleep(&ms, NULL);	/* the rest of a frame begun must follow */
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Read what is there: 1 if bytes came, 0 if none now, -1 at the end. */
static int fill(struct passt *ps)
{
	ssize_t r;

	if (ps->rx_start) {
		memmove(ps->rx, ps->rx + ps->rx_start, ps->rx_end - ps->rx_start);
		ps->rx_end -= ps->rx_start;
		ps->rx_start = 0;
	}
	if (ps->rx_end == sizeof(ps->rx))
		return -1;	/* cannot happen with frames within the limit */
	r = read(ps->fd, ps->rx + ps->rx_end, sizeof(ps->rx) - ps->rx_end);
	if (r > 0) {
		ps->rx_end += r;
		return 1;
	}
	return r < 0 && (errno == EAGAIN || errno == EINTR) ? 0 : -1;
}

ssize_t passt_next_frame(struct passt *ps, const u8 **frame)
{
	for (;;) {
		size_t have = ps->rx_end - ps->rx_start;
		u32 len = 0;
		int r;

		if (have >= 4) {
			memcpy(&len, ps->rx + ps->rx_start, 4);
			len = be32toh(len);
		}
		if (have >= 4 && (len > PASST_MAX_FRAME || !len)) {
			pr_warn("virtio-net: passt sent a frame of %u bytes", len);
			return -1;
		}
		if (have >= 4 && have - 4 >= len) {
			*frame = ps->rx + ps->rx_start + 4;
			return len;
		}
		r = fill(ps);
		if (r <= 0)
			return r;
	}
}

void passt_consume(struct passt *ps, size_t len)
{
	ps->rx_start += 4 + len;
}

void passt_report_gone(struct passt *ps)
{
	/* Said once, from whichever thread saw it: no waitpid() in the sandbox. */
	pr_err("virtio-net: passt%s closed its connection: the guest's link is down",
	       ps->pid > 0 ? " (started by gicvm)" : "");
}

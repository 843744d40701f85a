// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtiofsd gicvm starts for --fs (see fs.h). Debian's virtiofsd is the
 * Rust one (trixie: 1.13), installed in /usr/libexec, not in PATH. gicvm
 * makes the listening socket itself, in a directory only its user can
 * enter, hands it over (--fd), connects, and removes the name: no other
 * process can reach the backend first, and nothing is left behind.
 * virtiofsd serves that one connection and exits when it closes, that is
 * when gicvm does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fs.h"

#define VIRTIOFSD	"/usr/libexec/virtiofsd"

/* $GICVM_VIRTIOFSD (for a virtiofsd elsewhere), else Debian's. */
static const char *virtiofsd_path(void)
{
	const char *p = getenv("GICVM_VIRTIOFSD");

	return p && *p ? p : VIRTIOFSD;
}

static int listen_at(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 1)) {
		pr_err("virtio-fs: cannot listen at %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A fresh directory of the caller's, mode 0700, for the socket. */
static int private_dir(char *dir, size_t len)
{
	const char *base = getenv("XDG_RUNTIME_DIR");

	if (!base || !*base)
		base = "/tmp";
	if (snprintf(dir, len, "%s/gicvm-fs-XXXXXX", base) >= (int)len || !mkdtemp(dir)) {
		pr_err("virtio-fs: cannot make a directory for virtiofsd's socket in %s: %s", base,
		       strerror(errno));
		return -1;
	}
	return 0;
}

static void exec_virtiofsd(const struct fs_share *share, int listen_fd)
{
	char dir_arg[4200];
	/*
	 * As root it confines itself in namespaces; an ordinary user cannot.
	 * A --rootfs share is often /, which pivot_root(2) cannot move: chroot.
	 */
	char *sandbox = geteuid() ? "--sandbox=none" :
			share->root ? "--sandbox=chroot" : "--sandbox=namespace";
	/*
	 * The root share lies under the guest's overlay, which refuses to
	 * look through submounts (EREMOTE): the host's /proc, /home... are
	 * shown as plain directories there.
	 */
	char *argv[] = { "virtiofsd", "--fd=3", dir_arg, sandbox, "--log-level=error",
			 /*
			  * No thread pool: each queue is answered in order, so
			  * when the backend dies gicvm knows exactly which
			  * requests it held (virtio/fs.c fails them with EIO).
			  */
			 "--thread-pool-size=0",
			 share->root ? "--no-announce-submounts" : "--announce-submounts",
			 share->readonly ? "--readonly" : NULL, NULL };

	/* dup2 clears close-on-exec on fd 3, the listening socket. */
	if (dup2(listen_fd, 3) < 0)
		_exit(127);
	snprintf(dir_arg, sizeof(dir_arg), "--shared-dir=%s", share->dir);
	execv(virtiofsd_path(), argv);
	_exit(127);
}

int virtiofsd_start(const struct fs_share *share, unsigned int index, char *path, size_t len)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path) - 8];
	struct stat st;
	pid_t pid;
	int fd;

	if (stat(share->dir, &st) || !S_ISDIR(st.st_mode)) {
		pr_err("virtio-fs: --fs %s: not a directory", share->dir);
		return -1;
	}
	if (access(virtiofsd_path(), X_OK)) {
		pr_err("virtio-fs: --fs needs virtiofsd (Debian's package virtiofsd, %s): %s",
		       virtiofsd_path(), strerror(errno));
		return -1;
	}
	if (private_dir(dir, sizeof(dir)))
		return -1;
	snprintf(path, len, "%s/%u", dir, index);
	fd = listen_at(path);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		pr_err("virtio-fs: cannot start virtiofsd: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!pid)
		exec_virtiofsd(share, fd);
	/* The child holds the socket now; a connection waits in its queue. */
	close(fd);
	return 0;
}

void virtiofsd_started(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	unlink(path);
	if (slash) {
		*slash = 0;
		rmdir(dir);
	}
}

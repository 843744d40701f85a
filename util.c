// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gicvm/util.h"

enum log_level log_level = LOG_WARN;

static const char *const level_prefix[] = {
	[LOG_ERROR] = "",
	[LOG_WARN] = "warning: ",
	[LOG_INFO] = "info: ",
	[LOG_DEBUG] = "debug: ",
};

static void vlog(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	char buf[1024];
	int n;

	/* One write per line so messages from vCPU threads do not interleave. */
	n = snprintf(buf, sizeof(buf), "gicvm: %s", prefix);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	if (suffix)
		n += snprintf(buf + n, sizeof(buf) - n, ": %s", suffix);
	if (n >= (int)sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write_all(STDERR_FILENO, buf, n);
}

static _Thread_local char last_error[256];

const char *log_last_error(void)
{
	return last_error;
}

void log_clear_error(void)
{
	last_error[0] = 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_ERROR) {
		va_start(ap, fmt);
		vsnprintf(last_error, sizeof(last_error), fmt, ap);
		va_end(ap);
	}
	if (level > log_level)
		return;
	va_start(ap, fmt);
	vlog(level_prefix[level], fmt, ap, NULL);
	va_end(ap);
}

int error_exit_status = 1;

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap, NULL);
	va_end(ap);
	exit(error_exit_status);
}

void die_errno(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap, err);
	va_end(ap);
	exit(error_exit_status);
}

int read_fd(int fd, size_t max, void **bufp, size_t *lenp)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = NULL;
	int err = 0;

	for (;;) {
		ssize_t n;

		if (!buf || len == cap) {
			char *nbuf;

			if (buf)
				cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err = -ENOMEM;
				break;
			}
			buf = nbuf;
		}
		/* From the start, whatever was read before: a reboot reads again. */
		n = pread(fd, buf + len, cap - len, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		len += n;
		if (len > max) {
			err = -EFBIG;
			break;
		}
	}
	if (err) {
		free(buf);
		return err;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int read_file(const char *path, size_t max, void **bufp, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = read_fd(fd, max, bufp, lenp);
	close(fd);
	return err;
}

int open_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (!slash)
		return open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
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

bool has_word(const char *s, const char *word)
{
	size_t len = strlen(word);
	const char *p = s;

	while (len && (p = strstr(p, word))) {
		bool starts = p == s || isspace((unsigned char)p[-1]);
		bool ends = !p[len] || isspace((unsigned char)p[len]);

		if (starts && ends)
			return true;
		p += len;
	}
	return false;
}

/* @fd could not bind at @addr, taken: replace a dead socket there; 0 or an errno. */
static int replace_dead_socket(int fd, const struct sockaddr_un *addr)
{
	int peer = unix_connect(addr->sun_path);
	struct stat st;

	if (peer >= 0) {
		close(peer);
		return EADDRINUSE;	/* somebody answers */
	}
	if (lstat(addr->sun_path, &st) || !S_ISSOCK(st.st_mode))
		return EEXIST;		/* never a file that is not a socket */
	if (unlink(addr->sun_path) || bind(fd, (const struct sockaddr *)addr, sizeof(*addr)))
		return errno;
	return 0;
}

int unix_listen(const char *path, int backlog)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, err = 0;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	old = umask(0177);	/* 0600 from the start: no moment with a wider mode */
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		err = errno == EADDRINUSE ? replace_dead_socket(fd, &addr) : errno;
	umask(old);
	if (!err && listen(fd, backlog)) {
		err = errno;
		unlink(path);
	}
	if (err) {
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int unix_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the GDB stub listens. Whoever connects owns the guest (memory,
 * registers, breakpoints), so the default is a unix socket that only its
 * owner may use: mode 0600, and every connection's peer must be the
 * caller's uid (SO_PEERCRED), whatever the socket's directory lets through.
 * TCP is there when asked for by name, "tcp:[ADDR:]PORT": anyone who can
 * reach that port, any local user on loopback, can then attach.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gdb.h"
#include "gdb_internal.h"

static char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int unix_dir = -1;		/* its directory: removed from there at exit */

/* "unix:PATH" or a path with a slash: PATH; NULL if @where is not one. */
static const char *unix_form(const char *where)
{
	if (!strncmp(where, "unix:", 5))
		return where + 5;
	return strchr(where, '/') && strncmp(where, "tcp:", 4) ? where : NULL;
}

/* "tcp:[ADDR:]PORT" into @addr (loopback without ADDR); -1 if malformed. */
static int parse_tcp(const char *where, struct sockaddr_in *addr)
{
	const char *colon;
	char host[64];
	u64 port;

	if (strncmp(where, "tcp:", 4))
		return -1;
	where += 4;
	colon = strrchr(where, ':');
	*addr = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (parse_uint(colon ? colon + 1 : where, 1, 65535, &port))
		return -1;
	addr->sin_port = htons(port);
	if (!colon)
		return 0;
	if ((size_t)(colon - where) >= sizeof(host))
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - where), where);
	return inet_pton(AF_INET, host, &addr->sin_addr) == 1 ? 0 : -1;
}

const char *gdb_where_error(const char *where)
{
	const char *path = unix_form(where);
	struct sockaddr_in addr;

	if (path)
		return *path && strlen(path) < sizeof(unix_path) ? NULL :
		       "wants unix:PATH with a path of 1 to 107 bytes";
	if (!strncmp(where, "tcp:", 4))
		return parse_tcp(where, &addr) ? "wants tcp:[ADDR:]PORT, ADDR an IPv4 address" : NULL;
	return "wants unix:PATH (only you can attach) or tcp:[ADDR:]PORT "
	       "(anyone who reaches the port can)";
}

static int listen_tcp(const char *where)
{
	struct sockaddr_in addr;
	int fd, one = 1;

	if (parse_tcp(where, &addr)) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int listen_unix(const char *path)
{
	int fd = unix_listen(path, 1);

	if (fd >= 0) {
		snprintf(unix_path, sizeof(unix_path), "%s", path);
		unix_dir = open_parent_dir(path);
	}
	return fd;
}

int gdb_listen(const char *where)
{
	const char *path = unix_form(where);

	return path ? listen_unix(path) : listen_tcp(where);
}

bool gdb_peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (!unix_path[0])
		return true;	/* tcp: asked for by name, with its risk */
	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) && cred.uid == getuid();
}

int gdb_listen_dir(void)
{
	return unix_dir;
}

void gdb_stop(void)
{
	if (unix_dir >= 0)
		unlinkat(unix_dir, path_base(unix_path), 0);
}

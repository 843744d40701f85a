// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-init: /init of the initramfs gicvm builds in memory for --rootfs
 * and `gicvm run -- COMMAND` (run-command.c). It is static: the initramfs
 * holds only it and /gicvm/spec, NUL-separated "key=value" records:
 *
 *   root=TAG              the virtio-fs tag of the root share
 *   mount=TAG at=PATH     another share, mounted at PATH (ro=1: read-only)
 *   uid= gid= groups=A,B  who runs the command
 *   cwd=PATH              where it starts
 *   env=NAME=VALUE        its environment (PATH, HOME, TERM...)
 *   arg=ARG               its argv, in order (none: /bin/sh on the console)
 *
 * First the modules in /gicvm/modules (a distribution kernel's overlayfs
 * and the like; none for a kernel with them built in), in name order.
 * The root share (read-only) goes under an overlay whose upper layer is a
 * tmpfs, so the guest writes without touching the host; /proc, /sys, /dev,
 * /tmp and /run are fresh. The command's stdio are the virtio-console
 * ports gicvm names gicvm.stdin, gicvm.stdout, gicvm.stderr; when it ends,
 * "exit N" goes on gicvm.status and the guest powers off.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4	/* linux/module.h, since 5.17 */
#endif

#define MAX_ITEMS	1024
#define MAX_MOUNTS	8
#define MAX_GROUPS	64

struct spec {
	const char *root;
	struct { const char *tag, *at; int ro; } mounts[MAX_MOUNTS];
	int nr_mounts;
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];
	int nr_groups;
	const char *cwd;
	char *env[MAX_ITEMS];
	int nr_env;
	char *argv[MAX_ITEMS];
	int nr_args;
};

enum { P_STDIN, P_STDOUT, P_STDERR, P_STATUS, NR_PORTS };
static const char *const port_names[NR_PORTS] = {
	"gicvm.stdin", "gicvm.stdout", "gicvm.stderr", "gicvm.status",
};
static int ports[NR_PORTS] = { -1, -1, -1, -1 };

/* Messages go to the command's stderr once it exists, else the console. */
static void say(const char *fmt, ...)
{
	int fd = ports[P_STDERR] >= 0 ? ports[P_STDERR] : 2;
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	dprintf(fd, "gicvm-init: %.*s", n, buf);
}

/*
 * A port's write returns before gicvm has taken the bytes: gicvm closes
 * its side of the status port once it has the status and everything the
 * command wrote, and only then may the guest go.
 */
static void wait_for_host(void)
{
	struct pollfd p = { .fd = ports[P_STATUS], .events = POLLIN };
	char byte;

	if (poll(&p, 1, 10000) == 1)
		(void)!read(ports[P_STATUS], &byte, 1);
}

static void report_and_power_off(int status)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "exit %d\n", status);

	sync();
	/* Without a command (a shell on the console) nobody waits for it. */
	if (ports[P_STATUS] >= 0 && write(ports[P_STATUS], line, n) != n)
		say("cannot report the command's status %d", status);
	else if (ports[P_STATUS] >= 0)
		wait_for_host();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* gicvm's status for "the command could not be run". */
static void fail(const char *what)
{
	say("%s: %s", what, strerror(errno));
	report_and_power_off(125);
}

static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;

	if (fd < 0 || fstat(fd, &st))
		fail(path);
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		fail(path);
	buf[st.st_size] = 0;
	close(fd);
	*len = st.st_size;
	return buf;
}

static void parse_groups(struct spec *s, char *list)
{
	for (char *g = strtok(list, ","); g && s->nr_groups < MAX_GROUPS; g = strtok(NULL, ","))
		s->groups[s->nr_groups++] = strtoul(g, NULL, 10);
}

static void parse_spec(struct spec *s, char *buf, size_t len)
{
	for (char *p = buf, *next; p < buf + len; p = next) {
		char *eq = strchr(p, '=');

		next = p + strlen(p) + 1;	/* before the '=' below is cut */
		if (!eq)
			continue;
		*eq = 0;
		if (!strcmp(p, "root"))
			s->root = eq + 1;
		else if (!strcmp(p, "mount") && s->nr_mounts < MAX_MOUNTS)
			s->mounts[s->nr_mounts++].tag = eq + 1;
		else if (!strcmp(p, "at") && s->nr_mounts)
			s->mounts[s->nr_mounts - 1].at = eq + 1;
		else if (!strcmp(p, "ro") && s->nr_mounts)
			s->mounts[s->nr_mounts - 1].ro = 1;
		else if (!strcmp(p, "uid"))
			s->uid = strtoul(eq + 1, NULL, 10);
		else if (!strcmp(p, "gid"))
			s->gid = strtoul(eq + 1, NULL, 10);
		else if (!strcmp(p, "groups"))
			parse_groups(s, eq + 1);
		else if (!strcmp(p, "cwd"))
			s->cwd = eq + 1;
		else if (!strcmp(p, "env") && s->nr_env < MAX_ITEMS - 1)
			s->env[s->nr_env++] = eq + 1;
		else if (!strcmp(p, "arg") && s->nr_args < MAX_ITEMS - 1)
			s->argv[s->nr_args++] = eq + 1;
	}
}

/* mkdir -p */
static void make_dirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

static void mount_at(const char *src, const char *dir, const char *type, unsigned long flags,
		     const char *data)
{
	make_dirs(dir);
	if (mount(src, dir, type, flags, data)) {
		char what[4200];

		snprintf(what, sizeof(what), "cannot mount %s (%s) on %s", src, type, dir);
		fail(what);
	}
}

static int compressed(const char *name)
{
	size_t n = strlen(name);

	return (n > 3 && (!strcmp(name + n - 3, ".xz") || !strcmp(name + n - 3, ".gz"))) ||
	       (n > 4 && !strcmp(name + n - 4, ".zst"));
}

/*
 * gicvm put them in load order, dependencies first. One that is already
 * there (built in, or loaded as another's dependency) is fine; one that
 * fails is said, and the mount that needed it says the rest.
 */
static void load_modules(void)
{
	struct dirent **names;
	int n = scandir("/gicvm/modules", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[300];
		int fd;

		snprintf(path, sizeof(path), "/gicvm/modules/%s", name);
		fd = name[0] == '.' ? -1 : open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 &&
		    syscall(SYS_finit_module, fd, "", compressed(name) ? MODULE_INIT_COMPRESSED_FILE : 0) &&
		    errno != EEXIST)
			say("cannot load the module %s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(names[i]);
	}
	if (n > 0)
		free(names);
}

/* The ports appear once the driver and gicvm have exchanged their names. */
static void open_ports(void)
{
	for (int tries = 0; tries < 500; tries++) {
		DIR *d = opendir("/sys/class/virtio-ports");
		struct dirent *e;
		int found = 0;

		while (d && (e = readdir(d))) {
			char path[300], name[64] = "";
			int fd;

			snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (read(fd, name, sizeof(name) - 1) < 0)
				name[0] = 0;
			close(fd);
			name[strcspn(name, "\n")] = 0;
			for (int p = 0; p < NR_PORTS; p++) {
				if (strcmp(name, port_names[p]))
					continue;
				if (ports[p] < 0) {
					snprintf(path, sizeof(path), "/dev/%s", e->d_name);
					ports[p] = open(path, p == P_STDIN ? O_RDONLY :
							    p == P_STATUS ? O_RDWR : O_WRONLY);
				}
				found += ports[p] >= 0;
			}
		}
		if (d)
			closedir(d);
		if (found == NR_PORTS)
			return;
		usleep(10000);
	}
	errno = ENODEV;
	fail("gicvm's command ports never appeared");
}

/* The overlay root at /newroot: the share read-only below, a tmpfs above. */
static void mount_root(const struct spec *s)
{
	mount_at(s->root, "/lower", "virtiofs", MS_RDONLY, NULL);
	mount_at("upper", "/upper", "tmpfs", 0, "mode=0755");
	make_dirs("/upper/data");
	make_dirs("/upper/work");
	mount_at("overlay", "/newroot", "overlay", 0,
		 "lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work");
	mount_at("proc", "/newroot/proc", "proc", 0, NULL);
	mount_at("sysfs", "/newroot/sys", "sysfs", 0, NULL);
	mount_at("devtmpfs", "/newroot/dev", "devtmpfs", 0, NULL);
	mount_at("devpts", "/newroot/dev/pts", "devpts", 0, "gid=5,mode=0620,ptmxmode=0666");
	mount_at("shm", "/newroot/dev/shm", "tmpfs", 0, "mode=1777");
	mount_at("tmp", "/newroot/tmp", "tmpfs", 0, "mode=1777");
	mount_at("run", "/newroot/run", "tmpfs", 0, "mode=0755");
	for (int i = 0; i < s->nr_mounts; i++) {
		char at[4200];

		snprintf(at, sizeof(at), "/newroot%s", s->mounts[i].at);
		mount_at(s->mounts[i].tag, at, "virtiofs", s->mounts[i].ro ? MS_RDONLY : 0, NULL);
	}
	if (chdir("/newroot") || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") ||
	    chdir("/"))
		fail("cannot switch to the new root");
}

/* Without a command: a shell on the console, which is then its terminal. */
static void use_console(struct spec *s)
{
	static char *shell[] = { "/bin/sh", NULL };
	int fd;

	setsid();
	fd = open("/dev/console", O_RDWR);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		_exit(125);
	ioctl(0, TIOCSCTTY, 1);
	memcpy(s->argv, shell, sizeof(shell));
	s->nr_args = 1;
}

static void run_child(struct spec *s)
{
	if (!s->nr_args)
		use_console(s);
	else if (setsid() < 0 || dup2(ports[P_STDIN], 0) < 0 || dup2(ports[P_STDOUT], 1) < 0 ||
		 dup2(ports[P_STDERR], 2) < 0)
		_exit(125);
	if (setgroups(s->nr_groups, s->groups) || setgid(s->gid) || setuid(s->uid)) {
		say("cannot become uid %u gid %u: %s", s->uid, s->gid, strerror(errno));
		_exit(125);
	}
	if (!s->cwd || chdir(s->cwd)) {
		say("cannot enter %s: %s; starting in /", s->cwd ? s->cwd : "?", strerror(errno));
		if (chdir("/"))
			_exit(125);
	}
	s->argv[s->nr_args] = NULL;
	/* Only what gicvm passed: PATH here is also where execvp looks. */
	clearenv();
	for (int i = 0; i < s->nr_env; i++)
		putenv(s->env[i]);
	execvp(s->argv[0], s->argv);
	/* As a shell says it: 127 not found, 126 found but not runnable. */
	say("%s: %s", s->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Wait for the command (reaping any orphan on the way); its shell-style status. */
static int wait_for(pid_t child)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = wait(&status);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return 125;
		if (pid != child)
			continue;
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		return WEXITSTATUS(status);
	}
}

int main(void)
{
	static struct spec s;
	size_t len;
	char *buf;
	pid_t child;

	mount_at("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount_at("proc", "/proc", "proc", 0, NULL);
	mount_at("sysfs", "/sys", "sysfs", 0, NULL);
	load_modules();
	buf = read_file("/gicvm/spec", &len);
	parse_spec(&s, buf, len);
	if (s.nr_args)
		open_ports();
	if (!s.root) {
		errno = EINVAL;
		fail("no root share in /gicvm/spec");
	}
	mount_root(&s);
	child = fork();
	if (child < 0)
		fail("fork");
	if (!child)
		run_child(&s);
	if (s.nr_args) {
		close(ports[P_STDIN]);
		close(ports[P_STDOUT]);
	}
	report_and_power_off(wait_for(child));
}

// SPDX-License-Identifier: GPL-2.0-only
/* The control subcommands: list, stop, pause, resume, debug, stat, balloon, snapshot. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gicvm/commands.h"
#include "gicvm/config.h"
#include "gicvm/control.h"
#include "gicvm/snapshot.h"

#define ANSWER_MAX	(1 << 20)

struct ctl_args {
	const char *name;
	bool json;
	bool dump;
	unsigned int grace;	/* stop: seconds before SIGKILL */
	bool stop;		/* snapshot --stop */
	char *const *args;	/* balloon: what follows the options */
	int nargs;
};

static char answer[ANSWER_MAX];

/* Each VM with a live socket, by name; leftovers of killed VMs are removed. */
static int for_each_vm(void (*fn)(const char *name, void *ctx), void *ctx)
{
	char dir[256], path[512];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (control_dir(dir, sizeof(dir), false) || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char name[256];

		if (len < 6 || strcmp(e->d_name + len - 5, ".sock"))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5), e->d_name);
		if (control_request(name, "info", answer, sizeof(answer), NULL)) {
			if (errno == ECONNREFUSED) {
				snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
				unlink(path);
			}
			continue;
		}
		fn(name, ctx);
		n++;
	}
	closedir(d);
	return n;
}

static void remember_name(const char *name, void *ctx)
{
	char **only = ctx;

	free(*only);
	*only = strdup(name);
}

/* --name, or the one VM running; NULL (after saying why) otherwise. */
static const char *pick_vm(const struct ctl_args *a)
{
	static char *only;
	int n;

	if (a->name)
		return a->name;
	n = for_each_vm(remember_name, &only);
	if (n == 1)
		return only;
	fprintf(stderr, "gicvm: %s; name one with --name (see 'gicvm list')\n",
		n ? "several VMs are running" : "no VM is running");
	return NULL;
}

static const char *field(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
			return buf;
		}
	}
	return "?";
}

static void list_one(const char *name, void *ctx)
{
	bool *first = ctx;
	char pid[16], cpus[16], mem[24], state[16];

	if (first) {
		/* JSON: ask again, in JSON. */
		if (!control_request(name, "info-json", answer, sizeof(answer), NULL))
			printf("%s%.*s", *first ? "" : ", ", (int)strcspn(answer, "\n"), answer);
		*first = false;
		return;
	}
	printf("%-24s %8s %5s %9s  %s\n", name, field(answer, "pid", pid, sizeof(pid)),
	       field(answer, "cpus", cpus, sizeof(cpus)), field(answer, "mem_mib", mem, sizeof(mem)),
	       field(answer, "state", state, sizeof(state)));
}

static int do_list(const struct ctl_args *a)
{
	bool first = true;

	if (a->json) {
		printf("{\"vms\": [");
		for_each_vm(list_one, &first);
		printf("]}\n");
		return 0;
	}
	printf("%-24s %8s %5s %9s  %s\n", "NAME", "PID", "CPUS", "MEM(MiB)", "STATE");
	for_each_vm(list_one, NULL);
	return 0;
}

static int request(const char *name, const char *cmd)
{
	if (control_request(name, cmd, answer, sizeof(answer), NULL)) {
		fprintf(stderr, "gicvm: cannot reach VM '%s': %s\n", name, strerror(errno));
		return 1;
	}
	if (!*answer) {
		fprintf(stderr, "gicvm: VM '%s' closed the connection without an answer "
			"(is it another user's?)\n", name);
		return 1;
	}
	fputs(answer, stdout);
	return strncmp(answer, "error:", 6) ? 0 : 1;
}

/* Gone, or a zombie waiting for its parent: either way it has stopped. */
static bool process_gone(pid_t pid)
{
	char path[64], buf[256], *state;
	FILE *f;
	size_t n;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	state = strrchr(buf, ')');
	return state && state[1] == ' ' && state[2] == 'Z';
}

static int do_stop(const char *name, unsigned int grace)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	pid_t pid, again;

	/* Whom to SIGKILL: the kernel's word for the socket's owner, never the answer's. */
	if (control_request(name, "info", answer, sizeof(answer), &pid)) {
		fprintf(stderr, "gicvm: cannot reach VM '%s': %s\n", name, strerror(errno));
		return 1;
	}
	if (pid <= 0 || control_request(name, "stop", answer, sizeof(answer), &again) ||
	    again != pid)
		return 1;
	for (unsigned int i = 0; i < grace * 10; i++) {
		if (process_gone(pid)) {
			printf("stopped %s\n", name);
			return 0;
		}
		nanosleep(&tick, NULL);
	}
	/* It did not go in time: make sure it goes. */
	kill(pid, SIGKILL);
	printf("killed %s (pid %d) after %u s\n", name, (int)pid, grace);
	return 0;
}

static int parse_ctl(int argc, char **argv, struct ctl_args *a, const char *usage)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'd' },
		{ "grace", required_argument, NULL, 'g' },
		{ "stop", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	u64 v;
	int opt;

	memset(a, 0, sizeof(*a));
	a->grace = 10;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+n:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			a->name = optarg;
			break;
		case 'j':
			a->json = true;
			break;
		case 'd':
			a->dump = true;
			break;
		case 's':
			a->stop = true;
			break;
		case 'g':
			if (parse_uint(optarg, 0, 3600, &v))
				goto bad;
			a->grace = v;
			break;
		case 'h':
			printf("usage: gicvm %s\n", usage);
			return 1;
		default:
			goto bad;
		}
	}
	a->args = argv + optind;
	a->nargs = argc - optind;
	if ((optind == argc && strcmp(argv[0], "snapshot")) ||
	    (!strcmp(argv[0], "balloon") && a->nargs == 2) ||
	    (!strcmp(argv[0], "snapshot") && a->nargs == 1))
		return 0;
bad:
	fprintf(stderr, "gicvm: bad arguments; usage: gicvm %s\n", usage);
	return -1;
}

static int ctl_main(int argc, char **argv, const char *usage,
		    int (*fn)(const struct ctl_args *a, const char *name))
{
	struct ctl_args a;
	const char *name;
	int r = parse_ctl(argc, argv, &a, usage);

	if (r)
		return r < 0 ? 1 : 0;
	if (!fn)
		return do_list(&a);
	name = pick_vm(&a);
	return name ? fn(&a, name) : 1;
}

static int stop_fn(const struct ctl_args *a, const char *name)
{
	return do_stop(name, a->grace);
}

static int pause_fn(const struct ctl_args *a, const char *name)
{
	return request(name, "pause");
}

static int resume_fn(const struct ctl_args *a, const char *name)
{
	return request(name, "resume");
}

static int debug_fn(const struct ctl_args *a, const char *name)
{
	if (!a->dump) {
		fprintf(stderr, "gicvm: debug wants --dump\n");
		return 1;
	}
	return request(name, a->json ? "dump-json" : "dump");
}

static int stat_fn(const struct ctl_args *a, const char *name)
{
	return request(name, a->json ? "stat-json" : "stat");
}

/* "balloon" alone: where it stands; "balloon inflate|deflate MIB": move it. */
static int balloon_fn(const struct ctl_args *a, const char *name)
{
	char cmd[64];
	u64 mib;

	if (!a->nargs)
		return request(name, "balloon");
	if ((strcmp(a->args[0], "inflate") && strcmp(a->args[0], "deflate")) ||
	    parse_uint(a->args[1], 1, 1 << 20, &mib)) {
		fprintf(stderr, "gicvm: balloon wants inflate MIB or deflate MIB\n");
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "balloon %s %llu", a->args[0], (unsigned long long)mib);
	return request(name, cmd);
}

/* DIR/NAME.tmp, created for the VM to write (it may create no file itself). */
static int open_part(const char *dir, const char *name, bool tmp)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, tmp ? ".tmp" : "");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fprintf(stderr, "gicvm: cannot create %s: %s\n", path, strerror(errno));
	return fd;
}

/* The saved parts take their names only once both are whole: an old snapshot stays until then. */
static int commit_parts(const char *dir, bool ok)
{
	static const char *const parts[] = { SNAP_STATE_FILE, SNAP_MEMORY_FILE };
	char from[4096], to[4096];
	int ret = 0;

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		snprintf(from, sizeof(from), "%s/%s.tmp", dir, parts[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, parts[i]);
		if (ok && rename(from, to)) {
			fprintf(stderr, "gicvm: cannot rename %s: %s\n", from, strerror(errno));
			ret = 1;
		}
		if (!ok)
			unlink(from);
	}
	return ret;
}

static int snapshot_fn(const struct ctl_args *a, const char *name)
{
	const char *dir = a->args[0];
	int fds[2], ret;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "gicvm: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	fds[0] = open_part(dir, SNAP_STATE_FILE, true);
	fds[1] = fds[0] < 0 ? -1 : open_part(dir, SNAP_MEMORY_FILE, true);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		commit_parts(dir, false);
		return 1;
	}
	if (control_request_fds(name, a->stop ? "snapshot stop" : "snapshot", fds, 2, answer,
				sizeof(answer), NULL)) {
		fprintf(stderr, "gicvm: cannot reach VM '%s': %s\n", name, strerror(errno));
		answer[0] = 0;
	}
	close(fds[0]);
	close(fds[1]);
	ret = !strncmp(answer, "saved", 5) ? 0 : 1;
	if (ret && *answer)
		fprintf(stderr, "gicvm: snapshot of '%s': %s", name,
			!strncmp(answer, "error: ", 7) ? answer + 7 : answer);
	else if (ret)
		fprintf(stderr, "gicvm: VM '%s' gave no answer to the snapshot\n", name);
	if (commit_parts(dir, !ret))
		return 1;
	if (!ret)
		printf("%s: %s", dir, answer);
	return ret;
}

int cmd_snapshot(int argc, char **argv)
{
	return ctl_main(argc, argv, "snapshot [--name NAME] [--stop] DIR", snapshot_fn);
}

int cmd_list(int argc, char **argv)
{
	return ctl_main(argc, argv, "list [--json]", NULL);
}

int cmd_stop(int argc, char **argv)
{
	return ctl_main(argc, argv, "stop [--name NAME] [--grace SECONDS]", stop_fn);
}

int cmd_pause(int argc, char **argv)
{
	return ctl_main(argc, argv, "pause [--name NAME]", pause_fn);
}

int cmd_resume(int argc, char **argv)
{
	return ctl_main(argc, argv, "resume [--name NAME]", resume_fn);
}

int cmd_debug(int argc, char **argv)
{
	return ctl_main(argc, argv, "debug --dump [--json] [--name NAME]", debug_fn);
}

int cmd_stat(int argc, char **argv)
{
	return ctl_main(argc, argv, "stat [--json] [--name NAME]", stat_fn);
}

int cmd_balloon(int argc, char **argv)
{
	return ctl_main(argc, argv, "balloon [--name NAME] [inflate|deflate MIB]", balloon_fn);
}

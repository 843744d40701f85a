// SPDX-License-Identifier: GPL-2.0-only
/*
 * --rootfs and -- COMMAND (see gicvm/guestcmd.h). The initramfs reaches the
 * guest as any initrd does, built here in memory once: /init (gicvm-init,
 * linked into gicvm), /dev/console, and /gicvm/spec.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gicvm/cpio.h"
#include "gicvm/device.h"
#include "gicvm/guestcmd.h"
#include "gicvm/kmods.h"
#include "gicvm/vm.h"

#define MAX_MOUNTS	8
#define DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct spec_buf {
	char *data;
	size_t len;
	bool failed;
};

static void record(struct spec_buf *b, const char *key, const char *value)
{
	size_t n = strlen(key) + 1 + strlen(value) + 1;
	char *d = b->failed ? NULL : realloc(b->data, b->len + n);

	if (!d) {
		b->failed = true;
		return;
	}
	b->data = d;
	sprintf(d + b->len, "%s=%s", key, value);
	b->len += n;
}

static void record_uint(struct spec_buf *b, const char *key, unsigned long v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lu", v);
	record(b, key, s);
}

/* @path's place in the guest, whose root is the host's @root; NULL if outside. */
static const char *inside(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (!strcmp(root, "/"))
		return path;
	if (strncmp(path, root, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path[n] ? path + n : "/";
}

static void record_identity(struct spec_buf *b)
{
	gid_t groups[64];
	int n = getgroups(ARRAY_SIZE(groups), groups);
	char list[64 * 12] = "";
	size_t used = 0;

	record_uint(b, "uid", getuid());
	record_uint(b, "gid", getgid());
	for (int i = 0; i < n; i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%u", i ? "," : "",
				 (unsigned int)groups[i]);
	record(b, "groups", list);
}

static void record_environment(struct spec_buf *b)
{
	static const char *const names[] = { "PATH", "HOME", "TERM" };
	char *item;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *v = getenv(names[i]);

		if (!v && !strcmp(names[i], "PATH"))
			v = DEFAULT_PATH;
		if (!v)
			continue;
		if (asprintf(&item, "%s=%s", names[i], v) < 0) {
			b->failed = true;
			return;
		}
		record(b, "env", item);
		free(item);
	}
}

/* The root share and the others at their places; -1 if there is no root. */
static int record_mounts(struct spec_buf *b, const struct vm_config *cfg, char *root,
			 size_t root_size)
{
	struct guest_mount m[MAX_MOUNTS];
	unsigned int n = devices_guest_mounts(cfg, m, MAX_MOUNTS);
	char real[PATH_MAX], at[PATH_MAX + 64];
	const char *place;
	int found = -1;

	for (unsigned int i = 0; i < n; i++) {
		if (!m[i].root)
			continue;
		if (!realpath(m[i].host_path, real) || strlen(real) >= root_size) {
			pr_err("--rootfs %s: %s", m[i].host_path, strerror(errno ? errno : ENAMETOOLONG));
			return -1;
		}
		strcpy(root, real);
		record(b, "root", m[i].tag);
		found = 0;
	}
	if (found)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		if (m[i].root || !m[i].host_path)
			continue;
		place = realpath(m[i].host_path, real) ? inside(root, real) : NULL;
		if (!place) {
			snprintf(at, sizeof(at), "/mnt/%s", m[i].tag);
			place = at;
		}
		record(b, "mount", m[i].tag);
		record(b, "at", place);
		if (m[i].readonly)
			record(b, "ro", "1");
	}
	return 0;
}

int guestcmd_spec(const struct vm_config *cfg, char **spec, size_t *len)
{
	struct spec_buf b = { 0 };
	char root[PATH_MAX], cwd[PATH_MAX];
	const char *place = NULL;

	if (record_mounts(&b, cfg, root, sizeof(root))) {
		free(b.data);
		return -1;
	}
	/* The command, or the console's shell without one, runs as the caller. */
	record_identity(&b);
	if (getcwd(cwd, sizeof(cwd)))
		place = inside(root, cwd);
	record(&b, "cwd", place ? place : "/");
	record_environment(&b);
	for (unsigned int i = 0; cfg->command && i < cfg->command_argc; i++)
		record(&b, "arg", cfg->command[i]);
	if (b.failed) {
		free(b.data);
		pr_err("out of memory");
		return -1;
	}
	*spec = b.data;
	*len = b.len;
	return 0;
}

/* The host directory of the root share (--rootfs), or NULL. */
static const char *root_share(const struct vm_config *cfg)
{
	struct guest_mount m[MAX_MOUNTS];
	unsigned int n = devices_guest_mounts(cfg, m, MAX_MOUNTS);

	for (unsigned int i = 0; i < n; i++)
		if (m[i].root)
			return m[i].host_path;
	return NULL;
}

bool guestcmd_wanted(const struct vm_config *cfg)
{
	return cfg->command || root_share(cfg);
}

int guestcmd_initramfs(const struct vm_config *cfg, const void *init, size_t init_len,
		       const char *release, void **data, size_t *len)
{
	struct cpio c = { 0 };
	const char *root = root_share(cfg);
	char *spec;
	size_t spec_len;

	*data = NULL;
	*len = 0;
	if (!root && !cfg->command)
		return 0;
	if (!root) {
		pr_err("a command runs in a root filesystem: add --rootfs DIR "
		       "(--rootfs / for the host's own files)");
		return -1;
	}
	if (cfg->initrd) {
		pr_err("--rootfs boots gicvm's own initramfs: drop -i %s", cfg->initrd);
		return -1;
	}
	if (guestcmd_spec(cfg, &spec, &spec_len))
		return -1;
	cpio_add(&c, "dev", S_IFDIR | 0755, NULL, 0);
	cpio_add_node(&c, "dev/console", S_IFCHR | 0600, 5, 1);
	cpio_add(&c, "gicvm", S_IFDIR | 0755, NULL, 0);
	cpio_add(&c, "gicvm/spec", S_IFREG | 0644, spec, spec_len);
	cpio_add(&c, "init", S_IFREG | 0755, init, init_len);
	free(spec);
	cpio_add(&c, KMOD_DIR, S_IFDIR | 0755, NULL, 0);
	if (release && kmods_add(&c, root, release) < 0) {
		free(c.data);
		return -1;
	}
	if (cpio_finish(&c)) {
		pr_err("out of memory");
		return -1;
	}
	*data = c.data;
	*len = c.len;
	return 0;
}

int guestcmd_exit_status(const struct vm_config *cfg, int reason, int command_status,
			 bool backend_failed)
{
	if (reason == VM_EXIT_PANIC || !cfg->command)
		return reason;
	if (backend_failed)
		return VM_EXIT_BACKEND;
	switch (reason) {
	case VM_EXIT_POWEROFF:
	case VM_EXIT_RESET:
		return command_status >= 0 ? command_status : VM_EXIT_COMMAND_LOST;
	case VM_EXIT_ERROR:
		return VM_EXIT_NO_COMMAND;
	}
	return reason;	/* --timeout, a signal */
}

size_t guestcmd_panic_start(const char *tail, size_t len)
{
	static const char *const marks[] = {
		"Internal error:", "Kernel panic", "Unable to handle kernel",
	};
	size_t start = len;

	for (size_t i = 0; i < ARRAY_SIZE(marks); i++) {
		const char *p = memmem(tail, len, marks[i], strlen(marks[i]));

		if (p && (size_t)(p - tail) < start)
			start = p - tail;
	}
	if (start == len)
		return 0;
	while (start && tail[start - 1] != '\n')
		start--;
	return start;
}

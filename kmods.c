// SPDX-License-Identifier: GPL-2.0-only
/*
 * The modules a --rootfs guest loads before it mounts its root (kmods.h).
 * modules.dep (depmod's, man modules.dep) names each module by its path
 * under /lib/modules/RELEASE, then what it needs:
 *
 *   kernel/fs/overlayfs/overlay.ko.xz:
 *   kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio.ko.xz
 *
 * A module built into the kernel has no line, and nothing is added for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gicvm/kmods.h"

/*
 * What gicvm-init needs to reach its root and ports (overlayfs, virtio-fs
 * over FUSE, the console, both transports), then the drivers of gicvm's
 * other devices, so a -d disk or -n NIC shows up as on the project kernel.
 */
static const char *const wanted[] = {
	"virtio_pci", "virtio_mmio", "virtio_console", "fuse", "virtiofs", "overlay",
	"virtio_blk", "virtio_net", "virtio_rng", "vmw_vsock_virtio_transport",
};

#define MAX_MODULES	64		/* the wanted ones with all they need */
#define MAX_DEPTH	16
#define MAX_DEP_FILE	(16 << 20)	/* a distribution's modules.dep is ~1 MiB */
#define MAX_MODULE	(32 << 20)
#define RELEASE_MARK	"Linux version "

int kernel_release(const u8 *image, size_t len, char *rel, size_t rel_len)
{
	const size_t mark = strlen(RELEASE_MARK);
	const u8 *p = memmem(image, len, RELEASE_MARK, mark);
	size_t n = 0;

	if (!p)
		return -1;
	p += mark;
	/* A release is a path component: printable, no slash, not "." or "..". */
	while (p + n < image + len && p[n] > ' ' && p[n] < 0x7f && p[n] != '/')
		n++;
	if (!n || n >= rel_len || (p + n < image + len && p[n] != ' ') ||
	    !strncmp((const char *)p, ".", n) || !strncmp((const char *)p, "..", n))
		return -1;
	memcpy(rel, p, n);
	rel[n] = 0;
	return 0;
}

struct dep_line {
	char *path;		/* relative to the module directory */
	char *deps;		/* space-separated paths, or "" */
};

struct kmods {
	struct cpio *c;
	char dir[4096];
	struct dep_line *lines;
	size_t nr_lines;
	const char *added[MAX_MODULES];
	unsigned int nr_added;
};

/* "kernel/fs/fuse/virtiofs.ko.xz" is module "virtiofs"; '-' and '_' are one. */
static bool is_module(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : path;
	for (size_t i = 0; i < n; i++) {
		bool dash_or_underscore = base[i] && strchr("-_", base[i]) && strchr("-_", name[i]);

		if (!base[i] || (base[i] != name[i] && !dash_or_underscore))
			return false;
	}
	return !strncmp(base + n, ".ko", 3);
}

/* Split modules.dep's text (kept, and cut up in place) into lines. */
static int parse_dep(struct kmods *k, char *text)
{
	size_t cap = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		if (k->nr_lines == cap) {
			struct dep_line *l;

			cap = cap ? 2 * cap : 1024;
			l = realloc(k->lines, cap * sizeof(*l));
			if (!l)
				return -1;
			k->lines = l;
		}
		*colon = 0;
		k->lines[k->nr_lines++] = (struct dep_line){
			.path = line, .deps = colon + 1 + strspn(colon + 1, " "),
		};
	}
	return 0;
}

static struct dep_line *find_path(struct kmods *k, const char *path, size_t len)
{
	for (size_t i = 0; i < k->nr_lines; i++)
		if (strlen(k->lines[i].path) == len && !strncmp(k->lines[i].path, path, len))
			return &k->lines[i];
	return NULL;
}

static int add_file(struct kmods *k, const char *path)
{
	const char *base = strrchr(path, '/');
	char file[8192], name[512];
	void *data;
	size_t len;
	int err;

	snprintf(file, sizeof(file), "%s/%s", k->dir, path);
	err = read_file(file, MAX_MODULE, &data, &len);
	if (err) {
		pr_err("--rootfs: cannot read the module %s: %s", file, strerror(-err));
		return -1;
	}
	snprintf(name, sizeof(name), KMOD_DIR "/%02u-%s", k->nr_added, base ? base + 1 : path);
	cpio_add(k->c, name, S_IFREG | 0644, data, len);
	free(data);
	k->added[k->nr_added++] = path;
	return 0;
}

/* @l's dependencies (each after its own), then @l: the order to load them in. */
static int add_with_deps(struct kmods *k, struct dep_line *l, unsigned int depth)
{
	const char *d = l->deps;

	for (unsigned int i = 0; i < k->nr_added; i++)
		if (k->added[i] == l->path)
			return 0;
	if (depth > MAX_DEPTH || k->nr_added == MAX_MODULES) {
		pr_err("--rootfs: %s/modules.dep: %s needs too many modules", k->dir, l->path);
		return -1;
	}
	while (*d) {
		size_t n = strcspn(d, " ");
		struct dep_line *dep = find_path(k, d, n);

		if (dep && add_with_deps(k, dep, depth + 1))
			return -1;
		d += n + strspn(d + n, " ");
	}
	for (unsigned int i = 0; i < k->nr_added; i++)	/* a cycle added it meanwhile */
		if (k->added[i] == l->path)
			return 0;
	return add_file(k, l->path);
}

/* @root's module directory for @release, if it has one. */
static bool find_dir(struct kmods *k, const char *root, const char *release)
{
	static const char *const under[] = { "lib/modules", "usr/lib/modules" };
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(under); i++) {
		snprintf(k->dir, sizeof(k->dir), "%s/%s/%s", strcmp(root, "/") ? root : "",
			 under[i], release);
		if (!stat(k->dir, &st) && S_ISDIR(st.st_mode))
			return true;
	}
	return false;
}

int kmods_add(struct cpio *c, const char *root, const char *release)
{
	struct kmods k = { .c = c };
	char path[4200];
	void *data;
	char *text = NULL;
	size_t len;
	int err = 0;

	if (!find_dir(&k, root, release))
		return 0;
	snprintf(path, sizeof(path), "%s/modules.dep", k.dir);
	err = read_file(path, MAX_DEP_FILE, &data, &len);
	if (err == -ENOENT) {
		pr_warn("--rootfs: %s has no modules.dep (run depmod %s): booting without its modules",
			k.dir, release);
		return 0;
	}
	if (err) {
		pr_err("--rootfs: cannot read %s: %s", path, strerror(-err));
		return -1;
	}
	text = strndup(data, len);
	free(data);
	if (!text || parse_dep(&k, text)) {
		pr_err("out of memory");
		err = -1;
	}
	for (size_t w = 0; !err && w < ARRAY_SIZE(wanted); w++)
		for (size_t i = 0; !err && i < k.nr_lines; i++)
			if (is_module(k.lines[i].path, wanted[w]))
				err = add_with_deps(&k, &k.lines[i], 0);
	free(k.lines);
	free(text);
	return err ? -1 : (int)k.nr_added;
}

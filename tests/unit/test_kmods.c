// SPDX-License-Identifier: GPL-2.0-only
/* --rootfs with a distribution kernel: its release, and its modules in load order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gicvm/cpio.h"
#include "gicvm/kmods.h"
#include "harness.h"

static void release_from_banner(void)
{
	static const char image[] = "\0\0junk Linux version 6.12.117+deb13-arm64 "
				    "(debian-kernel@lists.debian.org) #1 SMP\0";
	char rel[64];

	CHECK_EQ(kernel_release((const u8 *)image, sizeof(image), rel, sizeof(rel)), 0);
	CHECK(!strcmp(rel, "6.12.117+deb13-arm64"));
	/* Too long for the buffer, no banner, a path instead of a release. */
	CHECK_EQ(kernel_release((const u8 *)image, sizeof(image), rel, 8), -1);
	CHECK_EQ(kernel_release((const u8 *)"Linux 6.1", 9, rel, sizeof(rel)), -1);
	CHECK_EQ(kernel_release((const u8 *)"Linux version ../x ", 19, rel, sizeof(rel)), -1);
	CHECK_EQ(kernel_release((const u8 *)"Linux version .. ", 17, rel, sizeof(rel)), -1);
	CHECK_EQ(kernel_release((const u8 *)"Linux version 6.1\n", 18, rel, sizeof(rel)), -1);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f && fputs(text, f) >= 0 && !fclose(f));
}

/* The names under KMOD_DIR in @c, in archive order, space-separated. */
static void module_names(const struct cpio *c, char *out, size_t len)
{
	const char *p = (const char *)c->data, *end = p + c->len;
	const char *prefix = KMOD_DIR "/";

	out[0] = 0;
	while (p + 110 < end) {
		char hex[9];
		size_t namesize, filesize;

		memcpy(hex, p + 94, 8);
		hex[8] = 0;
		namesize = strtoul(hex, NULL, 16);
		memcpy(hex, p + 54, 8);
		filesize = strtoul(hex, NULL, 16);
		if (!strncmp(p + 110, prefix, strlen(prefix)) && filesize) {
			strncat(out, p + 110 + strlen(prefix), len - strlen(out) - 2);
			strcat(out, " ");
		}
		p += (110 + namesize + 3) & ~3UL;
		p += (filesize + 3) & ~3UL;
	}
}

static void modules_in_order(void)
{
	char root[] = "/tmp/gicvm-kmods-XXXXXX", dir[256], path[1200], names[512];
	struct cpio c = { 0 };
	static const char *const files[] = {
		"kernel/fs/overlayfs/overlay.ko.xz", "kernel/drivers/virtio/virtio_mmio.ko",
		"kernel/lib/a.ko", "kernel/lib/b.ko.zst", "kernel/drivers/block/virtio_blk.ko.xz",
		"kernel/drivers/other.ko", "kernel/drivers/virtio.ko",
	};

	CHECK(mkdtemp(root));
	/* No module directory for this release: nothing to add. */
	CHECK_EQ(kmods_add(&c, root, "6.1.0"), 0);
	snprintf(dir, sizeof(dir), "%s/usr/lib/modules/6.1.0", root);
	snprintf(path, sizeof(path), "mkdir -p %s/kernel/fs/overlayfs %s/kernel/drivers/virtio "
		 "%s/kernel/lib %s/kernel/drivers/block", dir, dir, dir, dir);
	CHECK_EQ(system(path), 0);
	/* A directory without modules.dep: a warning, nothing added. */
	CHECK_EQ(kmods_add(&c, root, "6.1.0"), 0);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		put(path, files[i]);
	}
	/*
	 * virtio_mmio needs a, which needs b; virtio_blk needs b too; the
	 * console and virtio-fs are built in (no line); other.ko is unwanted.
	 */
	snprintf(path, sizeof(path), "%s/modules.dep", dir);
	/* virtio.ko is not virtio_blk, nor virtio_mmio: a name must match whole. */
	put(path, "kernel/drivers/other.ko:\n"
		  "kernel/drivers/virtio.ko:\n"
		  "kernel/fs/overlayfs/overlay.ko.xz:\n"
		  "kernel/lib/b.ko.zst:\n"
		  "kernel/drivers/block/virtio_blk.ko.xz: kernel/lib/b.ko.zst\n"
		  "kernel/drivers/virtio/virtio_mmio.ko: kernel/lib/a.ko kernel/lib/b.ko.zst\n"
		  "kernel/lib/a.ko: kernel/lib/b.ko.zst\n"
		  "kernel/lib/missing.ko:");
	CHECK_EQ(kmods_add(&c, root, "6.1.0"), 5);
	CHECK_EQ(cpio_finish(&c), 0);
	module_names(&c, names, sizeof(names));
	CHECK(!strcmp(names, "00-b.ko.zst 01-a.ko 02-virtio_mmio.ko 03-overlay.ko.xz "
			     "04-virtio_blk.ko.xz "));
	free(c.data);

	/* A module modules.dep names but the directory lacks: one error. */
	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/kernel/lib/a.ko", dir);
	CHECK_EQ(unlink(path), 0);
	CHECK_EQ(kmods_add(&c, root, "6.1.0"), -1);
	free(c.data);
	snprintf(path, sizeof(path), "rm -rf %s", root);
	CHECK_EQ(system(path), 0);
}

UNIT_TESTS(TEST(release_from_banner), TEST(modules_in_order));

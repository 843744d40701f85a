/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-fs's configuration, and the virtiofsd gicvm starts for a share. */
#ifndef GICVM_VIRTIO_FS_H
#define GICVM_VIRTIO_FS_H

#include <sys/un.h>

#include "gicvm/device.h"
#include "gicvm/util.h"

#define FS_MAX_SHARES	4
#define FS_TAG_MAX	36	/* virtio_fs_config.tag, not NUL-terminated there */
#define FS_DEFAULT_TAG	"hostfs"
#define FS_ROOT_TAG	"gicvm-root"	/* --rootfs: what gicvm's guest init mounts */

/* --fs HOSTDIR[,tag=TAG][,ro] or --fs-socket PATH[,tag=TAG] */
struct fs_share {
	char dir[4096];		/* --fs: the host directory; empty with --fs-socket */
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* --fs-socket */
	char tag[FS_TAG_MAX + 1];
	bool readonly;
	bool root;		/* --rootfs: the guest's root, under an overlay */
};

struct fs_config {
	struct fs_share shares[FS_MAX_SHARES];
	unsigned int nr_shares;
};

extern const struct device_type virtio_fs_device;

/*
 * Start virtiofsd for @share (the @index-th) on a listening socket of its
 * own; the socket's path, in a directory only the caller can enter, into
 * @path. 0, or -1 said why (virtiofsd missing, say).
 */
int virtiofsd_start(const struct fs_share *share, unsigned int index, char *path, size_t len);
/* gicvm is connected: the socket's name and directory can go. */
void virtiofsd_started(const char *path);

#endif

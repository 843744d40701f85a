// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-fs (VIRTIO 1.x, 5.11) as a vhost-user frontend: a host directory
 * shared with the guest by a virtiofsd, which serves every queue (the
 * high-priority one and the request queue) straight from guest RAM, kicked
 * by their ioeventfds and signalling their irqfds. gicvm keeps the config
 * space (the tag the guest mounts, `mount -t virtiofs TAG DIR`).
 *
 *   --fs HOSTDIR[,tag=TAG][,ro]  gicvm starts Debian's virtiofsd for HOSTDIR
 *                                (trixie's, 1.13: see virtiofsd.c) and it
 *                                ends with gicvm, as its connection closes
 *   --fs-socket PATH[,tag=TAG]   a vhost-user-fs backend the user started
 *
 * A backend that dies: gicvm says so once and keeps running; the device
 * needs a reset, and gicvm takes its queues back and answers every request
 * the guest makes from then on with EIO. Requests the backend had taken
 * when it died stay unanswered (what it did with them is unknown; the
 * guest's process waiting on one can still be killed).
 */
#include <errno.h>
#include <linux/fuse.h>
#include <linux/virtio_fs.h>
#include <linux/virtio_ids.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "fs.h"
#include "vhost_user.h"
#include "virtio.h"

#define FS_QUEUE_SIZE	1024
#define FS_QUEUES	2	/* high priority, one request queue */

struct virtio_fs {
	struct virtio_device vdev;
	struct virtio_ops ops;
	struct vhost_user vu;
	struct ioloop_entry hangup;	/* the backend's socket: readable only at its end */
	const struct fs_share *share;
	bool lost;			/* the backend is gone: gicvm answers, with EIO */
	struct vq_req req;
	char name[16 + FS_TAG_MAX];	/* "virtio-fs TAG", for messages */
};

static int fs_driver_ok(struct virtio_device *vdev)
{
	struct virtio_fs *fs = vdev->priv;
	struct vq_handoff h;

	if (vhost_user_set_memory(&fs->vu, vdev->vm, vdev->features))
		return -1;
	for (unsigned int q = 0; q < FS_QUEUES; q++) {
		if (!vdev->vqs[q].ready)
			continue;
		if (virtio_backend_hand_over(vdev, q, &h) || vhost_user_start_ring(&fs->vu, q, &h))
			return -1;
	}
	return 0;
}

static void fs_reset(struct virtio_device *vdev)
{
	struct virtio_fs *fs = vdev->priv;

	for (unsigned int q = 0; q < FS_QUEUES; q++) {
		u16 next;

		vhost_user_stop_ring(&fs->vu, q, &next);
		virtio_backend_take_back(vdev, q, next);
	}
}

static void fs_call_changed(struct virtio_device *vdev, unsigned int q, int fd)
{
	struct virtio_fs *fs = vdev->priv;

	if (vhost_user_set_call(&fs->vu, q, fd))
		pr_warn("%s: cannot move queue %u's interrupt: %s", fs->name, q, strerror(errno));
}

/*
 * Every queue is the backend's while it lives: a kick gicvm sees comes
 * before DRIVER_OK. Once it is gone, each request fails with EIO (a
 * FORGET, which has no reply, is just returned).
 */
static void fs_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_fs *fs = vdev->priv;

	while (fs->lost && virtio_pop(vdev, q, &fs->req)) {
		struct fuse_in_header in = { 0 };
		struct fuse_out_header out = { .len = htole32(sizeof(out)),
					       .error = (int32_t)htole32((u32)-EIO) };
		u32 written = 0;

		iov_to_buf(fs->req.iov, fs->req.n_out, 0, &in, sizeof(in));
		out.unique = in.unique;
		if (fs->req.in_len >= sizeof(out))
			written = iov_from_buf(fs->req.iov + fs->req.n_out, fs->req.n_in, 0, &out,
					       sizeof(out));
		virtio_complete(vdev, q, fs->req.head, written);
	}
}

static const struct virtio_ops fs_ops = {
	.name = "virtio-fs",
	.device_id = VIRTIO_ID_FS,
	.pci_class = 0x018000,	/* mass storage, other */
	.num_queues = FS_QUEUES,
	.queue_size = FS_QUEUE_SIZE,
	.config_size = sizeof(struct virtio_fs_config),
	.notify = fs_notify,
	.reset = fs_reset,
	.driver_ok = fs_driver_ok,
	.call_changed = fs_call_changed,
};

/* The backend's socket became readable: it says nothing unasked, so it is gone. */
static void backend_hung_up(void *opaque)
{
	struct virtio_fs *fs = opaque;
	char byte;
	ssize_t n = recv(fs->vu.fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	/*
	 * Data, or none left: a reply a vCPU thread is reading (it holds the
	 * device's lock while it waits), or a stray message its next request
	 * sees. Only the end of the stream is the backend's end.
	 */
	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;
	ioloop_del(&fs->vdev.vm->loop, &fs->hangup);
	pthread_mutex_lock(&fs->vdev.lock);
	vhost_user_lost(&fs->vu);
	fs->lost = true;
	fs->vdev.vm->backend_failed = true;	/* a guest command's status says so */
	/*
	 * gicvm serves the queues from here on, from the first request the
	 * backend did not answer: those it held when it died fail with EIO
	 * too, instead of leaving their callers waiting for ever. (Exact for
	 * a backend that answers in order, as the virtiofsd gicvm starts does;
	 * one that did not may see a request answered twice, which the guest's
	 * driver takes as a broken ring.)
	 */
	for (unsigned int q = 0; q < FS_QUEUES; q++) {
		struct virtqueue *vq = &fs->vdev.vqs[q];

		if (!(fs->vdev.handed_over & (1U << q)))
			continue;
		virtio_backend_take_back(&fs->vdev, q, le16toh(vq->used->idx));
		fs_notify(&fs->vdev, q);	/* asks for the guest's next kick */
		/*
		 * The backend may have died between its last used entry and
		 * the signal for it, or that signal may still wait in the
		 * relay, which forwards nothing for a queue taken back: the
		 * guest would wait for that answer for ever.
		 */
		virtio_signal_used(&fs->vdev, q);
	}
	virtio_needs_reset(&fs->vdev);
	pthread_mutex_unlock(&fs->vdev.lock);
}

static int add_share(struct vm *vm, const struct fs_share *share, unsigned int index)
{
	struct virtio_fs *fs = calloc(1, sizeof(*fs));
	struct virtio_fs_config c = { .num_request_queues = htole32(FS_QUEUES - 1) };
	char path[108];

	if (!fs)
		return -1;
	fs->share = share;
	snprintf(fs->name, sizeof(fs->name), "virtio-fs %s", share->tag);
	if (share->socket[0])
		snprintf(path, sizeof(path), "%s", share->socket);
	else if (virtiofsd_start(share, index, path, sizeof(path)))
		return -1;
	if (vhost_user_connect(&fs->vu, fs->name, path))
		return -1;
	if (!share->socket[0])
		virtiofsd_started(path);
	fs->ops = fs_ops;
	fs->ops.features = fs->vu.features & ((1ULL << VIRTIO_RING_F_EVENT_IDX) |
					      (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
	memcpy(c.tag, share->tag, strlen(share->tag));
	memcpy(fs->vdev.config, &c, sizeof(c));
	fs->vdev.ops = &fs->ops;
	fs->vdev.priv = fs;
	fs->hangup = (struct ioloop_entry){ .fd = fs->vu.fd, .fn = backend_hung_up, .opaque = fs };
	pr_info("%s: %s%s", fs->name, share->socket[0] ? share->socket : share->dir,
		share->readonly ? ", read-only" : "");
	if (virtio_device_add(vm, &fs->vdev) || virtio_backend_init(&fs->vdev) ||
	    ioloop_add(&vm->loop, &fs->hangup))
		return -1;
	return 0;
}

static int fs_create(struct vm *vm)
{
	const struct fs_config *c = device_config(vm->cfg, &virtio_fs_device);

	for (unsigned int i = 0; i < c->nr_shares; i++)
		if (add_share(vm, &c->shares[i], i))
			return -1;
	return 0;
}

static bool fs_shares_ram(const void *config)
{
	return ((const struct fs_config *)config)->nr_shares > 0;
}

/* ",tag=TAG" and ",ro" (if @ro_allowed) after the path; -1 for anything else. */
static int parse_share_options(const char *opt, struct fs_share *share, bool ro_allowed)
{
	while (*opt == ',') {
		size_t len = strcspn(++opt, ",");

		if (len > 4 && len - 4 <= FS_TAG_MAX && !strncmp(opt, "tag=", 4)) {
			memcpy(share->tag, opt + 4, len - 4);
			share->tag[len - 4] = 0;
		} else if (ro_allowed && len == 2 && !strncmp(opt, "ro", 2)) {
			share->readonly = true;
		} else {
			return -1;
		}
		opt += len;
	}
	return 0;
}

/* One more share from @spec: its path up to the first comma, then its options. */
static int add_share_option(struct fs_config *c, const char *spec, bool is_socket)
{
	struct fs_share *share = &c->shares[c->nr_shares];
	size_t path_len = strcspn(spec, ",");
	char *dst = is_socket ? share->socket : share->dir;
	size_t size = is_socket ? sizeof(share->socket) : sizeof(share->dir);

	if (c->nr_shares == FS_MAX_SHARES || !path_len || path_len >= size)
		return -1;
	memset(share, 0, sizeof(*share));
	memcpy(dst, spec, path_len);
	strcpy(share->tag, FS_DEFAULT_TAG);
	if (parse_share_options(spec + path_len, share, !is_socket))
		return -1;
	for (unsigned int i = 0; i < c->nr_shares; i++)
		if (!strcmp(c->shares[i].tag, share->tag))
			return -1;	/* the guest mounts by tag: one each */
	c->nr_shares++;
	return 0;
}

static int fs_option_dir(void *config, const char *arg)
{
	return add_share_option(config, arg, false);
}

/* --rootfs HOSTDIR: a read-only share gicvm's guest init makes the root. */
static int fs_option_rootfs(void *config, const char *arg)
{
	struct fs_config *c = config;

	for (unsigned int i = 0; i < c->nr_shares; i++)
		if (c->shares[i].root)
			return -1;
	if (strchr(arg, ',') || add_share_option(c, arg, false))
		return -1;
	c->shares[c->nr_shares - 1].root = true;
	c->shares[c->nr_shares - 1].readonly = true;
	strcpy(c->shares[c->nr_shares - 1].tag, FS_ROOT_TAG);
	return 0;
}

/*
 * What gicvm's guest init mounts: the root share, and with it every other
 * share with a host directory, at that directory's place.
 */
static unsigned int fs_guest_mounts(const void *config, struct guest_mount *out, unsigned int max)
{
	const struct fs_config *c = config;
	unsigned int n = 0;

	for (unsigned int i = 0; i < c->nr_shares && n < max; i++)
		out[n++] = (struct guest_mount){
			.tag = c->shares[i].tag,
			.host_path = c->shares[i].dir[0] ? c->shares[i].dir : NULL,
			.root = c->shares[i].root,
			.readonly = c->shares[i].readonly,
		};
	return n;
}

static int fs_option_socket(void *config, const char *arg)
{
	return add_share_option(config, arg, true);
}

/* kvmtool's --9p: gicvm serves no 9p; the error line points at --fs. */
static int fs_option_9p(void *config, const char *arg)
{
	return -1;
}

static const struct device_option fs_options[] = {
	{ "fs", 0, true, "HOSTDIR[,tag=TAG][,ro] (at most 4 shares, tags apart)",
	  "      --fs HOSTDIR[,tag=TAG][,ro]\n"
	  "                        share HOSTDIR through virtio-fs (gicvm starts\n"
	  "                        virtiofsd); the guest mounts it with\n"
	  "                        'mount -t virtiofs TAG DIR' (TAG: hostfs)\n",
	  fs_option_dir },
	{ "rootfs", 0, true, "a host directory (at most 4 shares in all)",
	  "      --rootfs HOSTDIR  boot into HOSTDIR (/ for the host's own files), shared\n"
	  "                        read-only under a tmpfs overlay; other --fs shares\n"
	  "                        are mounted at their host paths (see -- COMMAND)\n",
	  fs_option_rootfs },
	{ "fs-socket", 0, true, "PATH[,tag=TAG] (at most 4 shares, tags apart)",
	  "      --fs-socket PATH[,tag=TAG]\n"
	  "                        virtio-fs served by the vhost-user-fs backend\n"
	  "                        (a virtiofsd) listening at PATH\n",
	  fs_option_socket },
	{ "9p", 0, true, "nothing: gicvm has no 9p server, share the directory with --fs DIR,tag=TAG",
	  "      --9p              not supported: use --fs HOSTDIR,tag=TAG\n",
	  fs_option_9p },
	{ NULL },
};

const struct device_type virtio_fs_device = {
	.name = "virtio-fs",
	.create = fs_create,
	.options = fs_options,
	.config_size = sizeof(struct fs_config),
	.shares_ram = fs_shares_ram,
	.guest_mounts = fs_guest_mounts,
};

// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk on a raw image: -d PATH[,ro][,direct]. Reads, writes and
 * flushes are asynchronous through libaio, straight between the image and
 * guest RAM, many in flight; completions arrive on an eventfd in the I/O
 * loop. A FLUSH completes only once fdatasync has. What io_submit refuses
 * is done at once, synchronously.
 */
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <linux/fs.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blk_req.h"
#include "gicvm/device.h"
#include "gicvm/state.h"
#include "gicvm/vm.h"
#include "blk.h"
#include "virtio.h"

static void finish(struct virtio_blk *blk, struct blk_slot *s, u8 status)
{
	*s->req.status = status;
	virtio_complete(&blk->vdev, s->queue, s->head, status == VIRTIO_BLK_S_OK ? s->written : 1);
	s->busy = false;
}

static struct blk_slot *free_slot(struct virtio_blk *blk)
{
	for (unsigned int i = 0; i < BLK_QUEUE_SIZE; i++) {
		if (!blk->slots[i].busy)
			return &blk->slots[i];
	}
	return NULL;
}

/* DISCARD and WRITE_ZEROES: one segment, done at once with fallocate. */
static u8 punch(struct virtio_blk *blk, struct blk_req *r)
{
	struct virtio_blk_discard_write_zeroes seg;
	int mode = FALLOC_FL_KEEP_SIZE;
	u64 sector;
	u32 n;

	if (blk->cfg->readonly || !blk->can_punch)
		return VIRTIO_BLK_S_IOERR;
	if (r->data_len != sizeof(seg) || iov_to_buf(r->data, r->n_data, 0, &seg, sizeof(seg)) != sizeof(seg))
		return VIRTIO_BLK_S_IOERR;
	sector = le64toh(seg.sector);
	n = le32toh(seg.num_sectors);
	if (sector > blk->capacity || n > blk->capacity - sector)
		return VIRTIO_BLK_S_IOERR;
	/* A hole reads back as zeroes: both commands may punch one. */
	mode |= (r->type == VIRTIO_BLK_T_DISCARD ||
		 (le32toh(seg.flags) & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)) ?
		FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE;
	if (fallocate(blk->fd, mode, sector * BLK_SECTOR, (u64)n * BLK_SECTOR))
		return VIRTIO_BLK_S_IOERR;
	return VIRTIO_BLK_S_OK;
}

/* Prepare @s's iocb; returns a status to finish with at once, or -1 to submit. */
static int prepare(struct virtio_blk *blk, struct blk_slot *s)
{
	struct blk_req *r = &s->req;
	struct iocb *io = &s->iocb;
	u64 off = r->sector * BLK_SECTOR;

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		io_prep_preadv(io, blk->fd, r->data, r->n_data, off);
		s->written = r->data_len + 1;
		break;
	case VIRTIO_BLK_T_OUT:
		if (blk->cfg->readonly)
			return VIRTIO_BLK_S_IOERR;
		io_prep_pwritev(io, blk->fd, r->data, r->n_data, off);
		s->written = 1;
		break;
	case VIRTIO_BLK_T_FLUSH:
		io_prep_fdsync(io, blk->fd);
		s->written = 1;
		break;
	case VIRTIO_BLK_T_GET_ID:
		s->written = iov_from_buf(r->data, r->n_data, 0, blk->id, sizeof(blk->id)) + 1;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		s->written = 1;
		return punch(blk, r);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
	io->data = s;
	io_set_eventfd(io, blk->done.fd);
	return -1;
}

/*
 * A request the kernel would not take (io_submit fails: EAGAIN when its
 * AIO resources run short under load) is done here, synchronously: a
 * transient refusal is no I/O error, and the guest must not see one.
 */
static u8 do_now(struct virtio_blk *blk, struct blk_slot *s)
{
	struct blk_req *r = &s->req;
	off_t off = r->sector * BLK_SECTOR;
	ssize_t n;

	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		n = preadv(blk->fd, r->data, r->n_data, off);
		break;
	case VIRTIO_BLK_T_OUT:
		n = pwritev(blk->fd, r->data, r->n_data, off);
		break;
	default:	/* FLUSH */
		return fdatasync(blk->fd) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	}
	return n == (ssize_t)r->data_len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

static void submit(struct virtio_blk *blk, struct iocb **ios, int n)
{
	while (n > 0) {
		int done = io_submit(blk->aio, n, ios);

		if (done > 0) {
			blk->inflight += done;
			ios += done;
			n -= done;
			continue;
		}
		finish(blk, ios[0]->data, do_now(blk, ios[0]->data));
		ios++;
		n--;
	}
}

static void blk_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_blk *blk = vdev->priv;
	struct iocb *batch[BLK_QUEUE_SIZE];
	int n = 0;

	for (;;) {
		struct blk_slot *s = free_slot(blk);
		enum blk_parse p;
		int status;

		/* No slot: the queue is as deep as its size; completions will pop more. */
		if (!s || !virtio_pop(vdev, q, &blk->vq_req))
			break;
		s->busy = true;
		s->head = blk->vq_req.head;
		s->queue = q;
		p = blk_parse(&blk->vq_req, blk->capacity, &s->req);
		if (p == BLK_PARSE_DROP) {
			atomic_fetch_add(&vdev->violations, 1);
			virtio_complete(vdev, q, s->head, 0);
			s->busy = false;
			continue;
		}
		status = p == BLK_PARSE_IOERR ? VIRTIO_BLK_S_IOERR : prepare(blk, s);
		if (status >= 0)
			finish(blk, s, status);
		else
			batch[n++] = &s->iocb;
	}
	submit(blk, batch, n);
}

static void reap(struct virtio_blk *blk, struct io_event *ev, int n)
{
	for (int i = 0; i < n; i++) {
		struct blk_slot *s = ev[i].data;
		long res = (long)ev[i].res;
		bool ok = s->req.type == VIRTIO_BLK_T_FLUSH ? res == 0 : res == (long)s->req.data_len;

		blk->inflight--;
		finish(blk, s, ok ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR);
	}
}

/* The completion eventfd fired: hand finished requests back, take new ones. */
static void blk_done(void *opaque)
{
	struct virtio_blk *blk = opaque;
	struct io_event ev[BLK_QUEUE_SIZE];
	struct timespec zero = { 0, 0 };
	u64 count;
	int n;

	if (read(blk->done.fd, &count, sizeof(count)) < 0)
		return;
	pthread_mutex_lock(&blk->vdev.lock);
	while ((n = io_getevents(blk->aio, 0, BLK_QUEUE_SIZE, ev, &zero)) > 0)
		reap(blk, ev, n);
	/* Slots were freed: requests that waited for one can go now. */
	for (unsigned int q = 0; q < blk->vdev.num_queues; q++)
		if (blk->vdev.vqs[q].ready)
			blk_notify(&blk->vdev, q);
	pthread_mutex_unlock(&blk->vdev.lock);
}

/* Driver reset: wait for what is in flight, answer nothing. */
static void blk_reset(struct virtio_device *vdev)
{
	struct virtio_blk *blk = vdev->priv;
	struct io_event ev[BLK_QUEUE_SIZE];

	while (blk->inflight) {
		int n = io_getevents(blk->aio, 1, BLK_QUEUE_SIZE, ev, NULL);

		if (n < 0 && n != -EINTR)
			break;
		blk->inflight -= n > 0 ? n : 0;
	}
	for (unsigned int i = 0; i < BLK_QUEUE_SIZE; i++)
		blk->slots[i].busy = false;
}

/* Snapshots: every request in flight completed, as the guest will see it. */
static void blk_drain(struct virtio_device *vdev)
{
	struct virtio_blk *blk = vdev->priv;
	struct io_event ev[BLK_QUEUE_SIZE];

	while (blk->inflight) {
		int n = io_getevents(blk->aio, 1, BLK_QUEUE_SIZE, ev, NULL);

		if (n < 0 && n != -EINTR) {
			pr_warn("virtio-blk: waiting for requests in flight: %s", strerror(-n));
			break;
		}
		if (n > 0)
			reap(blk, ev, n);
	}
}

/*
 * Which file the disk was, and when it was last written: a restore onto
 * the same path must find that file as it was opened unchanged (a VM
 * that ran on after its snapshot, or an earlier clone, wrote it since).
 * Another path given with the restore (a copy made at the snapshot)
 * needs only the size.
 */
static struct disk_identity disk_identity(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return (struct disk_identity){ 0 };
	return (struct disk_identity){
		st.st_dev, st.st_ino, st.st_mtim.tv_sec * 1000000000ULL + st.st_mtim.tv_nsec,
	};
}

static bool same_disk(const struct disk_identity *a, const struct disk_identity *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->mtime_ns == b->mtime_ns;
}

static int blk_save(struct virtio_device *vdev, struct state *s)
{
	struct virtio_blk *blk = vdev->priv;
	struct disk_identity id;

	id = disk_identity(blk->fd);	/* after the drain: every write has moved mtime */
	state_put_tag(s, "BLK ");
	state_put(s, blk->capacity, 8);
	state_put(s, strlen(blk->cfg->path), 2);
	state_put_bytes(s, blk->cfg->path, strlen(blk->cfg->path));
	state_put(s, id.dev, 8);
	state_put(s, id.ino, 8);
	state_put(s, id.mtime_ns, 8);
	return state_ok(s) ? 0 : -1;
}

static int blk_restore(struct virtio_device *vdev, struct state *s)
{
	struct virtio_blk *blk = vdev->priv;
	struct disk_identity was, now = disk_identity(blk->fd);
	char path[sizeof(blk->cfg->path)];
	u64 saved;
	u16 len;

	state_expect_tag(s, "BLK ");
	saved = state_get(s, 8);
	len = state_get_max(s, 2, sizeof(path) - 1);
	state_get_bytes(s, path, state_ok(s) ? len : 0);
	path[state_ok(s) ? len : 0] = 0;
	was.dev = state_get(s, 8);
	was.ino = state_get(s, 8);
	was.mtime_ns = state_get(s, 8);
	if (!state_ok(s))
		return -1;
	if (saved != blk->capacity) {
		pr_err("virtio-blk: disk %s has %llu sectors, the snapshot's had %llu",
		       blk->cfg->path, (unsigned long long)blk->capacity,
		       (unsigned long long)saved);
		return -1;
	}
	/* As this gicvm opened it, or (restored in place) as it is now. */
	if (!strcmp(path, blk->cfg->path) && !same_disk(&was, &blk->opened) &&
	    !same_disk(&was, &now)) {
		pr_err("virtio-blk: disk %s changed since the snapshot: give a copy made then "
		       "with -d", blk->cfg->path);
		return -1;
	}
	return 0;
}

static const struct virtio_ops blk_ops = {
	.name = "virtio-blk",
	.device_id = VIRTIO_ID_BLOCK,
	.pci_class = 0x018000,	/* mass storage, other */
	.num_queues = 1,
	.queue_size = BLK_QUEUE_SIZE,
	.config_size = sizeof(struct virtio_blk_config),
	.notify = blk_notify,
	.reset = blk_reset,
	.drain = blk_drain,
	.save = blk_save,
	.restore = blk_restore,
};

static u64 image_size(int fd)
{
	struct stat st;
	u64 size = 0;

	if (fstat(fd, &st))
		return 0;
	if (S_ISBLK(st.st_mode) && !ioctl(fd, BLKGETSIZE64, &size))
		return size;
	return S_ISREG(st.st_mode) ? (u64)st.st_size : 0;
}

static void fill_config(struct virtio_blk *blk)
{
	struct virtio_blk_config c = { 0 };

	c.capacity = htole64(blk->capacity);
	c.seg_max = htole32(BLK_SEG_MAX);
	c.blk_size = htole32(BLK_SECTOR);
	c.num_queues = htole16(blk->vdev.num_queues);
	c.max_discard_sectors = c.max_write_zeroes_sectors = htole32(UINT32_MAX >> 9);
	c.max_discard_seg = c.max_write_zeroes_seg = htole32(1);
	c.discard_sector_alignment = htole32(8);
	c.write_zeroes_may_unmap = 1;
	memcpy(blk->vdev.config, &c, sizeof(c));
}

static int open_disk(struct virtio_blk *blk, unsigned int index)
{
	const struct disk_config *d = blk->cfg;
	int flags = (d->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (d->direct ? O_DIRECT : 0);
	const char *base = strrchr(d->path, '/') ? strrchr(d->path, '/') + 1 : d->path;
	char serial[VIRTIO_BLK_ID_BYTES + 16] = { 0 };
	int n;

	blk->fd = open(d->path, flags);
	if (blk->fd < 0) {
		pr_err("cannot open disk %s: %s", d->path, strerror(errno));
		return -1;
	}
	blk->opened = disk_identity(blk->fd);	/* before the probe below moves mtime */
	blk->capacity = image_size(blk->fd) / BLK_SECTOR;
	if (!blk->capacity) {
		pr_err("disk %s is empty or not a file or block device", d->path);
		return -1;
	}
	/* Punching a hole past the end is a no-op exactly where holes work. */
	blk->can_punch = !d->readonly &&
		!fallocate(blk->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			   blk->capacity * BLK_SECTOR, BLK_SECTOR);
	/* The serial: 20 bytes at most (not NUL-terminated then); longer names are cut. */
	n = snprintf(serial, sizeof(serial), "gicvm%u-", index);
	memcpy(serial + n, base, MIN(strlen(base), sizeof(serial) - n));
	memcpy(blk->id, serial, sizeof(blk->id));
	return 0;
}

static struct virtio_ops ops_for(const struct virtio_blk *blk)
{
	struct virtio_ops ops = blk_ops;

	ops.features = (1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_BLK_SIZE) |
		       (1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_MQ);
	if (blk->cfg->readonly)
		ops.features |= 1ULL << VIRTIO_BLK_F_RO;
	if (blk->can_punch)
		ops.features |= (1ULL << VIRTIO_BLK_F_DISCARD) | (1ULL << VIRTIO_BLK_F_WRITE_ZEROES);
	return ops;
}

/* See blk.h. */
void blk_layout(struct virtio_blk *blk, struct virtio_ops *ops, unsigned int nr_queues)
{
	*ops = ops_for(blk);
	blk->vdev.ops = ops;
	blk->vdev.priv = blk;
	blk->vdev.num_queues = nr_queues;
	fill_config(blk);
}

/* See blk.h. */
int blk_setup(struct virtio_blk *blk, struct virtio_ops *ops,
	      const struct disk_config *cfg, unsigned int index, unsigned int nr_queues)
{
	blk->cfg = cfg;
	if (open_disk(blk, index))
		return -1;
	if (io_setup(BLK_QUEUE_SIZE, &blk->aio)) {
		pr_err("disk %s: io_setup failed (aio-max-nr?)", blk->cfg->path);
		return -1;
	}
	blk->done.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	blk->done.fn = blk_done;
	blk->done.opaque = blk;
	if (blk->done.fd < 0)
		return -1;
	blk_layout(blk, ops, nr_queues);
	return 0;
}

/* "PATH[,ro][,direct]" */
static int parse_disk(const char *spec, struct disk_config *disk)
{
	size_t path_len = strcspn(spec, ",");
	const char *opt = spec + path_len;

	memset(disk, 0, sizeof(*disk));
	if (!path_len || path_len >= sizeof(disk->path))
		return -1;
	memcpy(disk->path, spec, path_len);
	/* PATH up to the first comma, then options. */
	while (*opt == ',') {
		size_t len = strcspn(++opt, ",");

		if (len == 2 && !strncmp(opt, "ro", 2))
			disk->readonly = true;
		else if (len == 6 && !strncmp(opt, "direct", 6))
			disk->direct = true;
		else
			return -1;
		opt += len;
	}
	return 0;
}

/* -d: one more disk. */
static int disk_option(void *config, const char *arg)
{
	struct blk_config *c = config;

	if (c->nr_disks == BLK_MAX_DISKS || parse_disk(arg, &c->disks[c->nr_disks]))
		return -1;
	c->nr_disks++;
	return 0;
}

static int add_disk(struct vm *vm, const struct disk_config *disk, unsigned int index)
{
	struct virtio_blk *blk = calloc(1, sizeof(*blk));
	struct virtio_ops *ops = malloc(sizeof(*ops));

	if (!blk || !ops)
		return -1;
	/* On PCI a queue per vCPU, each with its own MSI-X vector (and CPU). */
	if (blk_setup(blk, ops, disk, index,
		      virtio_transport_is_pci(vm) ? MIN(vm->nr_cpus, BLK_MAX_QUEUES) : 1) ||
	    ioloop_add(&vm->loop, &blk->done))
		return -1;
	pr_info("disk %u: %s, %llu sectors, %u queue(s)%s%s%s", index, blk->cfg->path,
		(unsigned long long)blk->capacity, blk->vdev.num_queues,
		blk->cfg->readonly ? ", read-only" : "",
		blk->cfg->direct ? ", O_DIRECT" : "", blk->can_punch ? ", discard" : "");
	return virtio_device_add(vm, &blk->vdev);
}

static int blk_create(struct vm *vm)
{
	const struct blk_config *c = device_config(vm->cfg, &virtio_blk_device);

	for (unsigned int i = 0; i < c->nr_disks; i++) {
		if (add_disk(vm, &c->disks[i], i))
			return -1;
	}
	return 0;
}

static const struct device_option blk_options[] = {
	{ "disk", 'd', true, "PATH[,ro][,direct] (at most 8 disks)",
	  "  -d, --disk PATH[,ro][,direct]\n"
	  "                        a virtio-blk disk backed by a raw image or block\n"
	  "                        device (up to 8); ro: read-only, direct: O_DIRECT\n",
	  disk_option },
	{ NULL },
};

const struct device_type virtio_blk_device = {
	.name = "virtio-blk",
	.create = blk_create,
	.options = blk_options,
	.config_size = sizeof(struct blk_config),
};

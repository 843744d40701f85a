/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-blk's state: private to virtio/blk.c, shared only with its fuzz
 * target (tests/fuzz), which drives a device it set up on its own image.
 */
#ifndef GICVM_VIRTIO_BLK_H
#define GICVM_VIRTIO_BLK_H

#include <libaio.h>
#include <linux/virtio_blk.h>

#include "blk_req.h"
#include "gicvm/device.h"
#include "virtio.h"

#define BLK_QUEUE_SIZE	128
#define BLK_MAX_DISKS	8

/* -d PATH[,ro][,direct] */
struct disk_config {
	char path[4096];
	bool readonly;
	bool direct;		/* O_DIRECT: bypass the host page cache */
};

/* What the -d options asked for, in order. */
struct blk_config {
	struct disk_config disks[BLK_MAX_DISKS];
	unsigned int nr_disks;
};

extern const struct device_type virtio_blk_device;

#define BLK_MAX_QUEUES	16

struct blk_slot {
	struct iocb iocb;
	struct blk_req req;
	u16 head;
	u16 queue;		/* the virtqueue it came from */
	u32 written;		/* bytes returned to the guest on success */
	bool busy;
};

/* A disk image's file and last write, for a snapshot's restore. */
struct disk_identity {
	u64 dev, ino, mtime_ns;
};

struct virtio_blk {
	struct virtio_device vdev;
	const struct disk_config *cfg;
	int fd;
	u64 capacity;		/* in sectors */
	bool can_punch;		/* the image supports DISCARD / WRITE_ZEROES */
	struct disk_identity opened;	/* as it was opened */
	char id[VIRTIO_BLK_ID_BYTES];
	io_context_t aio;
	struct ioloop_entry done;
	struct blk_slot slots[BLK_QUEUE_SIZE];
	unsigned int inflight;
	struct vq_req vq_req;
};

/*
 * The disk @cfg (index @index) opened with its AIO context and completion
 * eventfd (blk->done, for the I/O loop), laid out by blk_layout(); not yet
 * on a transport or in the I/O loop.
 */
int blk_setup(struct virtio_blk *blk, struct virtio_ops *ops,
	      const struct disk_config *cfg, unsigned int index, unsigned int nr_queues);
/* Features (into @ops) and config space for @nr_queues queues, as blk->cfg says. */
void blk_layout(struct virtio_blk *blk, struct virtio_ops *ops, unsigned int nr_queues);

#endif

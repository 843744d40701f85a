/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-balloon's state and device ops, for virtio/balloon.c and the fuzzer. */
#ifndef GICVM_VIRTIO_BALLOON_H
#define GICVM_VIRTIO_BALLOON_H

#include <linux/virtio_balloon.h>

#include "gicvm/device.h"
#include "virtio.h"

#define BALLOON_PAGE	(1ULL << VIRTIO_BALLOON_PFN_SHIFT)

/* --balloon */
struct balloon_config {
	bool enabled;
};

struct balloon {
	struct virtio_device vdev;	/* first: ops get it, balloon.c casts back */
	struct device ctl;		/* answers the control socket's "balloon ..." */
	struct vm *vm;
	struct vq_req req;
	u32 target;			/* pages the host asks for (config num_pages) */
	/* The guest's last statistics, and its stats request held until the next ask. */
	u64 stats[VIRTIO_BALLOON_S_NR];
	u32 stats_seen;			/* which tags it sent, one bit each */
	bool stats_held;
	u16 stats_head;
	u64 inflated, deflated, reported;	/* pages */
	u64 discard_failures;
};

extern const struct device_type virtio_balloon_device;
extern const struct virtio_ops virtio_balloon_ops;

#endif

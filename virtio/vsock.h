/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-vsock's configuration and state: private to virtio/vsock.c and its tests. */
#ifndef GICVM_VIRTIO_VSOCK_H
#define GICVM_VIRTIO_VSOCK_H

#include "gicvm/device.h"
#include "vhost.h"
#include "virtio.h"
#include "gicvm/util.h"

/* --vsock CID */
struct vsock_config {
	u64 cid;		/* the guest's CID; 0: no vsock device */
};

extern const struct device_type virtio_vsock_device;

#define VSOCK_RX	0
#define VSOCK_TX	1
#define VSOCK_EVENT	2

struct virtio_vsock {
	struct virtio_device vdev;
	struct virtio_ops ops;
	struct vhost vhost;
	u64 cid;
};

/* Ops, features (what the backend offers of those gicvm knows) and config, for v->cid. */
void vsock_setup(struct virtio_vsock *v);

#endif

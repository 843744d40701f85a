/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-vsock's configuration, for virtio/vsock.c and the tests. */
#ifndef GICVM_VIRTIO_VSOCK_H
#define GICVM_VIRTIO_VSOCK_H

#include "gicvm/device.h"
#include "gicvm/util.h"

/* --vsock CID */
struct vsock_config {
	u64 cid;		/* the guest's CID; 0: no vsock device */
};

extern const struct device_type virtio_vsock_device;

#endif

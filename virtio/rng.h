/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-rng's configuration and device ops, for virtio/rng.c and the tests. */
#ifndef GICVM_VIRTIO_RNG_H
#define GICVM_VIRTIO_RNG_H

#include "gicvm/device.h"
#include "virtio.h"

/* The most one request gets filled with (the rest of its buffers unused). */
#define RNG_MAX_REQUEST	(64 << 10)

/* --rng */
struct rng_config {
	bool enabled;
};

extern const struct device_type virtio_rng_device;
extern const struct virtio_ops virtio_rng_ops;

#endif

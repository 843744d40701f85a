/* SPDX-License-Identifier: GPL-2.0-only */
/* virtio-rng's device ops, for virtio/rng.c and its fuzz target. */
#ifndef GICVM_VIRTIO_RNG_H
#define GICVM_VIRTIO_RNG_H

#include "virtio.h"

extern const struct virtio_ops virtio_rng_ops;

#endif

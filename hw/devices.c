// SPDX-License-Identifier: GPL-2.0-only
/* The table of device kinds: add a new kind here, nowhere else. */
#include <stddef.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"

extern const struct device_type uart8250_device;
extern const struct device_type virtio_blk_device;
extern const struct device_type virtio_rng_device;
extern const struct device_type virtio_net_device;
extern const struct device_type virtio_console_device;
extern const struct device_type virtio_vsock_device;
extern const struct device_type virtio_fs_device;
extern const struct device_type virtio_cmdio_device;
extern const struct device_type pvpanic_device;
extern const struct device_type virtio_balloon_device;

/* Creation order is DT order and virtio-mmio slot order. */
const struct device_type *const device_types[] = {
	&uart8250_device,
	&virtio_blk_device,
	&virtio_net_device,
	&virtio_rng_device,
	&virtio_console_device,
	&virtio_vsock_device,
	&virtio_fs_device,
	&virtio_cmdio_device,
	&pvpanic_device,
	&virtio_balloon_device,
};

const size_t nr_device_types = ARRAY_SIZE(device_types);

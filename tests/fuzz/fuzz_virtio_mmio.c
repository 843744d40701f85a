// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a guest driving a virtio-mmio device through its
 * register file, with the virtio core and virtqueue walker behind it (see
 * mmio_driver.h). A test device pops whatever the queues offer and
 * completes it, writing into the buffers it was given. Nothing may crash
 * or touch memory outside the guest RAM buffer (ASan), and the transport's
 * promises hold after every access.
 */
#include "mmio_driver.h"
#include "test_device.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	mmio_driver_fuzz(&test_ops, data, size);
	return 0;
}

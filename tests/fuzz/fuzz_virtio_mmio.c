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

/* The test device: completes every request, filling what it may write. */
static void test_notify(struct virtio_device *vdev, unsigned int q)
{
	struct vq_req req;

	while (virtio_pop(vdev, q, &req)) {
		u32 written = 0;

		for (unsigned int i = req.n_out; i < req.n_out + req.n_in; i++) {
			memset(req.iov[i].iov_base, 0xa5, req.iov[i].iov_len);
			written += req.iov[i].iov_len;
		}
		for (unsigned int i = 0; i < req.n_out; i++)
			if (req.iov[i].iov_len)
				(void)*(volatile u8 *)req.iov[i].iov_base;
		virtio_complete(vdev, q, req.head, written);
	}
}

static const struct virtio_ops test_ops = {
	.name = "virtio-fuzz",
	.device_id = 2,
	.features = 1ULL << 9,
	.num_queues = 2,
	.queue_size = 16,
	.config_size = 24,
	.notify = test_notify,
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct virtio_device vdev;
	struct virtio_mmio *m;

	memset(&vdev, 0, sizeof(vdev));
	vdev.ops = &test_ops;
	m = mmio_driver_start(&vdev);
	mmio_driver_run(m, &vdev, data, size, NULL);
	mmio_driver_stop(&vdev);
	return 0;
}

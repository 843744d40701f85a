/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For the transport fuzz targets: a device that pops whatever its queues
 * offer, reads what it may read, fills what it may write and completes it.
 */
#ifndef GICVM_FUZZ_TEST_DEVICE_H
#define GICVM_FUZZ_TEST_DEVICE_H

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

#endif

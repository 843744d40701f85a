/* SPDX-License-Identifier: GPL-2.0-only */
/* For the virtio fuzz targets: what any transport promises of a live queue. */
#ifndef GICVM_FUZZ_QUEUE_CHECK_H
#define GICVM_FUZZ_QUEUE_CHECK_H

/* A queue is live only with a power-of-two size the device allows and rings in RAM. */
static void check_live_queues(struct vm *vm, const struct virtio_device *vdev)
{
	for (unsigned int q = 0; q < vdev->num_queues; q++) {
		const struct virtqueue *vq = &vdev->vqs[q];

		if (vq->ready && (!vq->num || vq->num > vdev->ops->queue_size ||
				  (vq->num & (vq->num - 1)) ||
				  !guest_ram(vm, vq->desc_gpa, 16 * vq->num) ||
				  !guest_ram(vm, vq->used_gpa, 6 + 8 * vq->num)))
			__builtin_trap();
	}
}

#endif

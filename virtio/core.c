// SPDX-License-Identifier: GPL-2.0-only
/* Transport-independent virtio helpers used by every device model. */
#include <linux/virtio_config.h>
#include <time.h>

#include "virtio.h"

/* At most one message per device per second: a hostile guest cannot flood. */
static void report_violation(struct virtio_device *vdev, const char *why)
{
	static _Thread_local time_t last;
	time_t now = time(NULL);

	atomic_fetch_add(&vdev->violations, 1);
	if (now != last) {
		last = now;
		pr_warn("%s: guest error: %s (%lu so far)", vdev->ops->name, why,
			atomic_load(&vdev->violations));
	}
}

void virtio_needs_reset(struct virtio_device *vdev)
{
	if (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	vdev->signal_config(vdev);
}

bool virtio_pop(struct virtio_device *vdev, unsigned int q, struct vq_req *req)
{
	struct virtqueue *vq = &vdev->vqs[q];
	const char *why = NULL;

	for (;;) {
		switch (vq_pop(vq, req, &why)) {
		case VQ_GOT:
			return true;
		case VQ_EMPTY:
			/* Re-arm the kick, then catch what raced with it. */
			if (!vq_enable_kick_and_recheck(vq))
				return false;
			continue;
		case VQ_BAD_CHAIN:
			report_violation(vdev, why);
			if (vq_should_notify(vq))
				vdev->signal_used(vdev);
			continue;
		case VQ_BROKEN:
			report_violation(vdev, why);
			virtio_needs_reset(vdev);
			return false;
		}
	}
}

void virtio_complete(struct virtio_device *vdev, unsigned int q, u16 head, u32 written)
{
	struct virtqueue *vq = &vdev->vqs[q];

	if (!vq->ready)
		return;
	vq_push(vq, head, written);
	if (vq_should_notify(vq)) {
		atomic_fetch_add(&vdev->interrupts, 1);
		vdev->signal_used(vdev);
	}
}

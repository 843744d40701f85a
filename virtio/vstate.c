// SPDX-License-Identifier: GPL-2.0-only
/*
 * The transport-independent part of a virtio device's saved state: status,
 * features, configuration, and each queue's layout and indices. Restoring
 * checks it as a driver's writes are checked: a queue comes back live only
 * if it is a valid size with its rings in guest RAM.
 */
#include <string.h>

#include "gicvm/state.h"
#include "virtio.h"

static void vq_save(const struct virtqueue *vq, struct state *s)
{
	state_put_tag(s, "VQ  ");
	state_put(s, vq->num, 2);
	state_put(s, vq->ready, 1);
	state_put(s, vq->event_idx, 1);
	state_put(s, vq->indirect, 1);
	state_put(s, vq->broken, 1);
	state_put(s, vq->desc_gpa, 8);
	state_put(s, vq->avail_gpa, 8);
	state_put(s, vq->used_gpa, 8);
	state_put(s, vq->last_avail, 2);
	state_put(s, vq->used_idx, 2);
	state_put(s, vq->signalled_used, 2);
	state_put(s, vq->signalled_valid, 1);
}

int virtio_save(struct virtio_device *vdev, struct state *s)
{
	if (vdev->handed_over) {
		pr_err("%s: its queues are with a backend outside gicvm: it cannot be saved",
		       vdev->ops->name);
		return -1;
	}
	if (vdev->ops->drain)
		vdev->ops->drain(vdev);
	state_put_tag(s, "VIRT");
	state_put(s, vdev->ops->device_id, 4);
	state_put(s, vdev->status, 4);
	state_put(s, vdev->features, 8);
	state_put(s, vdev->num_queues, 4);
	state_put_bytes(s, vdev->config, vdev->ops->config_size);
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		vq_save(&vdev->vqs[q], s);
	if (vdev->ops->save && vdev->ops->save(vdev, s))
		return -1;
	return state_ok(s) ? 0 : -1;
}

static void vq_restore(struct virtio_device *vdev, struct virtqueue *vq, struct state *s)
{
	bool ready, broken, signalled_valid;
	u16 last_avail, used_idx, signalled_used;

	state_expect_tag(s, "VQ  ");
	vq_reset(vq);
	/* An idle queue's registers hold whatever the driver wrote. */
	vq->num = state_get(s, 2);
	ready = state_get_max(s, 1, 1);
	vq->event_idx = state_get_max(s, 1, 1);
	vq->indirect = state_get_max(s, 1, 1);
	broken = state_get_max(s, 1, 1);
	vq->desc_gpa = state_get(s, 8);
	vq->avail_gpa = state_get(s, 8);
	vq->used_gpa = state_get(s, 8);
	last_avail = state_get(s, 2);
	used_idx = state_get(s, 2);
	signalled_used = state_get(s, 2);
	signalled_valid = state_get_max(s, 1, 1);
	if (!state_ok(s) || !ready)
		return;
	/* vq_enable() checks the layout and starts the indices at 0: set them after. */
	if (vq->num > vdev->ops->queue_size || vq_enable(vq, vdev->vm)) {
		s->bad = true;
		return;
	}
	vq->last_avail = last_avail;
	vq->used_idx = used_idx;
	vq->signalled_used = signalled_used;
	vq->signalled_valid = signalled_valid;
	vq->broken = broken;
}

int virtio_restore(struct virtio_device *vdev, struct state *s)
{
	state_expect_tag(s, "VIRT");
	if (state_get(s, 4) != vdev->ops->device_id)
		s->bad = true;
	vdev->status = state_get(s, 4);
	vdev->features = state_get(s, 8);
	if (vdev->features & ~virtio_offered(vdev))
		s->bad = true;		/* never offered: not this device's state */
	if (state_get(s, 4) != vdev->num_queues)
		s->bad = true;
	state_get_bytes(s, vdev->config, vdev->ops->config_size);
	for (unsigned int q = 0; q < vdev->num_queues && state_ok(s); q++)
		vq_restore(vdev, &vdev->vqs[q], s);
	if (state_ok(s) && vdev->ops->restore && vdev->ops->restore(vdev, s))
		s->bad = true;
	if (!state_ok(s)) {
		pr_err("%s: the saved state is corrupt or another device's", vdev->ops->name);
		return -1;
	}
	return 0;
}

/*
 * Requests the driver made available after the last kick gicvm served
 * were saved unserved; their kick will not come again.
 */
void virtio_restart(struct virtio_device *vdev)
{
	if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) || !vdev->ops->notify)
		return;
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		if (vdev->vqs[q].ready && !vdev->vqs[q].broken)
			vdev->ops->notify(vdev, q);
}

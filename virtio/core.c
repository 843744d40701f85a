// SPDX-License-Identifier: GPL-2.0-only
/* Transport-independent virtio helpers used by every device model. */
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gicvm/report.h"
#include "gicvm/vm.h"
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
	vdev->tops->signal_config(vdev);
}

bool virtio_pop(struct virtio_device *vdev, unsigned int q, struct vq_req *req)
{
	struct virtqueue *vq = &vdev->vqs[q];
	const char *why = NULL;

	if ((vdev->in_pass & (1U << q)) && !vdev->pops_left[q]) {
		vdev->cut_short |= 1U << q;
		return false;
	}
	for (;;) {
		switch (vq_pop(vq, req, &why)) {
		case VQ_GOT:
			if (vdev->in_pass & (1U << q))
				vdev->pops_left[q]--;
			return true;
		case VQ_EMPTY:
			/* Re-arm the kick, then catch what raced with it. */
			if (!vq_enable_kick_and_recheck(vq))
				return false;
			continue;
		case VQ_BAD_CHAIN:
			report_violation(vdev, why);
			if (vq_should_notify(vq))
				virtio_signal_used(vdev, q);
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
	if (vq_should_notify(vq))
		virtio_signal_used(vdev, q);
}

void virtio_signal_used(struct virtio_device *vdev, unsigned int q)
{
	atomic_fetch_add(&vdev->interrupts, 1);
	vdev->tops->signal_used(vdev, q);
}

void virtio_reset(struct virtio_device *vdev)
{
	if (vdev->ops->reset)
		vdev->ops->reset(vdev);
	/* A device's reset takes its queues back; none may stay with a backend. */
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		virtio_backend_take_back(vdev, q, 0);
	for (unsigned int q = 0; q < vdev->num_queues; q++) {
		vq_reset(&vdev->vqs[q]);
		vdev->vqs[q].num = vdev->ops->queue_size;
	}
	vdev->status = 0;
	vdev->features = 0;
}

void virtio_set_status(struct virtio_device *vdev, u32 val, u64 drv_features)
{
	bool was_ok = vdev->status & VIRTIO_CONFIG_S_DRIVER_OK;

	if (!val) {
		virtio_reset(vdev);
		return;
	}
	/* 3.1.1: FEATURES_OK only for a subset of what we offered, with VERSION_1. */
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) && !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		if ((drv_features & ~virtio_offered(vdev)) ||
		    !(drv_features & (1ULL << VIRTIO_F_VERSION_1)))
			val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		else
			vdev->features = drv_features;
	}
	vdev->status = val | (vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET);
	/*
	 * The queues are set up now: a backend may take them (once: a driver
	 * that drops DRIVER_OK and sets it again without a reset changes nothing).
	 */
	if (!was_ok && !vdev->handed_over && (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(vdev->status & VIRTIO_CONFIG_S_NEEDS_RESET) && vdev->ops->driver_ok &&
	    vdev->ops->driver_ok(vdev))
		virtio_needs_reset(vdev);
}

void virtio_queue_set_ready(struct virtio_device *vdev, unsigned int q, bool ready)
{
	struct virtqueue *vq = &vdev->vqs[q];

	if (!ready) {
		vq->ready = false;
		return;
	}
	if (vq->ready)
		return;
	vq->event_idx = virtio_has(vdev, VIRTIO_RING_F_EVENT_IDX);
	vq->indirect = virtio_has(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	if (vq->num > vdev->ops->queue_size || vq_enable(vq, vdev->vm)) {
		report_violation(vdev, "a queue of a bad size, misaligned or outside RAM");
		virtio_needs_reset(vdev);
	}
}

void virtio_init_device(struct virtio_device *vdev, struct vm *vm)
{
	vdev->vm = vm;
	if (!vdev->num_queues)
		vdev->num_queues = vdev->ops->num_queues;
	pthread_mutex_init(&vdev->lock, NULL);
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		vdev->vqs[q].num = vdev->ops->queue_size;
}

void virtio_config_access(struct virtio_device *vdev, u64 off, u8 *data, u32 len, bool is_write)
{
	if (off > vdev->ops->config_size || len > vdev->ops->config_size - off) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (!is_write) {
		memcpy(data, vdev->config + off, len);
	} else if (vdev->ops->config_write) {
		memcpy(vdev->config + off, data, len);
		vdev->ops->config_write(vdev, off, len);
	}
}

/*
 * The device's pass over queue @q after a kick: one ring's worth of
 * requests at most, so a guest that refills the ring as fast as it is
 * served cannot keep this thread here (the I/O thread also serves
 * signals, --timeout, the control socket and reboots). What is left waits
 * for the next pass: the kick is raised again, behind whatever else is
 * ready.
 */
static void notify_bounded(struct virtio_device *vdev, unsigned int q)
{
	const u64 one = 1;
	u32 bit = 1U << q;

	if (!vdev->kick[q]) {
		vdev->ops->notify(vdev, q);	/* nothing to raise again: unbounded */
		return;
	}
	vdev->pops_left[q] = vdev->vqs[q].num;
	vdev->in_pass |= bit;
	vdev->cut_short &= ~bit;
	vdev->ops->notify(vdev, q);
	vdev->in_pass &= ~bit;
	if ((vdev->cut_short & bit) && write(vdev->kick[q]->entry.fd, &one, sizeof(one)) < 0)
		pr_debug("%s: kick: %s", vdev->ops->name, strerror(errno));
}

/* A queue's ioeventfd fired: the guest kicked it. */
static void kick_fired(void *opaque)
{
	struct virtio_kick *k = opaque;
	struct virtio_device *vdev = k->vdev;
	u64 n;

	if (read(k->entry.fd, &n, sizeof(n)) < 0)
		return;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->handed_over & (1U << k->queue)) {
		/* Read just as a backend took the queue: the kick is its. */
		if (write(k->entry.fd, &n, sizeof(n)) < 0)
			pr_debug("%s: kick: %s", vdev->ops->name, strerror(errno));
	} else {
		atomic_fetch_add(&vdev->kicks, 1);
		if (vdev->vqs[k->queue].ready)
			notify_bounded(vdev, k->queue);
	}
	pthread_mutex_unlock(&vdev->lock);
}

int virtio_kick_add(struct virtio_kick *k, struct virtio_device *vdev, unsigned int q, int fd)
{
	k->vdev = vdev;
	k->queue = q;
	k->entry.fd = fd;
	k->entry.fn = kick_fired;
	k->entry.opaque = k;
	vdev->kick[q] = k;
	if (fd < 0 || ioloop_add(&vdev->vm->loop, &k->entry)) {
		pr_err("%s: cannot set up the ioeventfd of queue %u", vdev->ops->name, q);
		return -1;
	}
	return 0;
}

void virtio_notify_missed(struct virtio_device *vdev, unsigned int q)
{
	const u64 one = 1;

	atomic_fetch_add(&vdev->vm->stats.notify_mmio_exits, 1);
	if (q >= vdev->num_queues)
		return;
	if (vdev->handed_over & (1U << q)) {
		/* Pass it on to the backend that serves the queue. */
		if (write(vdev->kick[q]->entry.fd, &one, sizeof(one)) < 0)
			pr_debug("%s: kick: %s", vdev->ops->name, strerror(errno));
	} else if (vdev->vqs[q].ready) {
		notify_bounded(vdev, q);	/* the rest on the I/O thread */
	}
}

void virtio_report_counters(struct virtio_device *vdev, struct report *r)
{
	report_u64(r, "kicks", atomic_load(&vdev->kicks));
	report_u64(r, "interrupts", atomic_load(&vdev->interrupts));
	report_u64(r, "guest_errors", atomic_load(&vdev->violations));
	if (vdev->relays) {
		report_u64(r, "backend_handovers", atomic_load(&vdev->handovers));
		report_u64(r, "relayed_interrupts", atomic_load(&vdev->relayed));
	}
	if (vdev->ops->report)
		vdev->ops->report(vdev, r);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handing a device's queues to a backend outside gicvm's I/O thread (the
 * kernel's vhost, say). The backend gets what the transport already has:
 * the queue's ioeventfd as its kick and, as its call, the irqfd of the
 * queue's MSI-X vector, so neither kicks nor interrupts pass through gicvm.
 *
 * Where gicvm itself must see each interrupt, the call is instead one of
 * gicvm's eventfds ("relay"), which the I/O loop turns into the transport's
 * own signal: on virtio-mmio, whose InterruptStatus register gicvm keeps
 * (one I/O-thread wake-up per interrupt: the cost of vhost on mmio), and on
 * PCI while the queue's vector is masked or has no message, so the pending
 * bit is set and delivered on unmask as for any other vector.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "gicvm/vm.h"
#include "virtio.h"

static void relay_fired(void *opaque)
{
	struct virtio_relay *r = opaque;
	struct virtio_device *vdev = r->vdev;
	u64 n;

	if (read(r->entry.fd, &n, sizeof(n)) < 0)
		return;
	pthread_mutex_lock(&vdev->lock);
	if (vdev->handed_over & (1U << r->queue)) {
		atomic_fetch_add(&vdev->relayed, 1);
		virtio_signal_used(vdev, r->queue);
	}
	pthread_mutex_unlock(&vdev->lock);
}

int virtio_backend_init(struct virtio_device *vdev)
{
	vdev->relays = calloc(vdev->num_queues, sizeof(*vdev->relays));
	if (!vdev->relays)
		return -1;
	for (unsigned int q = 0; q < vdev->num_queues; q++) {
		struct virtio_relay *r = &vdev->relays[q];

		r->vdev = vdev;
		r->queue = q;
		r->given_fd = -1;
		r->entry.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		r->entry.fn = relay_fired;
		r->entry.opaque = r;
		if (r->entry.fd < 0 || ioloop_add(&vdev->vm->loop, &r->entry)) {
			pr_err("%s: cannot make the interrupt relay of queue %u: %s",
			       vdev->ops->name, q, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* The eventfd queue @q's backend should signal now. */
static int call_fd(struct virtio_device *vdev, unsigned int q)
{
	int fd = vdev->tops->direct_call_fd ? vdev->tops->direct_call_fd(vdev, q) : -1;

	return fd >= 0 ? fd : vdev->relays[q].entry.fd;
}

int virtio_backend_hand_over(struct virtio_device *vdev, unsigned int q, struct vq_handoff *h)
{
	struct virtqueue *vq = &vdev->vqs[q];
	struct virtio_kick *k = q < vdev->num_queues ? vdev->kick[q] : NULL;
	const u64 one = 1;

	if (!k || !vdev->relays || !vq->ready || vq->broken || !vq->desc)
		return -1;
	if (ioloop_pause(&vdev->vm->loop, &k->entry, true))
		return -1;
	vdev->handed_over |= 1U << q;
	atomic_fetch_add(&vdev->handovers, 1);
	vdev->relays[q].given_fd = call_fd(vdev, q);
	*h = (struct vq_handoff){
		.kick_fd = k->entry.fd,
		.call_fd = vdev->relays[q].given_fd,
		.num = vq->num,
		.base = vq->last_avail,
		.desc = vq->desc,
		.avail = vq->avail,
		.used = vq->used,
	};
	/* Whatever the driver queued before now: the backend looks at once. */
	if (write(k->entry.fd, &one, sizeof(one)) < 0)
		pr_debug("%s: queue %u: %s", vdev->ops->name, q, strerror(errno));
	return 0;
}

void virtio_backend_take_back(struct virtio_device *vdev, unsigned int q, u16 next_avail)
{
	struct virtqueue *vq = &vdev->vqs[q];

	if (!(vdev->handed_over & (1U << q)))
		return;
	vdev->handed_over &= ~(1U << q);
	vdev->relays[q].given_fd = -1;
	vq->last_avail = next_avail;
	if (vq->used)
		vq->used_idx = le16toh(vq->used->idx);
	vq->signalled_valid = false;
	ioloop_pause(&vdev->vm->loop, &vdev->kick[q]->entry, false);
}

void virtio_backend_calls_changed(struct virtio_device *vdev)
{
	/* Called on every MSI-X and vector write of every virtio-pci function. */
	if (!vdev->handed_over)
		return;
	for (unsigned int q = 0; q < vdev->num_queues; q++) {
		struct virtio_relay *r;
		int fd;

		if (!(vdev->handed_over & (1U << q)))
			continue;
		r = &vdev->relays[q];
		fd = call_fd(vdev, q);
		if (fd == r->given_fd)
			continue;
		r->given_fd = fd;
		if (vdev->ops->call_changed)
			vdev->ops->call_changed(vdev, q, fd);
	}
}

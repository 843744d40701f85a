// SPDX-License-Identifier: GPL-2.0-only
/* virtio-rng (VIRTIO 1.x, 5.4): --rng fills the guest's buffers from getrandom(). */
#include <errno.h>
#include <linux/virtio_ids.h>
#include <stdlib.h>
#include <sys/random.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "rng.h"
#include "virtio.h"

static struct vq_req rng_req;

/*
 * A request's buffers, filled up to RNG_MAX_REQUEST bytes: the device may
 * give less than asked (VIRTIO 1.x, 5.4.6), and a chain of descriptors
 * each spanning all of RAM must not keep the I/O thread for minutes.
 */
static u32 fill(struct vq_req *req)
{
	u32 written = 0;

	for (unsigned int i = req->n_out; i < req->n_out + req->n_in; i++) {
		u8 *p = req->iov[i].iov_base;
		size_t left = MIN(req->iov[i].iov_len, (size_t)(RNG_MAX_REQUEST - written));

		while (left) {
			ssize_t n = getrandom(p, left, 0);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return written;
			p += n;
			left -= n;
			written += n;
		}
	}
	return written;
}

static void rng_notify(struct virtio_device *vdev, unsigned int q)
{
	while (virtio_pop(vdev, q, &rng_req))
		virtio_complete(vdev, q, rng_req.head, fill(&rng_req));
}

const struct virtio_ops virtio_rng_ops = {
	.name = "virtio-rng",
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.queue_size = 64,
	.notify = rng_notify,
};

static int rng_create(struct vm *vm)
{
	struct virtio_device *vdev;

	const struct rng_config *cfg = device_config(vm->cfg, &virtio_rng_device);

	if (!cfg->enabled)
		return 0;
	vdev = calloc(1, sizeof(*vdev));
	if (!vdev)
		return -1;
	vdev->ops = &virtio_rng_ops;
	return virtio_device_add(vm, vdev);
}

static int rng_option(void *config, const char *arg)
{
	((struct rng_config *)config)->enabled = true;
	return 0;
}

static const struct device_option rng_options[] = {
	{ "rng", 0, false, "no value",
	  "      --rng             a virtio-rng device fed from getrandom()\n",
	  rng_option },
	{ NULL },
};

const struct device_type virtio_rng_device = {
	.name = "virtio-rng",
	.create = rng_create,
	.options = rng_options,
	.config_size = sizeof(struct rng_config),
};

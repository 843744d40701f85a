// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-vsock (VIRTIO 1.x, 5.10): --vsock CID. The receive and transmit
 * queues go to the kernel's /dev/vhost-vsock once the driver is ready, so
 * a host program's AF_VSOCK socket (socat VSOCK-LISTEN:PORT, say) talks to
 * the guest without gicvm on the path. The event queue stays with gicvm,
 * which holds its buffers: the only event, a transport reset, is for a VM
 * restored from a snapshot.
 */
#include <errno.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_vsock.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "vhost.h"
#include "virtio.h"
#include "vsock.h"

static int set_running(struct virtio_vsock *v, bool running)
{
	if (!vhost_vsock_set_running(&v->vhost, running))
		return 0;
	pr_err("virtio-vsock: vhost-vsock cannot %s: %s", running ? "start" : "stop",
	       strerror(errno));
	return -1;
}

static int vsock_driver_ok(struct virtio_device *vdev)
{
	struct virtio_vsock *v = vdev->priv;
	struct vq_handoff h;

	if (!vdev->vqs[VSOCK_RX].ready || !vdev->vqs[VSOCK_TX].ready)
		return 0;	/* a driver with no rings: nothing to serve */
	if (vhost_set_memory(&v->vhost, vdev->vm, vdev->features))
		return -1;
	for (unsigned int q = VSOCK_RX; q <= VSOCK_TX; q++)
		if (virtio_backend_hand_over(vdev, q, &h) || vhost_start_ring(&v->vhost, q, &h))
			return -1;
	return set_running(v, true);
}

static void vsock_reset(struct virtio_device *vdev)
{
	struct virtio_vsock *v = vdev->priv;

	if (!v->vhost.running)
		return;
	set_running(v, false);
	for (unsigned int q = VSOCK_RX; q <= VSOCK_TX; q++) {
		u16 next;

		vhost_stop_ring(&v->vhost, q, &next);
		virtio_backend_take_back(vdev, q, next);
	}
}

static void vsock_call_changed(struct virtio_device *vdev, unsigned int q, int fd)
{
	struct virtio_vsock *v = vdev->priv;

	if (vhost_set_call(&v->vhost, q, fd))
		pr_warn("virtio-vsock: cannot move queue %u's interrupt: %s", q, strerror(errno));
}

static void vsock_notify(struct virtio_device *vdev, unsigned int q)
{
	/*
	 * The event queue: its buffers wait for an event. Receive and
	 * transmit before DRIVER_OK: vhost-vsock looks when it takes them.
	 */
}

static const struct virtio_ops vsock_ops = {
	.name = "virtio-vsock",
	.device_id = VIRTIO_ID_VSOCK,
	.pci_class = 0x078000,	/* communication, other */
	.num_queues = 3,
	.queue_size = 256,
	.config_size = sizeof(struct virtio_vsock_config),
	.notify = vsock_notify,
	.reset = vsock_reset,
	.driver_ok = vsock_driver_ok,
	.call_changed = vsock_call_changed,
};

/* See vsock.h. */
void vsock_setup(struct virtio_vsock *v)
{
	struct virtio_vsock_config c = { .guest_cid = htole64(v->cid) };

	v->ops = vsock_ops;
	v->ops.features = v->vhost.features & (1ULL << VIRTIO_VSOCK_F_SEQPACKET);
	memcpy(v->vdev.config, &c, sizeof(c));
	v->vdev.ops = &v->ops;
	v->vdev.priv = v;
}

/* The CID is the host-wide address of this guest: taken now, or refused now. */
static int claim_cid(struct virtio_vsock *v)
{
	if (!vhost_vsock_set_cid(&v->vhost, v->cid))
		return 0;
	if (errno == EADDRINUSE)
		pr_err("virtio-vsock: CID %llu is in use by another VM on this host",
		       (unsigned long long)v->cid);
	else
		pr_err("virtio-vsock: cannot take CID %llu: %s", (unsigned long long)v->cid,
		       strerror(errno));
	return -1;
}

static int vsock_create(struct vm *vm)
{
	const struct vsock_config *cfg = device_config(vm->cfg, &virtio_vsock_device);
	struct virtio_vsock *v;

	if (!cfg->cid)
		return 0;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -1;
	v->cid = cfg->cid;
	if (vhost_open(&v->vhost, "/dev/vhost-vsock") || claim_cid(v))
		return -1;
	vsock_setup(v);
	pr_info("virtio-vsock: guest CID %llu", (unsigned long long)v->cid);
	if (virtio_device_add(vm, &v->vdev))
		return -1;
	return virtio_backend_init(&v->vdev);
}

/* --vsock CID: 0-2 are reserved (any, hypervisor, host); VMADDR_CID_ANY is -1U. */
static int cid_option(void *config, const char *arg)
{
	struct vsock_config *c = config;

	return parse_uint(arg, 3, 0xfffffffeULL, &c->cid);
}

static const struct device_option vsock_options[] = {
	{ "vsock", 0, true, "a guest CID from 3 to 4294967294",
	  "      --vsock CID       a virtio-vsock device served by /dev/vhost-vsock,\n"
	  "                        the guest at context ID CID (3 or more)\n",
	  cid_option },
	{ NULL },
};

const struct device_type virtio_vsock_device = {
	.name = "virtio-vsock",
	.create = vsock_create,
	.options = vsock_options,
	.config_size = sizeof(struct vsock_config),
};

// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net on a tap interface: -n mode=tap[,tapif=NAME][,guest_mac=MAC].
 * The tap carries the virtio-net header itself (IFF_VNET_HDR, 12 bytes for
 * VIRTIO 1.x), so checksum and TSO offloads pass straight through in both
 * directions: packets move between the tap and guest RAM with one readv or
 * writev each and no copy in gicvm.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "virtio.h"

enum { RX_QUEUE, TX_QUEUE };

#define NET_QUEUE_SIZE	256
#define NET_HDR_LEN	((int)sizeof(struct virtio_net_hdr_mrg_rxbuf))
#define NET_FEATURES	((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) | \
			 (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS) | \
			 (1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) | \
			 (1ULL << VIRTIO_NET_F_GUEST_ECN) | \
			 (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6))

struct virtio_net {
	struct virtio_device vdev;
	struct ioloop_entry tap;
	char ifname[IFNAMSIZ];
	bool offloads_set;
	struct vq_req req;
};

/* Tell the tap what the guest accepts, so it hands over only that. */
static void set_offloads(struct virtio_net *n)
{
	struct virtio_device *vdev = &n->vdev;
	unsigned int off = 0;

	if (virtio_has(vdev, VIRTIO_NET_F_GUEST_CSUM)) {
		off |= TUN_F_CSUM;
		if (virtio_has(vdev, VIRTIO_NET_F_GUEST_TSO4))
			off |= TUN_F_TSO4;
		if (virtio_has(vdev, VIRTIO_NET_F_GUEST_TSO6))
			off |= TUN_F_TSO6;
		if (virtio_has(vdev, VIRTIO_NET_F_GUEST_ECN))
			off |= TUN_F_TSO_ECN;
	}
	if (ioctl(n->tap.fd, TUNSETOFFLOAD, off))
		pr_warn("virtio-net: TUNSETOFFLOAD %#x: %s", off, strerror(errno));
	n->offloads_set = true;
}

static void transmit(struct virtio_net *n)
{
	while (virtio_pop(&n->vdev, TX_QUEUE, &n->req)) {
		/* Header and frame, as the guest laid them out; a full tap drops. */
		if (n->req.out_len > NET_HDR_LEN &&
		    writev(n->tap.fd, n->req.iov, n->req.n_out) < 0 && errno != EAGAIN)
			pr_debug("virtio-net: tap write: %s", strerror(errno));
		virtio_complete(&n->vdev, TX_QUEUE, n->req.head, 0);
	}
}

/* Move frames from the tap into the guest's receive buffers. vdev->lock held. */
static void receive(struct virtio_net *n)
{
	static const u16 one_buffer = 1;	/* num_buffers, little-endian 1 */

	if (!n->vdev.vqs[RX_QUEUE].ready) {
		ioloop_pause(n->vdev.vm, &n->tap, true);	/* level-triggered: do not spin */
		return;
	}
	if (!n->offloads_set)
		set_offloads(n);
	for (;;) {
		struct iovec *in;
		ssize_t len;

		if (!virtio_pop(&n->vdev, RX_QUEUE, &n->req)) {
			/* No buffer: leave frames in the tap until the guest posts some. */
			ioloop_pause(n->vdev.vm, &n->tap, true);
			return;
		}
		in = n->req.iov + n->req.n_out;
		if (n->req.in_len < NET_HDR_LEN) {
			virtio_complete(&n->vdev, RX_QUEUE, n->req.head, 0);
			continue;
		}
		len = readv(n->tap.fd, in, n->req.n_in);
		if (len < 0) {
			vq_unpop(&n->vdev.vqs[RX_QUEUE]);
			return;
		}
		/* The tap leaves num_buffers alone; without MRG_RXBUF it is 1. */
		iov_from_buf(in, n->req.n_in, offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers),
			     &one_buffer, sizeof(one_buffer));
		virtio_complete(&n->vdev, RX_QUEUE, n->req.head, len);
	}
}

static void tap_readable(void *opaque)
{
	struct virtio_net *n = opaque;

	pthread_mutex_lock(&n->vdev.lock);
	receive(n);
	pthread_mutex_unlock(&n->vdev.lock);
}

static void net_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_net *n = vdev->priv;

	if (q == TX_QUEUE) {
		transmit(n);
	} else {
		ioloop_pause(vdev->vm, &n->tap, false);	/* new receive buffers */
		receive(n);
	}
}

static void net_reset(struct virtio_device *vdev)
{
	struct virtio_net *n = vdev->priv;

	n->offloads_set = false;
}

static const struct virtio_ops net_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.features = NET_FEATURES,
	.num_queues = 2,
	.queue_size = NET_QUEUE_SIZE,
	.config_size = sizeof(struct virtio_net_config),
	.notify = net_notify,
	.reset = net_reset,
};

static int open_tap(struct virtio_net *n, const struct net_config *cfg)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr_len = NET_HDR_LEN;

	n->tap.fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (n->tap.fd < 0) {
		pr_err("virtio-net: cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	memcpy(ifr.ifr_name, cfg->tapif, sizeof(cfg->tapif));	/* NUL-terminated */
	if (ioctl(n->tap.fd, TUNSETIFF, &ifr)) {
		pr_err("virtio-net: cannot create tap %s: %s",
		       cfg->tapif[0] ? cfg->tapif : "device", strerror(errno));
		return -1;
	}
	if (ioctl(n->tap.fd, TUNSETVNETHDRSZ, &hdr_len) || ioctl(n->tap.fd, TUNSETOFFLOAD, 0)) {
		pr_err("virtio-net: tap %s has no virtio-net header support", ifr.ifr_name);
		return -1;
	}
	memcpy(n->ifname, ifr.ifr_name, IFNAMSIZ);
	return 0;
}

static int net_create(struct vm *vm)
{
	static const u8 default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const struct net_config *cfg = &vm->cfg->net;
	struct virtio_net_config c = { .status = htole16(VIRTIO_NET_S_LINK_UP) };
	struct virtio_net *n;

	if (cfg->mode != NET_TAP)
		return 0;
	n = calloc(1, sizeof(*n));
	if (!n || open_tap(n, cfg))
		return -1;
	memcpy(c.mac, cfg->mac_set ? cfg->mac : default_mac, sizeof(c.mac));
	memcpy(n->vdev.config, &c, sizeof(c));
	n->vdev.ops = &net_ops;
	n->vdev.priv = n;
	n->tap.fn = tap_readable;
	n->tap.opaque = n;
	/* Frames wait in the tap until the guest posts receive buffers. */
	if (ioloop_add(vm, &n->tap) || ioloop_pause(vm, &n->tap, true))
		return -1;
	pr_info("virtio-net: tap %s", n->ifname);
	return virtio_device_add(vm, &n->vdev);
}

const struct device_type virtio_net_device = {
	.name = "virtio-net",
	.create = net_create,
};

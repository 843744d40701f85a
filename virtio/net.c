// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net on a tap interface: -n mode=tap[,tapif=NAME][,guest_mac=MAC].
 * The tap carries the virtio-net header itself (IFF_VNET_HDR, 12 bytes for
 * VIRTIO 1.x), so checksum and TSO offloads pass straight through in both
 * directions: packets move between the tap and guest RAM with one readv or
 * writev each and no copy in gicvm.
 *
 * On PCI with several vCPUs the device is multiqueue (VIRTIO_NET_F_MQ): a
 * receive/transmit pair per vCPU, each on its own queue of a multiqueue
 * tap, and a control queue on which the driver says how many pairs it
 * uses; the tap's unused queues are detached so it steers no flow there.
 *
 * With vhost=on each pair's queues go to its own /dev/vhost-net once the
 * driver is ready, bound to the same tap queue: packets then move between
 * the tap and guest RAM in the kernel, kicked by the ioeventfds and
 * signalling the irqfds, and gicvm's I/O thread sees none of them. The
 * control queue stays with gicvm.
 *
 * With mode=user there is no tap: frames go to and come from passt
 * (passt.h), one queue pair, no offloads (passt takes and gives whole
 * frames with their checksums). If passt goes away the link goes down.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_ids.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "net.h"
#include "passt.h"
#include "vhost.h"
#include "virtio.h"

/* passt is gone: the guest sees its link go down, once. vdev->lock held. */
static void link_lost(struct virtio_net *n)
{
	struct virtio_device *vdev = &n->vdev;

	if (n->link_down)
		return;
	n->link_down = true;
	passt_report_gone(n->passt);
	/*
	 * Out of the loop for good, not just paused: the guest's next receive
	 * kick resumes the entry, and the I/O thread would then spin on the
	 * closed socket's hang-up. Later pauses and resumes are no-ops.
	 */
	ioloop_del(&vdev->vm->loop, &n->pairs[0].tap);
	n->pairs[0].tap.fd = -1;
	put_le(vdev->config + offsetof(struct virtio_net_config, status), 0, 2);
	vdev->tops->signal_config(vdev);
}

/* mode=user: transmit frames without their virtio-net header to passt. */
static void transmit_user(struct net_pair *p)
{
	struct virtio_net *n = p->n;
	struct virtio_device *vdev = &n->vdev;

	while (virtio_pop(vdev, p->tx, &p->req)) {
		if (!n->link_down && p->req.out_len > NET_HDR_LEN &&
		    p->req.out_len - NET_HDR_LEN <= PASST_MAX_FRAME &&
		    passt_send(n->passt, p->req.iov, p->req.n_out, NET_HDR_LEN))
			link_lost(n);
		virtio_complete(vdev, p->tx, p->req.head, 0);
	}
}

/* mode=user: whole frames from passt into receive buffers, a header each. */
static void receive_user(struct net_pair *p)
{
	struct virtio_net *n = p->n;
	struct virtio_device *vdev = &n->vdev;
	struct virtio_net_hdr_mrg_rxbuf hdr = { .num_buffers = htole16(1) };

	while (!n->link_down) {
		const u8 *frame;
		ssize_t len = passt_next_frame(n->passt, &frame);
		struct iovec *in;
		bool fits;

		if (len <= 0) {
			if (len < 0)
				link_lost(n);
			return;
		}
		if (!virtio_pop(vdev, p->rx, &p->req)) {
			/* No buffer: wait for the guest's kick, the frame kept. */
			ioloop_pause(&vdev->vm->loop, &p->tap, true);
			return;
		}
		in = p->req.iov + p->req.n_out;
		/* A frame that does not fit the buffer is dropped, as a NIC would. */
		fits = p->req.in_len >= NET_HDR_LEN + (u64)len;
		if (fits) {
			iov_from_buf(in, p->req.n_in, 0, &hdr, NET_HDR_LEN);
			iov_from_buf(in, p->req.n_in, NET_HDR_LEN, frame, len);
		}
		passt_consume(n->passt, len);
		virtio_complete(vdev, p->rx, p->req.head, fits ? NET_HDR_LEN + len : 0);
	}
}

/* Tell the tap what the guest accepts, so it hands over only that. */
static void set_offloads(struct net_pair *p)
{
	struct virtio_device *vdev = &p->n->vdev;
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
	if (ioctl(p->tap.fd, TUNSETOFFLOAD, off))
		pr_warn("virtio-net: TUNSETOFFLOAD %#x: %s", off, strerror(errno));
	p->offloads_set = true;
}

static void transmit(struct net_pair *p)
{
	struct virtio_device *vdev = &p->n->vdev;

	if (p->n->passt) {
		transmit_user(p);
		return;
	}
	while (virtio_pop(vdev, p->tx, &p->req)) {
		/* Header and frame, as the guest laid them out; a full tap drops. */
		if (p->req.out_len > NET_HDR_LEN &&
		    writev(p->tap.fd, p->req.iov, p->req.n_out) < 0 && errno != EAGAIN)
			pr_debug("virtio-net: tap write: %s", strerror(errno));
		virtio_complete(vdev, p->tx, p->req.head, 0);
	}
}

/* Move frames from the tap into the guest's receive buffers. vdev->lock held. */
static void receive(struct net_pair *p)
{
	static const u16 one_buffer = 1;	/* num_buffers, little-endian 1 */
	struct virtio_device *vdev = &p->n->vdev;

	if (!vdev->vqs[p->rx].ready) {
		ioloop_pause(&vdev->vm->loop, &p->tap, true);	/* level-triggered: do not spin */
		return;
	}
	if (p->n->passt) {
		receive_user(p);
		return;
	}
	if (!p->offloads_set)
		set_offloads(p);
	for (;;) {
		struct iovec *in;
		ssize_t len;

		if (!virtio_pop(vdev, p->rx, &p->req)) {
			/* No buffer: leave frames in the tap until the guest posts some. */
			ioloop_pause(&vdev->vm->loop, &p->tap, true);
			return;
		}
		in = p->req.iov + p->req.n_out;
		if (p->req.in_len < NET_HDR_LEN) {
			virtio_complete(vdev, p->rx, p->req.head, 0);
			continue;
		}
		len = readv(p->tap.fd, in, p->req.n_in);
		if (len < 0) {
			vq_unpop(&vdev->vqs[p->rx]);
			return;
		}
		/* The tap leaves num_buffers alone; without MRG_RXBUF it is 1. */
		iov_from_buf(in, p->req.n_in, offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers),
			     &one_buffer, sizeof(one_buffer));
		virtio_complete(vdev, p->rx, p->req.head, len);
	}
}

static void tap_readable(void *opaque)
{
	struct net_pair *p = opaque;

	pthread_mutex_lock(&p->n->vdev.lock);
	receive(p);
	pthread_mutex_unlock(&p->n->vdev.lock);
}

/* Queue pairs [0, @active) take traffic: the tap steers flows only to those. */
static void set_active_pairs(struct virtio_net *n, unsigned int active)
{
	for (unsigned int i = 1; i < n->nr_pairs; i++) {
		struct ifreq ifr = { .ifr_flags = i < active ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE };

		if ((i < active) != (i < n->active_pairs) &&
		    ioctl(n->pairs[i].tap.fd, TUNSETQUEUE, &ifr))
			pr_warn("virtio-net: TUNSETQUEUE on queue %u: %s", i, strerror(errno));
	}
	n->active_pairs = active;
}

/* 5.1.6.5: one command per request; only the number of queue pairs is known. */
static void control(struct virtio_net *n)
{
	struct virtio_device *vdev = &n->vdev;
	struct vq_req *r = &n->ctrl_req;

	while (virtio_pop(vdev, n->ctrl_queue, r)) {
		struct virtio_net_ctrl_hdr hdr;
		u16 pairs;
		u8 ack = VIRTIO_NET_ERR;

		if (iov_to_buf(r->iov, r->n_out, 0, &hdr, sizeof(hdr)) == sizeof(hdr) &&
		    hdr.class == VIRTIO_NET_CTRL_MQ && hdr.cmd == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET &&
		    iov_to_buf(r->iov, r->n_out, sizeof(hdr), &pairs, 2) == 2 &&
		    le16toh(pairs) >= 1 && le16toh(pairs) <= n->nr_pairs) {
			set_active_pairs(n, le16toh(pairs));
			ack = VIRTIO_NET_OK;
		}
		virtio_complete(vdev, n->ctrl_queue, r->head,
				iov_from_buf(r->iov + r->n_out, r->n_in, 0, &ack, 1));
	}
}

static void net_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_net *n = vdev->priv;
	struct net_pair *p = &n->pairs[q / 2];

	if (n->nr_pairs > 1 && q == n->ctrl_queue) {
		control(n);
	} else if (n->vhost) {
		/* Before DRIVER_OK: vhost-net looks at the ring when it takes it. */
	} else if (q % 2) {
		transmit(p);
	} else if (!n->link_down) {
		ioloop_pause(&vdev->vm->loop, &p->tap, false);	/* new receive buffers */
		receive(p);
	}
}

/* vhost=on: each pair's rings to its vhost-net, bound to its tap queue. */
static int start_pair(struct virtio_net *n, struct net_pair *p)
{
	struct virtio_device *vdev = &n->vdev;
	struct vhost_vring_file backend = { .fd = p->tap.fd };
	struct vq_handoff h;

	if (!vdev->vqs[p->rx].ready || !vdev->vqs[p->tx].ready)
		return 0;	/* a pair the driver does not use */
	set_offloads(p);
	if (vhost_set_memory(&p->vhost, vdev->vm, vdev->features))
		return -1;
	for (unsigned int idx = 0; idx < 2; idx++) {
		if (virtio_backend_hand_over(vdev, idx ? p->tx : p->rx, &h) ||
		    vhost_start_ring(&p->vhost, idx, &h))
			return -1;
		backend.index = idx;
		if (ioctl(p->vhost.fd, VHOST_NET_SET_BACKEND, &backend)) {
			pr_err("virtio-net: vhost-net cannot take tap %s: %s", n->ifname,
			       strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void stop_pair(struct virtio_net *n, struct net_pair *p)
{
	struct vhost_vring_file none = { .fd = -1 };

	for (unsigned int idx = 0; idx < 2; idx++) {
		u16 next = 0;

		if (!(p->vhost.running & (1U << idx)))
			continue;
		none.index = idx;
		if (ioctl(p->vhost.fd, VHOST_NET_SET_BACKEND, &none))
			pr_warn("virtio-net: vhost-net kept its tap: %s", strerror(errno));
		vhost_stop_ring(&p->vhost, idx, &next);
		virtio_backend_take_back(&n->vdev, idx ? p->tx : p->rx, next);
	}
}

static int net_driver_ok(struct virtio_device *vdev)
{
	struct virtio_net *n = vdev->priv;

	for (unsigned int i = 0; i < n->nr_pairs; i++)
		if (start_pair(n, &n->pairs[i]))
			return -1;
	return 0;
}

static void net_call_changed(struct virtio_device *vdev, unsigned int q, int fd)
{
	struct virtio_net *n = vdev->priv;

	if (vhost_set_call(&n->pairs[q / 2].vhost, q % 2, fd))
		pr_warn("virtio-net: vhost-net: cannot move queue %u's interrupt: %s", q,
			strerror(errno));
}

static void net_reset(struct virtio_device *vdev)
{
	struct virtio_net *n = vdev->priv;

	for (unsigned int i = 0; n->vhost && i < n->nr_pairs; i++)
		stop_pair(n, &n->pairs[i]);
	for (unsigned int i = 0; i < n->nr_pairs; i++)
		n->pairs[i].offloads_set = false;
	set_active_pairs(n, 1);
}

static const struct virtio_ops net_ops = {
	.name = "virtio-net",
	.device_id = VIRTIO_ID_NET,
	.pci_class = 0x020000,	/* network, ethernet */
	.features = NET_FEATURES,
	.num_queues = 2,
	.queue_size = NET_QUEUE_SIZE,
	.config_size = sizeof(struct virtio_net_config),
	.notify = net_notify,
	.reset = net_reset,
};

/* Open the tap's queue @i (all queues of a multiqueue tap share its name). */
static int open_tap_queue(struct virtio_net *n, const struct net_config *cfg, unsigned int i)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	struct net_pair *p = &n->pairs[i];
	int hdr_len = NET_HDR_LEN;

	if (n->nr_pairs > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	p->tap.fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->tap.fd < 0) {
		pr_err("virtio-net: cannot open /dev/net/tun: %s", strerror(errno));
		return -1;
	}
	/* Both NUL-terminated. */
	memcpy(ifr.ifr_name, i ? n->ifname : cfg->tapif, IFNAMSIZ);
	if (ioctl(p->tap.fd, TUNSETIFF, &ifr)) {
		pr_err("virtio-net: cannot create tap %s: %s",
		       ifr.ifr_name[0] ? ifr.ifr_name : "device", strerror(errno));
		return -1;
	}
	if (ioctl(p->tap.fd, TUNSETVNETHDRSZ, &hdr_len) || ioctl(p->tap.fd, TUNSETOFFLOAD, 0)) {
		pr_err("virtio-net: tap %s has no virtio-net header support", ifr.ifr_name);
		return -1;
	}
	memcpy(n->ifname, ifr.ifr_name, IFNAMSIZ);
	return 0;
}

/* See net.h. */
void net_setup(struct virtio_net *n, unsigned int nr_pairs, const u8 mac[6])
{
	struct virtio_net_config c = { .status = htole16(VIRTIO_NET_S_LINK_UP) };

	n->nr_pairs = nr_pairs;
	n->ops = net_ops;
	if (n->nr_pairs > 1) {
		n->ops.features |= (1ULL << VIRTIO_NET_F_MQ) | (1ULL << VIRTIO_NET_F_CTRL_VQ);
		n->ctrl_queue = 2 * n->nr_pairs;
		n->vdev.num_queues = n->ctrl_queue + 1;
		c.max_virtqueue_pairs = htole16(n->nr_pairs);
	}
	for (unsigned int i = 0; i < n->nr_pairs; i++) {
		struct net_pair *p = &n->pairs[i];

		p->n = n;
		p->rx = 2 * i;
		p->tx = 2 * i + 1;
		p->tap.fd = -1;
		p->vhost.fd = -1;
		p->tap.fn = tap_readable;
		p->tap.opaque = p;
	}
	n->active_pairs = 1;
	memcpy(c.mac, mac, sizeof(c.mac));
	memcpy(n->vdev.config, &c, sizeof(c));
	n->vdev.ops = &n->ops;
	n->vdev.priv = n;
}

/* The taps (and with vhost=on each pair's vhost-net). */
static int open_taps(struct virtio_net *n, struct vm *vm, const struct net_config *cfg)
{
	if (cfg->vhost) {
		n->vhost = true;
		n->ops.features |= 1ULL << VIRTIO_NET_F_MRG_RXBUF;
		n->ops.driver_ok = net_driver_ok;
		n->ops.call_changed = net_call_changed;
	}
	for (unsigned int i = 0; i < n->nr_pairs; i++) {
		struct net_pair *p = &n->pairs[i];

		if (open_tap_queue(n, cfg, i))
			return -1;
		if (n->vhost) {
			if (vhost_open(&p->vhost, "/dev/vhost-net"))
				return -1;
			continue;
		}
		/* Frames wait in the tap until the guest posts receive buffers. */
		if (ioloop_add(&vm->loop, &p->tap) || ioloop_pause(&vm->loop, &p->tap, true))
			return -1;
	}
	/* Every queue of a new multiqueue tap is attached: detach all but the first. */
	n->active_pairs = n->nr_pairs;
	set_active_pairs(n, 1);
	pr_info("virtio-net: tap %s, %u queue pair(s)%s", n->ifname, n->nr_pairs,
		n->vhost ? ", vhost-net" : "");
	return 0;
}

/* Snapshots: passt's connections live in passt, which gicvm cannot save. */
static int net_save_user(struct virtio_device *vdev, struct state *s)
{
	pr_err("virtio-net: mode=user: passt's connections cannot be saved");
	return -1;
}

/* mode=user: passt, started now (before the sandbox) or the user's. */
static int open_passt(struct virtio_net *n, struct vm *vm, const struct net_config *cfg)
{
	struct net_pair *p = &n->pairs[0];

	n->passt = malloc(sizeof(*n->passt));
	if (!n->passt || passt_open(n->passt, cfg->socket[0] ? cfg->socket : NULL))
		return -1;
	n->ops.features = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS);
	n->ops.save = net_save_user;
	p->tap.fd = n->passt->fd;
	if (ioloop_add(&vm->loop, &p->tap) || ioloop_pause(&vm->loop, &p->tap, true))
		return -1;
	pr_info("virtio-net: user networking through passt%s%s",
		cfg->socket[0] ? " at " : "", cfg->socket);
	return 0;
}

static int parse_mac(const char *s, u8 mac[6])
{
	unsigned int b[6];
	char end;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6 || strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = b[i];
	/* A guest MAC must be unicast. */
	return (mac[0] & 1) ? -1 : 0;
}

/*
 * -n "mode=tap|user|none[,tapif=NAME][,guest_mac=aa:bb:cc:dd:ee:ff]
 * [,vhost=on|off][,socket=PATH]": vhost and tapif with tap only, socket
 * with user only. The last -n wins.
 */
static int net_option(void *config, const char *spec)
{
	struct net_config *net = config;
	char *copy = strdup(spec), *opt, *save = NULL;
	bool have_mode = false, no_dhcp = net->no_dhcp;
	int err = 0;

	if (!copy)
		return -1;
	memset(net, 0, sizeof(*net));
	net->no_dhcp = no_dhcp;
	for (opt = strtok_r(copy, ",", &save); opt && !err; opt = strtok_r(NULL, ",", &save)) {
		if (!strcmp(opt, "mode=tap")) {
			net->mode = NET_TAP;
			have_mode = true;
		} else if (!strcmp(opt, "mode=user")) {
			net->mode = NET_USER;
			have_mode = true;
		} else if (!strncmp(opt, "socket=", 7) && opt[7] &&
			   strlen(opt + 7) < sizeof(net->socket)) {
			strcpy(net->socket, opt + 7);
		} else if (!strcmp(opt, "mode=none")) {
			net->mode = NET_NONE;
			have_mode = true;
		} else if (!strncmp(opt, "tapif=", 6) && opt[6] && strlen(opt + 6) < sizeof(net->tapif)) {
			strcpy(net->tapif, opt + 6);
		} else if (!strncmp(opt, "guest_mac=", 10) && !parse_mac(opt + 10, net->mac)) {
			net->mac_set = true;
		} else if (!strcmp(opt, "vhost=on") || !strcmp(opt, "vhost=off")) {
			net->vhost = !strcmp(opt, "vhost=on");
		} else {
			err = -1;
		}
	}
	free(copy);
	if ((net->vhost || net->tapif[0]) && net->mode != NET_TAP)
		err = -1;
	if (net->socket[0] && net->mode != NET_USER)
		err = -1;
	return err || !have_mode ? -1 : 0;
}

static int net_create(struct vm *vm)
{
	static const u8 default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const struct net_config *cfg = device_config(vm->cfg, &virtio_net_device);
	bool multiqueue = cfg->mode == NET_TAP && virtio_transport_is_pci(vm);
	struct virtio_net *n;

	if (cfg->mode == NET_NONE)
		return 0;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -1;
	net_setup(n, multiqueue ? MIN(vm->nr_cpus, NET_MAX_PAIRS) : 1,
		  cfg->mac_set ? cfg->mac : default_mac);
	if (cfg->mode == NET_USER ? open_passt(n, vm, cfg) : open_taps(n, vm, cfg))
		return -1;
	if (virtio_device_add(vm, &n->vdev))
		return -1;
	return n->vhost ? virtio_backend_init(&n->vdev) : 0;
}

static int no_dhcp_option(void *config, const char *arg)
{
	((struct net_config *)config)->no_dhcp = true;
	return 0;
}

/*
 * A guest on gicvm's own init (--rootfs) configures its NIC at boot by
 * DHCP, as kvmtool's rootfs guests do (passt answers it with -n mode=user;
 * on a tap, whatever serves that link): the kernel's ip=dhcp. Not with
 * --no-dhcp, nor on an initramfs of the user's, whose init decides.
 */
static const char *net_boot_params(const void *config, bool own_init)
{
	const struct net_config *net = config;

	return own_init && net->mode != NET_NONE && !net->no_dhcp ? "ip=dhcp" : NULL;
}

static const struct device_option net_options[] = {
	{ "network", 'n', true,
	  "mode=tap[,tapif=NAME][,guest_mac=MAC][,vhost=on], mode=user[,socket=PATH][,guest_mac=MAC] "
	  "or mode=none",
	  "  -n, --network mode=tap[,tapif=NAME][,guest_mac=MAC][,vhost=on] | mode=none\n"
	  "                        a virtio-net device on a tap interface; vhost=on\n"
	  "                        moves its data path into the kernel's vhost-net\n"
	  "      --network mode=user[,socket=PATH][,guest_mac=MAC]\n"
	  "                        user networking, no root: gicvm starts passt (or\n"
	  "                        uses the one listening at PATH); DHCP, and the\n"
	  "                        gateway's address reaches the host's loopback\n",
	  net_option },
	{ "no-dhcp", 0, false, "no value",
	  "      --no-dhcp         a --rootfs guest leaves its NIC unconfigured (no ip=dhcp)\n",
	  no_dhcp_option },
	{ NULL },
};

const struct device_type virtio_net_device = {
	.name = "virtio-net",
	.create = net_create,
	.options = net_options,
	.config_size = sizeof(struct net_config),
	.boot_params = net_boot_params,
};

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net's state: private to virtio/net.c, shared only with its fuzz
 * target (tests/fuzz), which puts socket pairs where the taps would be.
 */
#ifndef GICVM_VIRTIO_NET_H
#define GICVM_VIRTIO_NET_H

#include <linux/if.h>
#include <linux/virtio_net.h>

#include "gicvm/device.h"
#include "vhost.h"
#include "virtio.h"

enum net_mode {
	NET_NONE,
	NET_TAP,
	NET_USER,		/* passt: no tap, no root */
};

/* -n mode=...: see net_option() */
struct net_config {
	enum net_mode mode;
	char tapif[16];		/* IFNAMSIZ; empty: the kernel picks tapN */
	u8 mac[6];
	bool mac_set;
	bool vhost;		/* vhost=on: the data path in the kernel's vhost-net */
	char socket[108];	/* mode=user: a running passt's socket; empty: start one */
	bool no_dhcp;		/* --no-dhcp: a --rootfs guest does not ask DHCP (ip=dhcp) */
};

extern const struct device_type virtio_net_device;

#define NET_QUEUE_SIZE	256
#define NET_MAX_PAIRS	8
#define NET_HDR_LEN	((int)sizeof(struct virtio_net_hdr_mrg_rxbuf))
#define NET_FEATURES	((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) | \
			 (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS) | \
			 (1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6) | \
			 (1ULL << VIRTIO_NET_F_GUEST_ECN) | \
			 (1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6))

struct virtio_net;

/* Receive queue 2i and transmit queue 2i + 1 on the tap's queue i. */
struct net_pair {
	struct virtio_net *n;
	unsigned int rx, tx;
	struct ioloop_entry tap;
	bool offloads_set;
	struct vhost vhost;		/* with vhost=on */
	struct vq_req req;
};

struct virtio_net {
	struct virtio_device vdev;
	struct virtio_ops ops;
	struct net_pair pairs[NET_MAX_PAIRS];
	unsigned int nr_pairs;
	unsigned int active_pairs;	/* the driver's choice; 1 until it says */
	unsigned int ctrl_queue;	/* 2 * nr_pairs, with MQ */
	char ifname[IFNAMSIZ];
	bool vhost;
	struct passt *passt;		/* mode=user */
	bool link_down;			/* passt went away */
	struct vq_req ctrl_req;
};

/*
 * The device with @nr_pairs queue pairs (a control queue if more than
 * one); no tap or passt yet: each pair's tap entry has fd -1 and reads the
 * tap (or passt's stream) when the I/O loop calls it.
 */
void net_setup(struct virtio_net *n, unsigned int nr_pairs, const u8 mac[6]);

#endif

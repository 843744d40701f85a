// SPDX-License-Identifier: GPL-2.0-only
/* gicvm-hostile on a virtio-mmio device: its registers, and attacks on them. */
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <stdio.h>
#include <stdlib.h>

#include "hostile.h"

static volatile uint8_t *regs;

static uint32_t rd(unsigned int off)
{
	return *(volatile uint32_t *)(regs + off);
}

static void wr(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(regs + off) = v;
}

static uint32_t get_status(void)
{
	return rd(VIRTIO_MMIO_STATUS);
}

static void set_status(uint32_t status)
{
	wr(VIRTIO_MMIO_STATUS, status);
}

static void set_features(uint64_t features)
{
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, features);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
}

static void set_queue(uint16_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, hostile_queue);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, d);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, d >> 32);
	wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, a);
	wr(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, a >> 32);
	wr(VIRTIO_MMIO_QUEUE_USED_LOW, u);
	wr(VIRTIO_MMIO_QUEUE_USED_HIGH, u >> 32);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

static bool queue_ready(void)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, hostile_queue);
	return rd(VIRTIO_MMIO_QUEUE_READY) == 1;
}

static void notify(uint16_t queue)
{
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, queue);
}

static void ack_interrupt(void)
{
	wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
}

static void register_attacks(void)
{
	uint32_t magic = rd(VIRTIO_MMIO_MAGIC_VALUE), id = rd(VIRTIO_MMIO_DEVICE_ID);
	volatile uint8_t *b = regs;
	volatile uint64_t *q = (volatile uint64_t *)regs;
	bool kept;

	wr(VIRTIO_MMIO_MAGIC_VALUE, 0);
	wr(VIRTIO_MMIO_VERSION, 1);
	wr(VIRTIO_MMIO_DEVICE_ID, 0x99);
	wr(VIRTIO_MMIO_QUEUE_NUM_MAX, 0xffff);
	wr(VIRTIO_MMIO_INTERRUPT_STATUS, 0xffffffff);
	kept = rd(VIRTIO_MMIO_MAGIC_VALUE) == magic && rd(VIRTIO_MMIO_DEVICE_ID) == id &&
	       rd(VIRTIO_MMIO_VERSION) == 2;
	tally("writes to read-only registers", 5, kept ? 5 : 0, kept ? "ignored" : "TOOK EFFECT");

	/* Wrong sizes: bytes, halves and doublewords where words belong. */
	(void)b[VIRTIO_MMIO_MAGIC_VALUE + 1];
	b[VIRTIO_MMIO_STATUS] = 0xff;
	(void)*(volatile uint16_t *)(regs + VIRTIO_MMIO_QUEUE_NUM_MAX);
	q[VIRTIO_MMIO_QUEUE_DESC_LOW / 8] = ~0ULL;
	(void)q[VIRTIO_MMIO_DEVICE_FEATURES / 8];
	/* Past the end of the device's config space, inside its window. */
	(void)q[0x1f8 / 8];
	q[0x1f8 / 8] = ~0ULL;
	kept = rd(VIRTIO_MMIO_STATUS) != 0xff;
	tally("wrong-size register accesses", 7, kept ? 7 : 0, kept ? "ignored" : "TOOK EFFECT");
}

const struct transport *hostile_mmio(const char *arg)
{
	static struct transport t = {
		.name = "virtio-mmio",
		.get_status = get_status,
		.set_status = set_status,
		.set_features = set_features,
		.set_queue = set_queue,
		.queue_ready = queue_ready,
		.notify = notify,
		.ack_interrupt = ack_interrupt,
		.register_attacks = register_attacks,
	};

	t.regs_phys = strtoull(arg, NULL, 0);
	regs = map_phys(t.regs_phys, 0x200);
	if (rd(VIRTIO_MMIO_MAGIC_VALUE) != 0x74726976 || rd(VIRTIO_MMIO_DEVICE_ID) != 2)
		return NULL;
	return &t;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For libFuzzer targets: a guest driving one virtio device through the
 * virtio-mmio register file, reached through the MMIO bus as a vCPU's exit
 * would reach it (the device objects linked whole, KVM's side faked by
 * tests/fakes). Each 8-byte record of the input is a
 * register access of any offset and size, a write of guest RAM (rings and
 * buffers), a kick of a queue, or an event of the device's backend (a
 * frame on the tap, a key on the console). A record can ask for its value
 * to be made a RAM address, so ring set-ups that pass the checks are
 * found quickly. After every record: the magic value and version stay
 * put, and a queue is live only with a valid size and rings in RAM.
 */
#ifndef GICVM_FUZZ_MMIO_DRIVER_H
#define GICVM_FUZZ_MMIO_DRIVER_H

#include <linux/virtio_mmio.h>
#include <stdlib.h>

#include "fake_host.h"
#include "gicvm/config.h"
#include "gicvm/device.h"
#include "gicvm/mmio.h"
#include "gicvm/state.h"
#include "virtio/virtio.h"
#include "../unit/vq_fixture.h"
#include "queue_check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The device under test, as the guest reaches it: its registers and its hooks. */
struct mmio_target {
	u64 base;
	struct device *dev;
};

static struct fixture fx;
static struct vm_config fx_cfg = { .transport = TRANSPORT_MMIO };

static struct mmio_target target;

/* A fresh guest with @vdev (ops, priv, config set) on virtio-mmio. */
static struct mmio_target *mmio_driver_start(struct virtio_device *vdev)
{
	fake_host_reset();
	fx_init(&fx, 16, false, false);
	memset(fx.ram, 0, sizeof(fx.ram));
	fx.vm.cfg = &fx_cfg;
	if (virtio_device_add(&fx.vm, vdev) || fx.vm.mmio.nr != 1 || !fx.vm.devices)
		abort();
	target.base = fx.vm.mmio.regions[0].base;
	target.dev = fx.vm.devices;
	return &target;
}

/* A register access, as a vCPU's exit would make it. */
static void mmio_access(struct mmio_target *m, u64 off, u8 *buf, u32 len, bool is_write)
{
	mmio_dispatch(&fx.vm.mmio, m->base + off, buf, len, is_write);
}

static void mmio_driver_stop(struct virtio_device *vdev)
{
	pthread_mutex_destroy(&vdev->lock);
	free(vdev->transport);
	vdev->transport = NULL;
	fx.vm.mmio.nr = 0;
	fx.vm.devices = NULL;
	fx.vm.nr_virtio_mmio = 0;
}

/* Optional: what the device under test promises too, checked after every record. */
static void (*device_check)(struct virtio_device *vdev);

/* What the transport promises, whatever the guest did. */
static void mmio_driver_check(struct mmio_target *m, struct virtio_device *vdev)
{
	u8 buf[4] = { 0 };

	mmio_access(m, VIRTIO_MMIO_MAGIC_VALUE, buf, 4, false);
	if (memcmp(buf, "virt", 4))
		__builtin_trap();
	check_live_queues(&fx.vm, vdev);
	if (device_check)
		device_check(vdev);
}

/*
 * A snapshot of the device, restored at once: as saved (it must come back),
 * or with byte @at of the record changed to @val (it may be refused, and
 * then the device is reset; either way the transport's promises hold).
 */
static void snapshot(struct mmio_target *m, bool corrupt, unsigned int at, u8 val)
{
	struct state w, r;
	int rc;

	state_init(&w);
	if (m->dev->save(m->dev, &w)) {
		state_free(&w);
		return;
	}
	if (corrupt)
		w.buf[at % w.len] = val;
	state_init_read(&r, w.buf, w.len);
	rc = m->dev->restore(m->dev, &r);
	if (rc && !corrupt)
		__builtin_trap();	/* a device's own state must restore */
	state_free(&w);
}

/*
 * Feed @data to the device. @backend_event (may be NULL: a kick instead)
 * handles the records that are the device's backend speaking, with the
 * record's bytes; it runs without vdev->lock, as the I/O loop would.
 */
static void mmio_driver_run(struct mmio_target *m, struct virtio_device *vdev,
			    const unsigned char *data, size_t size,
			    void (*backend_event)(const unsigned char rec[8]))
{
	for (; size >= 8; data += 8, size -= 8) {
		u32 val = data[4] | data[5] << 8 | data[6] << 16 | (u32)data[7] << 24;
		u16 off = (data[1] | data[2] << 8) % 0x240;
		unsigned int q = data[1] % (vdev->num_queues + 1);
		u8 buf[8];

		switch (data[0] % 8) {
		case 0: case 1: case 2: case 3:		/* a 32-bit register write */
			if (data[3] & 0x80)		/* ...of an address in RAM */
				val = FX_RAM_BASE + val % FX_RAM_SIZE;
			memcpy(buf, &val, 4);
			mmio_access(m, off & ~3u, buf, 4, true);
			break;
		case 4:					/* any size, any offset, either way */
			memcpy(buf, data, 8);
			mmio_access(m, off, buf, 1u << (data[3] & 3), data[3] & 4);
			break;
		case 5:					/* the driver writes guest RAM */
			memcpy(fx.ram + (val % (FX_RAM_SIZE - 4)), data + 1, 3);
			break;
		case 6:					/* a snapshot, now and then */
			if (data[1] >= 0xfe) {
				snapshot(m, data[1] == 0xfe, val, data[3]);
				break;
			}
			/* fall through */
		case 7:
			if ((data[0] % 8) == 7 && backend_event) {
				backend_event(data);
				break;
			}
			/* fall through */
		default:				/* an ioeventfd fired */
			pthread_mutex_lock(&vdev->lock);
			if (q < vdev->num_queues && vdev->vqs[q].ready)
				vdev->ops->notify(vdev, q);
			pthread_mutex_unlock(&vdev->lock);
			break;
		}
		mmio_driver_check(m, vdev);
	}
}

/* One input against a fresh device of @ops with no state of its own. */
static void mmio_driver_fuzz(const struct virtio_ops *ops, const unsigned char *data, size_t size)
{
	static struct virtio_device vdev;
	struct mmio_target *m;

	memset(&vdev, 0, sizeof(vdev));
	vdev.ops = ops;
	m = mmio_driver_start(&vdev);
	mmio_driver_run(m, &vdev, data, size, NULL);
	mmio_driver_stop(&vdev);
}

#endif

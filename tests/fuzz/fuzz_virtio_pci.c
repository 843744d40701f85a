// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a guest driving a virtio-pci function through the
 * ECAM window and its BAR, reached through the MMIO bus as a vCPU's exit
 * would reach them (the device objects linked whole; the GIC, KVM's
 * ioeventfds and the I/O loop are tests/fakes). Each 8-byte record is a config-space access, a BAR access (a
 * 32-bit write whose value can be made a RAM address, or any size either
 * way), a write of guest RAM, a kick, a device reset (a reboot), or a
 * snapshot restored at once (as saved, or with a byte changed). The
 * device behind is the same test device as fuzz_virtio_mmio's.
 *
 * After every record: a queue is live only with a valid size and rings in
 * RAM; vectors named by the driver exist; the MSI-X pending bits are for
 * vectors that exist; each queue's ioeventfd sits exactly at its
 * notification address in the BAR while the BAR decodes, and nowhere
 * otherwise (KVM is never asked to remove one it does not have, or to
 * add one twice); routes are programmed only for vectors gicvm made.
 *
 * Queue 0 goes to a fake backend at DRIVER_OK (the contract of
 * virtio/backend.c) and comes back on reset: while it is there gicvm does
 * not watch its kick, the backend's rings lie in guest RAM, and its call
 * fd is the vector's irqfd exactly when the vector can deliver (else
 * gicvm's relay), following every mask, unmask and vector change.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fake_host.h"
#include "gicvm/memmap.h"
#include "gicvm/state.h"
#include "virtio/vpci.h"
#include "../unit/vq_fixture.h"
#include "queue_check.h"
#include "test_device.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct fixture fx;
static struct vm_config cfg = { .transport = TRANSPORT_PCI };
static struct virtio_device vdev;

/* The fake backend: what it was handed for queue 0. */
static struct {
	bool has;
	struct vq_handoff h;
} backend;

static int backend_driver_ok(struct virtio_device *d)
{
	if (!d->vqs[0].ready)
		return 0;
	if (virtio_backend_hand_over(d, 0, &backend.h))
		__builtin_trap();	/* a ready queue can always be handed over */
	backend.has = true;
	return 0;
}

static void backend_call_changed(struct virtio_device *d, unsigned int q, int fd)
{
	if (!backend.has || q)
		__builtin_trap();
	backend.h.call_fd = fd;
}

static void backend_reset(struct virtio_device *d)
{
	if (backend.has)
		virtio_backend_take_back(d, 0, backend.h.base);
	backend.has = false;
}

static struct virtio_ops backend_ops;

static void check_backend(struct virtio_pci *vp)
{
	const struct virtqueue *vq = &vdev.vqs[0];
	const struct vq_handoff *h = &backend.h;
	u8 *lo = fx.ram, *hi = fx.ram + FX_RAM_SIZE;
	int fd;

	if (backend.has != !!(vdev.handed_over & 1) || vdev.handed_over & ~1u ||
	    backend.has != vp->kicks[0].kick.entry.paused || vp->kicks[1].kick.entry.paused)
		__builtin_trap();
	if (!backend.has)
		return;
	if ((u8 *)h->desc < lo || (u8 *)h->desc + 16 * h->num > hi ||
	    (u8 *)h->avail < lo || (u8 *)h->avail + 6 + 2 * h->num > hi ||
	    (u8 *)h->used < lo || (u8 *)h->used + 6 + 8 * h->num > hi || h->num != vq->num ||
	    h->kick_fd != vp->kicks[0].kick.entry.fd)
		__builtin_trap();
	fd = msix_vector_fd(&vp->msix, vp->queue_vector[0]);
	if (h->call_fd != (fd >= 0 ? fd : vdev.relays[0].entry.fd))
		__builtin_trap();
}

static void check(struct virtio_pci *vp)
{
	const struct pci_function *f = &vp->pci;

	check_live_queues(&fx.vm, &vdev);
	if (vp->config_vector != MSIX_NO_VECTOR && vp->config_vector >= vp->msix.nvec)
		__builtin_trap();
	for (unsigned int q = 0; q < vdev.num_queues; q++) {
		const struct pci_kick *k = &vp->kicks[q];
		u64 want = f->bar_addr ? f->bar_addr + NOTIFY_OFF + q * NOTIFY_MULT : 0;

		if (vp->queue_vector[q] != MSIX_NO_VECTOR && vp->queue_vector[q] >= vp->msix.nvec)
			__builtin_trap();
		if (k->addr != want || fake_host.ioeventfd_at[k->kick.entry.fd] != want)
			__builtin_trap();
	}
	if (vp->msix.pending >> vp->msix.nvec)
		__builtin_trap();
	check_backend(vp);
}

/* An access at @off into the BAR (where it decodes, else the window's start). */
static void bar_access_at(struct virtio_pci *vp, u32 off, u8 *buf, u32 len, bool is_write)
{
	u64 base = vp->pci.bar_addr ? vp->pci.bar_addr : MMAP_PCI_MMIO_BASE;

	mmio_dispatch(&fx.vm.mmio, base + off, buf, len, is_write);
}

/*
 * Saved, reset and restored onto the same function: as saved it must come
 * back (BAR, ioeventfds, vectors as they were, which check() then holds
 * it to); with byte @at changed to @val it may be refused, and then the
 * function is reset. A queue with the backend cannot be saved.
 */
static void snapshot(struct virtio_pci *vp, bool corrupt, unsigned int at, u8 val)
{
	struct state w, r;
	int rc;

	state_init(&w);
	rc = vp->dev.save(&vp->dev, &w);
	if (rc != (vdev.handed_over ? -1 : 0))
		__builtin_trap();
	if (rc) {
		state_free(&w);
		return;
	}
	vp->dev.reset(&vp->dev);
	if (corrupt)
		w.buf[at % w.len] = val;
	state_init_read(&r, w.buf, w.len);
	rc = vp->dev.restore(&vp->dev, &r);
	if (rc && !corrupt)
		__builtin_trap();
	state_free(&w);
}

static void run(struct virtio_pci *vp, const unsigned char *data, size_t size)
{
	for (; size >= 8; data += 8, size -= 8) {
		u32 val = data[4] | data[5] << 8 | data[6] << 16 | (u32)data[7] << 24;
		u32 off = data[1] | data[2] << 8;
		unsigned int q = data[1] % (vdev.num_queues + 1);
		u8 buf[8];

		switch (data[0] % 8) {
		case 0: case 1:				/* a 32-bit BAR write */
			if (data[3] & 0x80)		/* ...of an address in RAM */
				val = FX_RAM_BASE + val % FX_RAM_SIZE;
			memcpy(buf, &val, 4);
			bar_access_at(vp, (off % BAR_SIZE) & ~3u, buf, 4, true);
			break;
		case 2:					/* any BAR access */
			memcpy(buf, data, 8);
			bar_access_at(vp, off % (BAR_SIZE + 0x100), buf, 1u << (data[3] & 3), data[3] & 4);
			break;
		case 3:					/* config space, this slot or the next */
			memcpy(buf, data + 4, 4);
			mmio_dispatch(&fx.vm.mmio, MMAP_PCI_CFG_BASE + (data[3] & 0x40 ? 0x8000 : 0) +
				      off % 0x1000, buf, 1u << (data[3] & 3), data[3] & 4);
			break;
		case 5:					/* the driver writes guest RAM */
			memcpy(fx.ram + (val % (FX_RAM_SIZE - 4)), data + 1, 3);
			break;
		case 6:					/* an ioeventfd fired */
			pthread_mutex_lock(&vdev.lock);
			if (q < vdev.num_queues && vdev.vqs[q].ready && !(vdev.handed_over & (1U << q)))
				vdev.ops->notify(&vdev, q);
			pthread_mutex_unlock(&vdev.lock);
			break;
		case 7:					/* a reboot, or a snapshot */
			if (data[1] == 0x7f)
				vp->dev.reset(&vp->dev);
			else if (data[1] == 0x7e || data[1] == 0x7d)
				snapshot(vp, data[1] == 0x7d, val, data[3]);
			break;
		default:				/* an MSI-X vector fires */
			pthread_mutex_lock(&vdev.lock);
			msix_notify(&vp->msix, data[1] % (vp->msix.nvec + 1));
			pthread_mutex_unlock(&vdev.lock);
			break;
		}
		check(vp);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct virtio_pci *vp;

	fake_host_reset();
	fx_init(&fx, 16, false, false);
	memset(fx.ram, 0, sizeof(fx.ram));
	fx.vm.cfg = &cfg;
	memset(&vdev, 0, sizeof(vdev));
	backend_ops = test_ops;
	backend_ops.driver_ok = backend_driver_ok;
	backend_ops.call_changed = backend_call_changed;
	backend_ops.reset = backend_reset;
	vdev.ops = &backend_ops;
	backend.has = false;
	if (virtio_device_add(&fx.vm, &vdev) || virtio_backend_init(&vdev))
		abort();
	vp = vdev.transport;
	if (vp->dev.start(&vp->dev, &fx.vm))
		abort();
	run(vp, data, size);

	/* The kicks and relays are the transport's own eventfds; the vectors the fake's. */
	for (unsigned int q = 0; q < vdev.num_queues; q++) {
		close(vp->kicks[q].kick.entry.fd);
		close(vdev.relays[q].entry.fd);
	}
	free(vdev.relays);
	pthread_mutex_destroy(&vdev.lock);
	free(fx.vm.pci);	/* the bus the function made (its lock holds nothing) */
	free(vp);
	return 0;
}

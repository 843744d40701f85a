// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-pci, modern only (VIRTIO 1.x, 4.1), with MSI-X. One 64-bit BAR:
 *
 *   0x0000  common configuration     0x3000  queue notifications, 4 bytes
 *   0x1000  ISR status                       per queue (ioeventfds)
 *   0x2000  device configuration     0x4000  MSI-X table
 *                                    0x5000  MSI-X pending bits
 *
 * Queue q's notification address is its own, so its ioeventfd matches the
 * queue index the driver writes and a kick never exits to gicvm. Each queue
 * and the configuration change get their own MSI-X vector if the driver
 * wants them; every vector is an irqfd routed by KVM to the ITS or v2m.
 */
#include <errno.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "gicvm/device.h"
#include "gicvm/msix.h"
#include "gicvm/pci.h"
#include "gicvm/report.h"
#include "gicvm/state.h"
#include "gicvm/vm.h"
#include "virtio.h"
#include "vpci.h"

static void signal_used(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_pci *vp = vdev->transport;

	vp->isr |= 1;	/* "queue interrupt" */
	msix_notify(&vp->msix, vp->queue_vector[q]);
}

static void signal_config(struct virtio_device *vdev)
{
	struct virtio_pci *vp = vdev->transport;

	vp->config_generation++;
	vp->isr |= VIRTIO_PCI_ISR_CONFIG;
	msix_notify(&vp->msix, vp->config_vector);
}

/* A handed-over queue's backend signals this irqfd itself, or gicvm's relay. */
static int direct_call_fd(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_pci *vp = vdev->transport;

	return msix_vector_fd(&vp->msix, vp->queue_vector[q]);
}

/* A vector number the driver wrote, or NO_VECTOR if there is no such vector. */
static u16 valid_vector(struct virtio_pci *vp, u16 v)
{
	return v < vp->msix.nvec ? v : MSIX_NO_VECTOR;
}

static void transport_reset(struct virtio_pci *vp)
{
	vp->drv_features = 0;
	vp->dev_features_sel = vp->drv_features_sel = vp->queue_sel = 0;
	vp->config_vector = MSIX_NO_VECTOR;
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vp->queue_vector[q] = MSIX_NO_VECTOR;
	vp->isr = 0;
}

/* The common configuration as the driver would read it now. */
static void common_snapshot(struct virtio_pci *vp, u8 *c)
{
	struct virtio_device *vdev = vp->vdev;
	bool have_q = vp->queue_sel < vdev->num_queues;
	const struct virtqueue *vq = have_q ? &vdev->vqs[vp->queue_sel] : NULL;

	memset(c, 0, COMMON_LEN);
	put_le(c + VIRTIO_PCI_COMMON_DFSELECT, vp->dev_features_sel, 4);
	if (vp->dev_features_sel < 2)
		put_le(c + VIRTIO_PCI_COMMON_DF, virtio_offered(vdev) >> (32 * vp->dev_features_sel), 4);
	put_le(c + VIRTIO_PCI_COMMON_GFSELECT, vp->drv_features_sel, 4);
	if (vp->drv_features_sel < 2)
		put_le(c + VIRTIO_PCI_COMMON_GF, vp->drv_features >> (32 * vp->drv_features_sel), 4);
	put_le(c + VIRTIO_PCI_COMMON_MSIX, vp->config_vector, 2);
	put_le(c + VIRTIO_PCI_COMMON_NUMQ, vdev->num_queues, 2);
	put_le(c + VIRTIO_PCI_COMMON_STATUS, vdev->status, 1);
	put_le(c + VIRTIO_PCI_COMMON_CFGGENERATION, vp->config_generation, 1);
	put_le(c + VIRTIO_PCI_COMMON_Q_SELECT, vp->queue_sel, 2);
	if (!vq)
		return;		/* 4.1.4.3: a queue that does not exist reads size 0 */
	put_le(c + VIRTIO_PCI_COMMON_Q_SIZE, vq->num, 2);
	put_le(c + VIRTIO_PCI_COMMON_Q_MSIX, vp->queue_vector[vp->queue_sel], 2);
	put_le(c + VIRTIO_PCI_COMMON_Q_ENABLE, vq->ready, 2);
	put_le(c + VIRTIO_PCI_COMMON_Q_NOFF, vp->queue_sel, 2);
	put_le(c + VIRTIO_PCI_COMMON_Q_DESCLO, vq->desc_gpa, 8);
	put_le(c + VIRTIO_PCI_COMMON_Q_AVAILLO, vq->avail_gpa, 8);
	put_le(c + VIRTIO_PCI_COMMON_Q_USEDLO, vq->used_gpa, 8);
}

static void set_half(u64 *v, unsigned int sel, u32 val)
{
	if (sel < 2)
		*v = (*v & ~(0xffffffffULL << (32 * sel))) | (u64)val << (32 * sel);
}

/* Apply the field at @field (of @size bytes) of the written snapshot @c. */
static void common_apply(struct virtio_pci *vp, const u8 *c, unsigned int field, unsigned int size)
{
	struct virtio_device *vdev = vp->vdev;
	struct virtqueue *vq = vp->queue_sel < vdev->num_queues ? &vdev->vqs[vp->queue_sel] : NULL;
	u64 val = get_le(c + field, size);

	switch (field) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		vp->dev_features_sel = val;
		return;
	case VIRTIO_PCI_COMMON_GFSELECT:
		vp->drv_features_sel = val;
		return;
	case VIRTIO_PCI_COMMON_GF:
		if (!(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
			set_half(&vp->drv_features, vp->drv_features_sel, val);
		return;
	case VIRTIO_PCI_COMMON_MSIX:
		vp->config_vector = valid_vector(vp, val);
		return;
	case VIRTIO_PCI_COMMON_STATUS:
		virtio_set_status(vdev, val, vp->drv_features);
		if (!val)
			transport_reset(vp);
		return;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		vp->queue_sel = val;
		return;
	}
	if (!vq)
		return;
	if (field == VIRTIO_PCI_COMMON_Q_MSIX) {
		vp->queue_vector[vp->queue_sel] = valid_vector(vp, val);
		virtio_backend_calls_changed(vdev);
		return;
	}
	if (field == VIRTIO_PCI_COMMON_Q_ENABLE) {
		/* 4.1.4.3.2: the driver never writes 0 here; reset stops a queue. */
		if (val == 1)
			virtio_queue_set_ready(vdev, vp->queue_sel, true);
		return;
	}
	if (vq->ready)
		return;		/* a live queue's layout is fixed */
	switch (field) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		vq->num = val;
		break;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		vq->desc_gpa = val;
		break;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		vq->avail_gpa = val;
		break;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		vq->used_gpa = val;
		break;
	}
}

static const struct {
	unsigned int off, size;
} common_fields[] = {
	{ VIRTIO_PCI_COMMON_DFSELECT, 4 }, { VIRTIO_PCI_COMMON_GFSELECT, 4 },
	{ VIRTIO_PCI_COMMON_GF, 4 }, { VIRTIO_PCI_COMMON_MSIX, 2 },
	{ VIRTIO_PCI_COMMON_STATUS, 1 }, { VIRTIO_PCI_COMMON_Q_SELECT, 2 },
	{ VIRTIO_PCI_COMMON_Q_SIZE, 2 }, { VIRTIO_PCI_COMMON_Q_MSIX, 2 },
	{ VIRTIO_PCI_COMMON_Q_ENABLE, 2 }, { VIRTIO_PCI_COMMON_Q_DESCLO, 8 },
	{ VIRTIO_PCI_COMMON_Q_AVAILLO, 8 }, { VIRTIO_PCI_COMMON_Q_USEDLO, 8 },
};

/*
 * Any width at any offset: read from a snapshot; a write lands in the
 * snapshot and each writable field it touched takes its new value (a
 * 64-bit address written as two halves works naturally).
 */
static void common_access(struct virtio_pci *vp, u64 off, u8 *data, u32 len, bool is_write)
{
	u8 c[COMMON_LEN];

	common_snapshot(vp, c);
	if (off >= COMMON_LEN || len > COMMON_LEN - off) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (!is_write) {
		memcpy(data, c + off, len);
		return;
	}
	memcpy(c + off, data, len);
	for (size_t i = 0; i < ARRAY_SIZE(common_fields); i++) {
		unsigned int f = common_fields[i].off, size = common_fields[i].size;

		if (off < f + size && f < off + len)
			common_apply(vp, c, f, size);
	}
}

static void bar_access(struct pci_function *f, u64 off, u8 *data, u32 len, bool is_write)
{
	struct virtio_pci *vp = f->priv;
	struct virtio_device *vdev = vp->vdev;

	pthread_mutex_lock(&vdev->lock);
	if (msix_bar_access(&vp->msix, off, data, len, is_write)) {
		if (is_write)
			virtio_backend_calls_changed(vdev);	/* a vector (un)masked */
	} else if (off < ISR_OFF) {
		common_access(vp, off - COMMON_OFF, data, len, is_write);
	} else if (off < DEVCFG_OFF) {
		/* 4.1.4.5: reading the ISR clears it. */
		memset(data, 0, is_write ? 0 : len);
		if (!is_write && off == ISR_OFF) {
			atomic_fetch_add(&vdev->vm->stats.irq_ack_exits, 1);
			data[0] = vp->isr;
			vp->isr = 0;
		}
	} else if (off < NOTIFY_OFF) {
		virtio_config_access(vdev, off - DEVCFG_OFF, data, len, is_write);
	} else if (off < MSIX_TABLE_OFF && is_write) {
		/* Only reached if the ioeventfd did not match (a bad width or value). */
		virtio_notify_missed(vdev, (off - NOTIFY_OFF) / NOTIFY_MULT);
	} else if (!is_write) {
		memset(data, 0, len);
	}
	pthread_mutex_unlock(&vdev->lock);
}

/* Follow the BAR: each queue's ioeventfd sits at its notification address. */
static void bar_moved(struct pci_function *f, u64 old, u64 addr)
{
	struct virtio_pci *vp = f->priv;

	for (unsigned int q = 0; q < vp->vdev->num_queues; q++) {
		struct pci_kick *k = &vp->kicks[q];
		int fd = k->kick.entry.fd;

		if (fd < 0)
			continue;
		if (k->addr && vm_ioeventfd_assign(vp->vdev->vm, fd, k->addr, 2, q, false))
			pr_warn("%s: cannot remove a queue's ioeventfd", vp->vdev->ops->name);
		k->addr = 0;
		if (addr && !vm_ioeventfd_assign(vp->vdev->vm, fd,
						 addr + NOTIFY_OFF + q * NOTIFY_MULT, 2, q, true))
			k->addr = addr + NOTIFY_OFF + q * NOTIFY_MULT;
	}
	pr_debug("%s: BAR at %#llx (was %#llx)", vp->vdev->ops->name,
		 (unsigned long long)addr, (unsigned long long)old);
}

static void cap_write(struct pci_function *f, u32 off, u32 len)
{
	struct virtio_pci *vp = f->priv;

	pthread_mutex_lock(&vp->vdev->lock);
	msix_cap_written(&vp->msix);
	virtio_backend_calls_changed(vp->vdev);
	pthread_mutex_unlock(&vp->vdev->lock);
}

static const struct virtio_transport_ops virtio_pci_transport = {
	.signal_used = signal_used,
	.signal_config = signal_config,
	.direct_call_fd = direct_call_fd,
};

static const struct pci_function_ops virtio_pci_ops = {
	.bar_access = bar_access,
	.bar_moved = bar_moved,
	.cap_write = cap_write,
};

static int virtio_pci_start(struct device *dev, struct vm *vm)
{
	struct virtio_pci *vp = dev->priv;

	if (msix_start(&vp->msix, vm->gic))
		return -1;
	/* Assigned as ioeventfds once the guest places the BAR (bar_moved). */
	for (unsigned int q = 0; q < vp->vdev->num_queues; q++)
		if (virtio_kick_add(&vp->kicks[q].kick, vp->vdev, q,
				    eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)))
			return -1;
	return 0;
}

static void virtio_pci_reset(struct device *dev)
{
	struct virtio_pci *vp = dev->priv;
	struct pci_function *f = &vp->pci;
	const u8 zero[8] = { 0 };

	pthread_mutex_lock(&vp->vdev->lock);
	virtio_reset(vp->vdev);
	transport_reset(vp);
	msix_reset(&vp->msix);
	pthread_mutex_unlock(&vp->vdev->lock);
	/* Decoding off and the BAR unplaced, as after a PCI reset. */
	pci_cfg_write(f, 0x04, zero, 2);
	pci_cfg_write(f, 0x10, zero, 8);
}

/* Snapshots: the transport's registers, MSI-X, config space, then the device. */
static int virtio_pci_save(struct device *dev, struct state *s)
{
	struct virtio_pci *vp = dev->priv;
	struct virtio_device *vdev = vp->vdev;
	int ret;

	pthread_mutex_lock(&vdev->lock);
	state_put_tag(s, "VPCI");
	state_put(s, vp->dev_features_sel, 4);
	state_put(s, vp->drv_features_sel, 4);
	state_put(s, vp->drv_features, 8);
	state_put(s, vp->queue_sel, 2);
	state_put(s, vp->config_vector, 2);
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		state_put(s, vp->queue_vector[q], 2);
	state_put(s, vp->isr, 1);
	state_put(s, vp->config_generation, 1);
	msix_save(&vp->msix, s);
	pci_cfg_save(&vp->pci, s);
	ret = virtio_save(vdev, s);
	pthread_mutex_unlock(&vdev->lock);
	return ret;
}

static int restore_transport(struct virtio_pci *vp, struct state *s)
{
	struct virtio_device *vdev = vp->vdev;

	state_expect_tag(s, "VPCI");
	vp->dev_features_sel = state_get(s, 4);
	vp->drv_features_sel = state_get(s, 4);
	vp->drv_features = state_get(s, 8);
	vp->queue_sel = state_get(s, 2);
	vp->config_vector = valid_vector(vp, state_get(s, 2));
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		vp->queue_vector[q] = valid_vector(vp, state_get(s, 2));
	vp->isr = state_get_max(s, 1, 3);
	vp->config_generation = state_get(s, 1);
	return msix_restore(&vp->msix, s);
}

/*
 * The device's queues, then config space (the BAR placed, MSI-X live
 * again and its vectors routed), then what the queues hold is served and
 * each live queue's vector raised once: an irqfd write at the snapshot
 * may not have reached the ITS. A driver with nothing new ignores it.
 */
static int virtio_pci_restore(struct device *dev, struct state *s)
{
	struct virtio_pci *vp = dev->priv;
	struct virtio_device *vdev = vp->vdev;
	struct state cfg;
	int ret;

	pthread_mutex_lock(&vdev->lock);
	ret = restore_transport(vp, s);
	cfg = *s;	/* config space is applied last, once the rest is in */
	state_expect_tag(s, "PCFG");
	s->pos += PCI_CFG_SPACE;
	ret = ret || !state_ok(s) || s->pos > s->len || virtio_restore(vdev, s) ? -1 : 0;
	pthread_mutex_unlock(&vdev->lock);
	if (!ret && pci_cfg_restore(&vp->pci, &cfg)) {
		pr_err("%s: the saved PCI configuration is another function's", vdev->ops->name);
		ret = -1;
	}
	if (ret) {
		virtio_pci_reset(dev);
		return -1;
	}
	pthread_mutex_lock(&vdev->lock);
	virtio_restart(vdev);
	for (unsigned int q = 0; q < vdev->num_queues; q++)
		if ((vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && vdev->vqs[q].ready)
			msix_notify(&vp->msix, vp->queue_vector[q]);
	pthread_mutex_unlock(&vdev->lock);
	return 0;
}

static void virtio_pci_report(struct device *dev, struct report *r)
{
	struct virtio_pci *vp = dev->priv;
	struct virtio_device *vdev = vp->vdev;
	char key[48];

	snprintf(key, sizeof(key), "%s@pci00:%02x", vdev->ops->name, vp->pci.slot);
	report_push(r, key);
	virtio_report_counters(vdev, r);
	report_u64(r, "queues", vdev->num_queues);
	report_pop(r);
}

static int add_virtio_cap(struct pci_function *f, u8 type, u32 off, u32 len, u32 mult)
{
	struct virtio_pci_notify_cap c = {
		.cap = {
			.cap_vndr = 0x09,	/* vendor-specific */
			.cap_len = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? sizeof(c) : sizeof(c.cap),
			.cfg_type = type,
			.bar = 0,
			.offset = htole32(off),
			.length = htole32(len),
		},
		.notify_off_multiplier = htole32(mult),
	};

	return pci_add_cap(f, &c, c.cap.cap_len) < 0 ? -1 : 0;
}

static int build_config_space(struct virtio_pci *vp)
{
	struct pci_function *f = &vp->pci;
	u32 id = vp->vdev->ops->device_id;
	/* The device's own class; "unclassified, other" if it has none. */
	u32 class = vp->vdev->ops->pci_class ? vp->vdev->ops->pci_class : 0xff0000;

	pci_function_init(f, PCI_VENDOR_REDHAT_QUMRANET, VIRTIO_PCI_DEVICE_BASE + id,
			  class, PCI_VENDOR_REDHAT_QUMRANET, 0x40 + id, BAR_SIZE);
	f->ops = &virtio_pci_ops;
	f->priv = vp;
	return add_virtio_cap(f, VIRTIO_PCI_CAP_COMMON_CFG, COMMON_OFF, COMMON_LEN, 0) ||
	       add_virtio_cap(f, VIRTIO_PCI_CAP_ISR_CFG, ISR_OFF, 4, 0) ||
	       add_virtio_cap(f, VIRTIO_PCI_CAP_DEVICE_CFG, DEVCFG_OFF, VIRTIO_CONFIG_MAX, 0) ||
	       add_virtio_cap(f, VIRTIO_PCI_CAP_NOTIFY_CFG, NOTIFY_OFF,
			      VIRTIO_MAX_QUEUES * NOTIFY_MULT, NOTIFY_MULT) ||
	       /* One vector per queue and one for configuration changes. */
	       msix_init(&vp->msix, f, vp->vdev->num_queues + 1, MSIX_TABLE_OFF, MSIX_PBA_OFF);
}

int virtio_pci_add(struct vm *vm, struct virtio_device *vdev)
{
	struct virtio_pci *vp = calloc(1, sizeof(*vp));

	if (!vp)
		return -1;
	vp->vdev = vdev;
	for (unsigned int q = 0; q < VIRTIO_MAX_QUEUES; q++)
		vp->kicks[q].kick.entry.fd = -1;
	if (build_config_space(vp) || pci_register(vm, &vp->pci)) {
		pr_err("%s: cannot put it on the PCI bus", vdev->ops->name);
		free(vp);
		return -1;
	}
	transport_reset(vp);
	vdev->transport = vp;
	vdev->tops = &virtio_pci_transport;
	vp->dev = (struct device){
		.name = vdev->ops->name,
		.priv = vp,
		.start = virtio_pci_start,
		.reset = virtio_pci_reset,
		.report = virtio_pci_report,
		.save = virtio_pci_save,
		.restore = virtio_pci_restore,
	};
	device_add(vm, &vp->dev);
	return 0;
}

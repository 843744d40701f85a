// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-mmio version 2 (VIRTIO 1.x, 4.2.2), modern only. Each device gets
 * 0x200 bytes from MMAP_VIRTIO_MMIO_BASE and an edge-triggered SPI. Queue
 * notifications never reach gicvm as MMIO exits: every queue's QueueNotify
 * write (datamatch = queue index) is a KVM ioeventfd, served by the I/O
 * loop. Used-buffer interrupts are raised by writing the device's irqfd.
 */
#include <errno.h>
#include <libfdt.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gic/gic.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/report.h"
#include "gicvm/state.h"
#include "gicvm/vm.h"
#include "virtio.h"

#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_VENDOR	0x4d564347	/* "GCVM" */

struct virtio_mmio {
	struct virtio_device *vdev;
	u64 base;
	unsigned int intid;
	int irq_fd;
	u32 dev_features_sel;
	u32 drv_features_sel;
	u32 queue_sel;
	u64 drv_features;
	atomic_uint int_status;
	u32 config_generation;
	struct virtio_kick kicks[VIRTIO_MAX_QUEUES];
	struct device dev;
};

static void raise_irq(struct virtio_mmio *m, unsigned int bit)
{
	atomic_fetch_or(&m->int_status, bit);
	if (gic_signal(m->vdev->vm->gic, m->irq_fd))
		pr_warn("%s: irqfd write failed: %s", m->vdev->ops->name, strerror(errno));
}

static void signal_used(struct virtio_device *vdev, unsigned int q)
{
	raise_irq(vdev->transport, VIRTIO_MMIO_INT_VRING);
}

static void signal_config(struct virtio_device *vdev)
{
	struct virtio_mmio *m = vdev->transport;

	m->config_generation++;
	raise_irq(m, VIRTIO_MMIO_INT_CONFIG);
}

static const struct virtio_transport_ops virtio_mmio_transport = {
	.signal_used = signal_used,
	.signal_config = signal_config,
};

static void write_status(struct virtio_mmio *m, u32 val)
{
	virtio_set_status(m->vdev, val, m->drv_features);
	if (val)
		return;
	m->drv_features = 0;
	m->dev_features_sel = m->drv_features_sel = m->queue_sel = 0;
	atomic_store(&m->int_status, 0);
}

static struct virtqueue *selected_vq(struct virtio_mmio *m)
{
	if (m->queue_sel >= m->vdev->num_queues)
		return NULL;
	return &m->vdev->vqs[m->queue_sel];
}

static void set_addr_half(u64 *addr, bool high, u32 val)
{
	*addr = high ? (*addr & 0xffffffffULL) | (u64)val << 32
		     : (*addr & ~0xffffffffULL) | val;
}

static void reg_write(struct virtio_mmio *m, u64 reg, u32 val)
{
	struct virtio_device *vdev = m->vdev;
	struct virtqueue *vq = selected_vq(m);

	switch (reg) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		m->dev_features_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		m->drv_features_sel = val;
		return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (m->drv_features_sel < 2 && !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK))
			set_addr_half(&m->drv_features, m->drv_features_sel, val);
		return;
	case VIRTIO_MMIO_QUEUE_SEL:
		m->queue_sel = val;
		return;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		/* Only reached if the ioeventfd did not match (a bad value). */
		virtio_notify_missed(vdev, val);
		return;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		atomic_fetch_add(&vdev->vm->stats.irq_ack_exits, 1);
		atomic_fetch_and(&m->int_status, ~val);
		return;
	case VIRTIO_MMIO_STATUS:
		write_status(m, val);
		return;
	}
	/* Queue registers: only for an existing queue that is not live. */
	if (!vq || vq->ready) {
		if (vq && reg == VIRTIO_MMIO_QUEUE_READY)
			virtio_queue_set_ready(vdev, m->queue_sel, val);
		return;
	}
	switch (reg) {
	case VIRTIO_MMIO_QUEUE_NUM:
		vq->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		virtio_queue_set_ready(vdev, m->queue_sel, val);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		set_addr_half(&vq->desc_gpa, reg == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		set_addr_half(&vq->avail_gpa, reg == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		set_addr_half(&vq->used_gpa, reg == VIRTIO_MMIO_QUEUE_USED_HIGH, val);
		break;
	}
}

static u32 reg_read(struct virtio_mmio *m, u64 reg)
{
	struct virtio_device *vdev = m->vdev;
	struct virtqueue *vq = selected_vq(m);

	switch (reg) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vdev->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return m->dev_features_sel < 2 ? virtio_offered(vdev) >> (32 * m->dev_features_sel) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return vq ? vdev->ops->queue_size : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return vq && vq->ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		atomic_fetch_add(&vdev->vm->stats.irq_ack_exits, 1);
		return atomic_load(&m->int_status);
	case VIRTIO_MMIO_STATUS:
		return vdev->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return m->config_generation;
	}
	return 0;
}

static void virtio_mmio_access(void *opaque, u64 off, u8 *data, u32 len, bool is_write)
{
	struct virtio_mmio *m = opaque;
	u32 val;

	pthread_mutex_lock(&m->vdev->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		virtio_config_access(m->vdev, off - VIRTIO_MMIO_CONFIG, data, len, is_write);
	} else if (len != 4 || off % 4) {
		/* 4.2.2.2: registers are 32-bit; anything else is ignored. */
		if (!is_write)
			memset(data, 0, len);
	} else if (is_write) {
		memcpy(&val, data, 4);
		reg_write(m, off, le32toh(val));
	} else {
		val = htole32(reg_read(m, off));
		memcpy(data, &val, 4);
	}
	pthread_mutex_unlock(&m->vdev->lock);
}

static int virtio_mmio_start(struct device *dev, struct vm *vm)
{
	struct virtio_mmio *m = dev->priv;

	m->irq_fd = gic_irqfd(vm->gic, m->intid, NULL);
	if (m->irq_fd < 0)
		return -1;
	for (unsigned int q = 0; q < m->vdev->num_queues; q++)
		if (virtio_kick_add(&m->kicks[q], m->vdev, q,
				    vm_ioeventfd(vm, m->base + VIRTIO_MMIO_QUEUE_NOTIFY, 4, q)))
			return -1;
	return 0;
}

static void virtio_mmio_reset(struct device *dev)
{
	struct virtio_mmio *m = dev->priv;

	pthread_mutex_lock(&m->vdev->lock);
	write_status(m, 0);
	pthread_mutex_unlock(&m->vdev->lock);
}

/* Snapshots: this transport's registers, then the device's common state. */
static int virtio_mmio_save(struct device *dev, struct state *s)
{
	struct virtio_mmio *m = dev->priv;
	int ret;

	pthread_mutex_lock(&m->vdev->lock);
	state_put_tag(s, "VMIO");
	state_put(s, m->dev_features_sel, 4);
	state_put(s, m->drv_features_sel, 4);
	state_put(s, m->queue_sel, 4);
	state_put(s, m->drv_features, 8);
	state_put(s, atomic_load(&m->int_status), 4);
	state_put(s, m->config_generation, 4);
	ret = virtio_save(m->vdev, s);
	pthread_mutex_unlock(&m->vdev->lock);
	return ret;
}

static int virtio_mmio_restore(struct device *dev, struct state *s)
{
	struct virtio_mmio *m = dev->priv;
	int ret;

	pthread_mutex_lock(&m->vdev->lock);
	state_expect_tag(s, "VMIO");
	m->dev_features_sel = state_get(s, 4);
	m->drv_features_sel = state_get(s, 4);
	m->queue_sel = state_get(s, 4);
	m->drv_features = state_get(s, 8);
	atomic_store(&m->int_status, state_get_max(s, 4, VIRTIO_MMIO_INT_VRING |
						       VIRTIO_MMIO_INT_CONFIG));
	m->config_generation = state_get(s, 4);
	ret = virtio_restore(m->vdev, s);
	if (ret)
		write_status(m, 0);	/* nothing half-restored */
	/*
	 * An interrupt the driver has not acknowledged is raised again: the
	 * irqfd write that raised it may not have reached the vGIC when it
	 * was saved. A driver that finds nothing new ignores it.
	 */
	else
		virtio_restart(m->vdev);
	if (!ret && atomic_load(&m->int_status))
		raise_irq(m, 0);
	pthread_mutex_unlock(&m->vdev->lock);
	return ret;
}

static void virtio_mmio_report(struct device *dev, struct report *r)
{
	struct virtio_mmio *m = dev->priv;
	struct virtio_device *vdev = m->vdev;
	char key[48];

	snprintf(key, sizeof(key), "%s@%llx", vdev->ops->name, (unsigned long long)m->base);
	report_push(r, key);
	virtio_report_counters(vdev, r);
	report_pop(r);
}

static void virtio_mmio_fdt(struct device *dev, void *fdt)
{
	struct virtio_mmio *m = dev->priv;
	u64 reg[] = { cpu_to_fdt64(m->base), cpu_to_fdt64(MMAP_VIRTIO_MMIO_SIZE) };
	u32 irq[3];
	char name[32];

	gic_fdt_irq_cells(m->intid, IRQ_EDGE, irq);
	snprintf(name, sizeof(name), "virtio@%llx", (unsigned long long)m->base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "virtio,mmio");
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property(fdt, "interrupts", irq, sizeof(irq));
	fdt_property(fdt, "dma-coherent", NULL, 0);
	fdt_end_node(fdt);
}

int virtio_mmio_add(struct vm *vm, struct virtio_device *vdev)
{
	struct virtio_mmio *m = calloc(1, sizeof(*m));
	int intid;

	if (!m)
		return -1;
	m->base = MMAP_VIRTIO_MMIO_BASE + vm->nr_virtio_mmio * MMAP_VIRTIO_MMIO_SIZE;
	intid = gic_alloc_spi(vm->gic, IRQ_EDGE);
	if (intid < 0 || mmio_register(&vm->mmio, "virtio-mmio", m->base, MMAP_VIRTIO_MMIO_SIZE,
				       virtio_mmio_access, m)) {
		pr_err("%s: no interrupt line or address left", vdev->ops->name);
		free(m);
		return -1;
	}
	vm->nr_virtio_mmio++;
	m->intid = intid;
	m->vdev = vdev;
	vdev->transport = m;
	vdev->tops = &virtio_mmio_transport;
	m->dev = (struct device){
		.name = vdev->ops->name,
		.priv = m,
		.fdt_node = virtio_mmio_fdt,
		.start = virtio_mmio_start,
		.reset = virtio_mmio_reset,
		.report = virtio_mmio_report,
		.save = virtio_mmio_save,
		.restore = virtio_mmio_restore,
	};
	device_add(vm, &m->dev);
	return 0;
}

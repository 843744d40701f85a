// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a guest driving a virtio-mmio device through its
 * register file, with the virtio core and virtqueue walker behind it
 * (virtio/mmio.c and virtio/core.c included whole; the GIC, ioloop and
 * device table faked). Each 8-byte record is a register access of any
 * offset and size, a write of guest RAM (rings and buffers), or a kick of
 * a queue; a record can ask for its value to be made a RAM address, so
 * that ring set-ups that pass the checks are found quickly. A test device pops whatever the queues offer and completes it,
 * writing into the buffers it was given. Nothing may crash or touch
 * memory outside the guest RAM buffer (ASan), the magic value and version
 * stay put, and a queue is live only with a valid size and rings in RAM.
 */
#include "../../virtio/core.c"
#include "../../virtio/mmio.c"
#include "../unit/vq_fixture.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The rest of gicvm, as the transport uses it. */
int gic_signal(struct gic *gic, int fd) { return 0; }
int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger) { return 40; }
int gic_irqfd(struct gic *gic, unsigned int intid, int *resample_fd) { return -1; }
int virtio_pci_add(struct vm *vm, struct virtio_device *vdev) { return -1; }
int vm_ioeventfd(struct vm *vm, u64 addr, u32 len, u64 datamatch) { return -1; }
void device_add(struct vm *vm, struct device *dev) { }
int ioloop_add(struct vm *vm, struct ioloop_entry *e) { return 0; }

/* The test device: completes every request, filling what it may write. */
static void test_notify(struct virtio_device *vdev, unsigned int q)
{
	struct vq_req req;

	while (virtio_pop(vdev, q, &req)) {
		u32 written = 0;

		for (unsigned int i = req.n_out; i < req.n_out + req.n_in; i++) {
			memset(req.iov[i].iov_base, 0xa5, req.iov[i].iov_len);
			written += req.iov[i].iov_len;
		}
		for (unsigned int i = 0; i < req.n_out; i++)
			if (req.iov[i].iov_len)
				(void)*(volatile u8 *)req.iov[i].iov_base;
		virtio_complete(vdev, q, req.head, written);
	}
}

static const struct virtio_ops test_ops = {
	.name = "virtio-fuzz",
	.device_id = 2,
	.features = 1ULL << 9,
	.num_queues = 2,
	.queue_size = 16,
	.config_size = 24,
	.notify = test_notify,
};

static struct fixture fx;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct virtio_device vdev;
	struct virtio_mmio *m;
	struct vm_config cfg = { .transport = TRANSPORT_MMIO };

	fx_init(&fx, 16, false, false);
	memset(fx.ram, 0, sizeof(fx.ram));
	fx.vm.cfg = &cfg;
	memset(&vdev, 0, sizeof(vdev));
	vdev.ops = &test_ops;
	nr_mmio_devices = 0;
	fx.vm.mmio.nr = 0;
	if (virtio_device_add(&fx.vm, &vdev))
		abort();
	m = vdev.transport;
	for (; size >= 8; data += 8, size -= 8) {
		u32 val = data[4] | data[5] << 8 | data[6] << 16 | (u32)data[7] << 24;
		u16 off = (data[1] | data[2] << 8) % 0x240;
		u8 buf[8];

		switch (data[0] % 8) {
		case 0: case 1: case 2: case 3:		/* a 32-bit register write */
			if (data[3] & 0x80)		/* ...of an address in RAM */
				val = FX_RAM_BASE + val % FX_RAM_SIZE;
			memcpy(buf, &val, 4);
			virtio_mmio_access(m, off & ~3u, buf, 4, true);
			break;
		case 4:					/* any size, any offset, either way */
			memcpy(buf, data, 8);
			virtio_mmio_access(m, off, buf, 1u << (data[3] & 3), data[3] & 4);
			break;
		case 5:					/* the driver writes guest RAM */
			memcpy(fx.ram + (val % (FX_RAM_SIZE - 4)), data + 1, 3);
			break;
		default:				/* an ioeventfd fired */
			pthread_mutex_lock(&vdev.lock);
			if (data[1] % 3 < vdev.num_queues && vdev.vqs[data[1] % 3].ready)
				test_notify(&vdev, data[1] % 3);
			pthread_mutex_unlock(&vdev.lock);
			break;
		}
		memset(buf, 0, 4);
		virtio_mmio_access(m, VIRTIO_MMIO_MAGIC_VALUE, buf, 4, false);
		if (memcmp(buf, "virt", 4))
			__builtin_trap();
		for (unsigned int q = 0; q < vdev.num_queues; q++) {
			const struct virtqueue *vq = &vdev.vqs[q];

			if (vq->ready && (!vq->num || vq->num > test_ops.queue_size ||
					  (vq->num & (vq->num - 1)) ||
					  !guest_ram(&fx.vm, vq->desc_gpa, 16 * vq->num) ||
					  !guest_ram(&fx.vm, vq->used_gpa, 6 + 8 * vq->num)))
				__builtin_trap();
		}
	}
	pthread_mutex_destroy(&vdev.lock);
	free(m);
	return 0;
}

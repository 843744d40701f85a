/* SPDX-License-Identifier: GPL-2.0-only */
/* A fake guest with a few pages of RAM and a split ring in it, for tests and fuzzing. */
#ifndef GICVM_VQ_FIXTURE_H
#define GICVM_VQ_FIXTURE_H

#include <linux/virtio_ring.h>
#include <string.h>

#include "gicvm/vm.h"
#include "virtio/virtqueue.h"

#define FX_RAM_BASE	0x80000000ULL
#define FX_RAM_SIZE	0x40000ULL
#define FX_DESC		(FX_RAM_BASE + 0x0000)
#define FX_AVAIL	(FX_RAM_BASE + 0x4000)
#define FX_USED		(FX_RAM_BASE + 0x6000)
#define FX_DATA		(FX_RAM_BASE + 0x10000)	/* buffers from here */

struct fixture {
	struct vm vm;
	struct virtqueue vq;
	u8 ram[FX_RAM_SIZE] __attribute__((aligned(4096)));
};

static inline void *fx_ptr(struct fixture *f, u64 gpa)
{
	return f->ram + (gpa - FX_RAM_BASE);
}

static inline struct vring_desc *fx_desc(struct fixture *f)
{
	return fx_ptr(f, FX_DESC);
}

static inline struct vring_avail *fx_avail(struct fixture *f)
{
	return fx_ptr(f, FX_AVAIL);
}

static inline struct vring_used *fx_used(struct fixture *f)
{
	return fx_ptr(f, FX_USED);
}

static inline int fx_init(struct fixture *f, u16 num, bool indirect, bool event_idx)
{
	memset(&f->vm, 0, sizeof(f->vm));
	memset(&f->vq, 0, sizeof(f->vq));
	f->vm.ram = f->ram;
	f->vm.ram_base = FX_RAM_BASE;
	f->vm.ram_size = FX_RAM_SIZE;
	f->vm.ram_fd = -1;
	f->vq.num = num;
	f->vq.desc_gpa = FX_DESC;
	f->vq.avail_gpa = FX_AVAIL;
	f->vq.used_gpa = FX_USED;
	f->vq.indirect = indirect;
	f->vq.event_idx = event_idx;
	return vq_enable(&f->vq, &f->vm);
}

static inline void fx_set_desc(struct fixture *f, u16 i, u64 addr, u32 len, u16 flags, u16 next)
{
	struct vring_desc *d = &fx_desc(f)[i];

	d->addr = htole64(addr);
	d->len = htole32(len);
	d->flags = htole16(flags);
	d->next = htole16(next);
}

/* Make the chain starting at @head available. */
static inline void fx_publish(struct fixture *f, u16 head)
{
	struct vring_avail *a = fx_avail(f);
	u16 idx = le16toh(a->idx);

	a->ring[idx % f->vq.num] = htole16(head);
	a->idx = htole16(idx + 1);
}

#endif

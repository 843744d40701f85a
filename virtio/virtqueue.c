// SPDX-License-Identifier: GPL-2.0-only
/* Split virtqueue walker: every guest-controlled value is checked here. */
#include <linux/virtio_ring.h>
#include <string.h>

#include "gicvm/vm.h"
#include "virtqueue.h"

#define load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define full_barrier()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

int vq_enable(struct virtqueue *vq, struct vm *vm)
{
	u64 n = vq->num;

	if (!n || n > 32768 || (n & (n - 1)))
		return -1;
	/* 2.7.2: descriptor table 16-aligned, avail 2-aligned, used 4-aligned. */
	if (vq->desc_gpa % 16 || vq->avail_gpa % 2 || vq->used_gpa % 4)
		return -1;
	vq->desc = guest_ram(vm, vq->desc_gpa, 16 * n);
	vq->avail = guest_ram(vm, vq->avail_gpa, 6 + 2 * n);
	vq->used = guest_ram(vm, vq->used_gpa, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used)
		return -1;
	vq->vm = vm;
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->signalled_valid = false;
	vq->broken = false;
	vq->ready = true;
	return 0;
}

void vq_reset(struct virtqueue *vq)
{
	u16 num = vq->num;

	memset(vq, 0, sizeof(*vq));
	vq->num = num;
}

static u16 *used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->num];
}

static u16 *avail_event(struct virtqueue *vq)
{
	return (u16 *)&vq->used->ring[vq->num];
}

/* Add one guest buffer to @req, checking it lies in RAM and in order. */
static int add_segment(struct virtqueue *vq, struct vq_req *req, u64 addr, u32 len,
		       bool writable, const char **why)
{
	void *host;

	if (req->n_out + req->n_in >= VQ_MAX_SEGS) {
		*why = "descriptor chain too long";
		return -1;
	}
	if (!writable && req->n_in) {
		*why = "readable descriptor after a writable one";
		return -1;
	}
	host = guest_ram(vq->vm, addr, len);
	if (!host) {
		*why = "descriptor outside guest RAM";
		return -1;
	}
	req->iov[req->n_out + req->n_in] = (struct iovec){ host, len };
	if (writable) {
		req->n_in++;
		req->in_len += len;
	} else {
		req->n_out++;
		req->out_len += len;
	}
	return 0;
}

static int walk_indirect(struct virtqueue *vq, struct vq_req *req, u64 addr, u32 len,
			 const char **why);

/*
 * Follow a chain through @table (@count entries) from @first. Bounded: a
 * chain may not visit more entries than the table has, so a loop ends it.
 * In the ring's own table an INDIRECT descriptor (without NEXT) hands over
 * to its indirect table; inside an indirect table it is an error.
 */
static int walk_table(struct virtqueue *vq, struct vq_req *req, const struct vring_desc *table,
		      u32 count, u32 first, bool indirect, const char **why)
{
	u32 i = first, steps = 0;

	for (;;) {
		struct vring_desc d = table[i];	/* one read: the guest may change it */
		u16 flags = le16toh(d.flags);

		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect) {
				*why = "nested indirect table";
				return -1;
			}
			/* 2.7.5.3.1: INDIRECT and NEXT together are not allowed. */
			if (flags & VRING_DESC_F_NEXT) {
				*why = "indirect descriptor with NEXT";
				return -1;
			}
			return walk_indirect(vq, req, le64toh(d.addr), le32toh(d.len), why);
		}
		if (add_segment(vq, req, le64toh(d.addr), le32toh(d.len),
				flags & VRING_DESC_F_WRITE, why))
			return -1;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16toh(d.next);
		if (i >= count) {
			*why = indirect ? "indirect next out of range" : "next descriptor out of range";
			return -1;
		}
		if (++steps >= count) {
			*why = indirect ? "loop in indirect table" : "loop in descriptor chain";
			return -1;
		}
	}
}

/* An indirect table: negotiated, whole descriptors, bounded, in RAM. */
static int walk_indirect(struct virtqueue *vq, struct vq_req *req, u64 addr, u32 len,
			 const char **why)
{
	u32 count = len / sizeof(struct vring_desc);
	struct vring_desc *table;

	if (!vq->indirect || !len || len % sizeof(*table) || count > VQ_MAX_SEGS) {
		*why = "bad indirect descriptor table";
		return -1;
	}
	table = guest_ram(vq->vm, addr, len);
	if (!table) {
		*why = "indirect table outside guest RAM";
		return -1;
	}
	return walk_table(vq, req, table, count, 0, true, why);
}

enum vq_pop vq_pop(struct virtqueue *vq, struct vq_req *req, const char **why)
{
	u16 avail_idx, head;

	if (!vq->ready || vq->broken)
		return VQ_EMPTY;
	avail_idx = le16toh(load_acquire(&vq->avail->idx));
	if (avail_idx == vq->last_avail)
		return VQ_EMPTY;
	if ((u16)(avail_idx - vq->last_avail) > vq->num) {
		*why = "available index jumped past the queue size";
		vq->broken = true;
		return VQ_BROKEN;
	}
	head = le16toh(vq->avail->ring[vq->last_avail % vq->num]);
	vq->last_avail++;
	if (head >= vq->num) {
		*why = "available ring names a descriptor out of range";
		vq->broken = true;
		return VQ_BROKEN;
	}
	req->head = head;
	req->n_out = req->n_in = 0;
	req->out_len = req->in_len = 0;
	if (!walk_table(vq, req, vq->desc, vq->num, head, false, why))
		return VQ_GOT;
	/* Fail just this request: give it back with nothing written. */
	vq_push(vq, head, 0);
	return VQ_BAD_CHAIN;
}

void vq_unpop(struct virtqueue *vq)
{
	vq->last_avail--;
}

void vq_push(struct virtqueue *vq, u16 head, u32 written)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx % vq->num];

	e->id = htole32(head);
	e->len = htole32(written);
	vq->used_idx++;
	/* The element must be visible before the index that publishes it. */
	store_release(&vq->used->idx, htole16(vq->used_idx));
}

bool vq_should_notify(struct virtqueue *vq)
{
	u16 old, new = vq->used_idx, event;

	if (!vq->ready)
		return false;
	/* Our used->idx store must be visible before we read the guest's flags. */
	full_barrier();
	if (!vq->event_idx)
		return !(le16toh(vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);

	old = vq->signalled_used;
	vq->signalled_used = new;
	if (!vq->signalled_valid) {
		vq->signalled_valid = true;
		return true;
	}
	event = le16toh(*used_event(vq));
	/* Interrupt if used_event lies in (old, new]: vring_need_event(). */
	return (u16)(new - event - 1) < (u16)(new - old);
}

bool vq_enable_kick_and_recheck(struct virtqueue *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	if (vq->event_idx)
		store_release(avail_event(vq), htole16(vq->last_avail));
	full_barrier();
	return le16toh(load_acquire(&vq->avail->idx)) != vq->last_avail;
}

/* Copy between @buf and the bytes of @iov starting at @offset. */
static size_t iov_copy(const struct iovec *iov, unsigned int n, size_t offset, u8 *buf,
		       size_t len, bool into_iov)
{
	size_t done = 0;

	for (unsigned int i = 0; i < n && done < len; i++) {
		u8 *seg = iov[i].iov_base;
		size_t chunk;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		chunk = MIN(iov[i].iov_len - offset, len - done);
		if (into_iov)
			memcpy(seg + offset, buf + done, chunk);
		else
			memcpy(buf + done, seg + offset, chunk);
		done += chunk;
		offset = 0;
	}
	return done;
}

size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t offset, void *buf, size_t len)
{
	return iov_copy(iov, n, offset, buf, len, false);
}

size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t offset,
		    const void *buf, size_t len)
{
	return iov_copy(iov, n, offset, (u8 *)buf, len, true);
}

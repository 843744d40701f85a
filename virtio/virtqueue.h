/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Split virtqueues (VIRTIO 1.x, 2.7), device side. Everything the guest
 * controls is checked before use: ring placement, indices, descriptor
 * addresses and lengths (inside guest RAM, no wrap-around), chain length,
 * loops, indirect tables and the read-before-write order. A request handed
 * to a device only ever points into guest RAM.
 */
#ifndef GICVM_VIRTQUEUE_H
#define GICVM_VIRTQUEUE_H

#include <sys/uio.h>

#include "gicvm/util.h"

struct vm;

/* The longest chain (direct + indirect descriptors) gicvm accepts. */
#define VQ_MAX_SEGS	1024

struct virtqueue {
	struct vm *vm;
	u16 num;			/* queue size, a power of 2 */
	bool ready;
	bool event_idx;			/* VIRTIO_F_RING_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_F_INDIRECT_DESC negotiated */
	u64 desc_gpa, avail_gpa, used_gpa;

	/* Host views of the rings, set by vq_enable(). */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;

	u16 last_avail;			/* next avail entry the device takes */
	u16 used_idx;			/* next used entry the device fills */
	u16 signalled_used;		/* used_idx at the last interrupt */
	bool signalled_valid;
	bool broken;			/* the guest broke the rules: stop */
};

/* One request: a descriptor chain as readable then writable iovecs. */
struct vq_req {
	u16 head;
	unsigned int n_out;		/* device-readable segments first */
	unsigned int n_in;		/* then device-writable ones */
	u64 out_len, in_len;
	struct iovec iov[VQ_MAX_SEGS];
};

enum vq_pop {
	VQ_EMPTY,
	VQ_GOT,
	VQ_BAD_CHAIN,			/* one request refused and returned; go on */
	VQ_BROKEN,			/* the ring itself is corrupt: reset needed */
};

/* Check the rings lie in guest RAM, aligned, and start using them. */
int vq_enable(struct virtqueue *vq, struct vm *vm);
void vq_reset(struct virtqueue *vq);

/*
 * Take the next request. A chain that breaks the rules is returned to the
 * guest at once with 0 bytes written (VQ_BAD_CHAIN, *why says how); a
 * corrupt ring (an index out of range) marks the queue broken for good.
 */
enum vq_pop vq_pop(struct virtqueue *vq, struct vq_req *req, const char **why);

/* Give back the last popped request unused (e.g. no packet to put in it). */
void vq_unpop(struct virtqueue *vq);

/* Return a request to the guest with @written bytes in its writable part. */
void vq_push(struct virtqueue *vq, u16 head, u32 written);

/* After pushes: does the guest want an interrupt (EVENT_IDX / NO_INTERRUPT)? */
bool vq_should_notify(struct virtqueue *vq);

/*
 * Before sleeping on the kick: ask for one (EVENT_IDX) and report whether
 * more requests arrived meanwhile.
 */
bool vq_enable_kick_and_recheck(struct virtqueue *vq);

/* Copy @len bytes from/to an iovec array at @offset; returns bytes copied. */
size_t iov_to_buf(const struct iovec *iov, unsigned int n, size_t offset, void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned int n, size_t offset,
		    const void *buf, size_t len);

#endif

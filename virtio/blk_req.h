/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parsing a virtio-blk request (VIRTIO 1.x, 5.2.6) from a checked
 * descriptor chain: no I/O here, so it is unit-tested and fuzzed natively.
 */
#ifndef GICVM_BLK_REQ_H
#define GICVM_BLK_REQ_H

#include "virtqueue.h"

#define BLK_SECTOR	512
#define BLK_SEG_MAX	126	/* data segments per request we advertise */

struct blk_req {
	u32 type;		/* VIRTIO_BLK_T_* */
	u64 sector;
	u8 *status;		/* the last writable byte of the chain */
	struct iovec data[BLK_SEG_MAX];
	unsigned int n_data;
	u64 data_len;
};

enum blk_parse {
	BLK_PARSE_OK,
	BLK_PARSE_IOERR,	/* well-formed enough to answer with IOERR */
	BLK_PARSE_DROP,		/* no status byte: nothing to answer with */
};

/*
 * Split @req into header, data and status. Checks the header and status
 * are there, IN/OUT lengths are whole sectors and lie within
 * @capacity_sectors, and the data has at most BLK_SEG_MAX segments.
 */
enum blk_parse blk_parse(const struct vq_req *req, u64 capacity_sectors, struct blk_req *out);

/*
 * Take @len bytes at @offset of @src (n entries) into @dst (at most @max
 * entries); returns the number of entries, or -1 if it does not fit.
 */
int iov_slice(const struct iovec *src, unsigned int n, u64 offset, u64 len,
	      struct iovec *dst, unsigned int max);

#endif

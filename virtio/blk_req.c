// SPDX-License-Identifier: GPL-2.0-only
#include <linux/virtio_blk.h>
#include <string.h>

#include "blk_req.h"

int iov_slice(const struct iovec *src, unsigned int n, u64 offset, u64 len,
	      struct iovec *dst, unsigned int max)
{
	unsigned int out = 0;

	for (unsigned int i = 0; i < n && len; i++) {
		u64 chunk;

		if (offset >= src[i].iov_len) {
			offset -= src[i].iov_len;
			continue;
		}
		if (out == max)
			return -1;
		chunk = MIN(src[i].iov_len - offset, len);
		dst[out++] = (struct iovec){ (u8 *)src[i].iov_base + offset, chunk };
		len -= chunk;
		offset = 0;
	}
	return len ? -1 : (int)out;
}

static bool in_range(u64 sector, u64 len, u64 capacity)
{
	u64 sectors = len / BLK_SECTOR;

	return sector <= capacity && sectors <= capacity - sector;
}

enum blk_parse blk_parse(const struct vq_req *req, u64 capacity, struct blk_req *out)
{
	const struct iovec *in = req->iov + req->n_out;
	struct virtio_blk_outhdr hdr;
	u64 data_off, data_len;
	int n;

	/* The status byte is the last byte the device may write. */
	if (!req->in_len)
		return BLK_PARSE_DROP;
	for (int i = req->n_in - 1; i >= 0; i--) {
		if (in[i].iov_len) {
			out->status = (u8 *)in[i].iov_base + in[i].iov_len - 1;
			break;
		}
	}
	if (iov_to_buf(req->iov, req->n_out, 0, &hdr, sizeof(hdr)) != sizeof(hdr))
		return BLK_PARSE_IOERR;
	out->type = le32toh(hdr.type);
	out->sector = le64toh(hdr.sector);

	/* IN reads into the writable part; everything else carries data out. */
	if (out->type == VIRTIO_BLK_T_IN || out->type == VIRTIO_BLK_T_GET_ID) {
		n = iov_slice(in, req->n_in, 0, req->in_len - 1, out->data, BLK_SEG_MAX);
		data_len = req->in_len - 1;
	} else {
		data_off = sizeof(hdr);
		data_len = req->out_len - data_off;
		n = iov_slice(req->iov, req->n_out, data_off, data_len, out->data, BLK_SEG_MAX);
	}
	if (n < 0)
		return BLK_PARSE_IOERR;
	out->n_data = n;
	out->data_len = data_len;
	if (out->type == VIRTIO_BLK_T_IN || out->type == VIRTIO_BLK_T_OUT) {
		if (data_len % BLK_SECTOR || !in_range(out->sector, data_len, capacity))
			return BLK_PARSE_IOERR;
	}
	return BLK_PARSE_OK;
}

// SPDX-License-Identifier: GPL-2.0-only
/* virtio-blk request parsing: header, data, status and their bounds. */
#include <linux/virtio_blk.h>
#include <string.h>

#include "harness.h"
#include "virtio/blk_req.h"

static u8 hdr_buf[16], data_buf[4096], status;
static struct vq_req req;
static struct blk_req out;

/* Build a request: header, then @data_len bytes out or in, then a status byte. */
static void make(u32 type, u64 sector, u32 data_len, bool data_in)
{
	struct virtio_blk_outhdr h = { .type = htole32(type), .sector = htole64(sector) };

	memcpy(hdr_buf, &h, sizeof(h));
	memset(&req, 0, sizeof(req));
	req.iov[0] = (struct iovec){ hdr_buf, 16 };
	req.n_out = 1;
	req.out_len = 16;
	if (data_len && !data_in) {
		req.iov[req.n_out++] = (struct iovec){ data_buf, data_len };
		req.out_len += data_len;
	}
	if (data_len && data_in) {
		req.iov[req.n_out + req.n_in++] = (struct iovec){ data_buf, data_len };
		req.in_len += data_len;
	}
	req.iov[req.n_out + req.n_in++] = (struct iovec){ &status, 1 };
	req.in_len += 1;
}

static void read_write_ok(void)
{
	make(VIRTIO_BLK_T_IN, 8, 1024, true);
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_OK);
	CHECK_EQ(out.type, VIRTIO_BLK_T_IN);
	CHECK_EQ(out.sector, 8);
	CHECK_EQ(out.data_len, 1024);
	CHECK_EQ(out.n_data, 1);
	CHECK(out.data[0].iov_base == data_buf);
	CHECK(out.status == &status);

	make(VIRTIO_BLK_T_OUT, 98, 1024, false);	/* the last two sectors */
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_OK);
	CHECK_EQ(out.data_len, 1024);
	CHECK(out.data[0].iov_base == data_buf);

	make(VIRTIO_BLK_T_FLUSH, 0, 0, false);
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_OK);
	CHECK_EQ(out.data_len, 0);
}

static void header_split_across_descriptors(void)
{
	make(VIRTIO_BLK_T_OUT, 3, 512, false);
	/* Header in two pieces, data right after in the second one. */
	memcpy(data_buf, hdr_buf + 4, 12);
	req.iov[0].iov_len = 4;
	req.iov[1] = (struct iovec){ data_buf, 12 + 512 };
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_OK);
	CHECK_EQ(out.sector, 3);
	CHECK_EQ(out.data_len, 512);
	CHECK(out.data[0].iov_base == data_buf + 12);
}

static void rejected(void)
{
	make(VIRTIO_BLK_T_IN, 0, 1000, true);		/* not whole sectors */
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_IOERR);
	make(VIRTIO_BLK_T_OUT, 99, 1024, false);	/* one sector past the end */
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_IOERR);
	make(VIRTIO_BLK_T_IN, ~0ULL - 1, 1024, true);	/* sector arithmetic would wrap */
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_IOERR);
	make(VIRTIO_BLK_T_IN, 0, 512, true);
	req.iov[0].iov_len = 8;				/* short header */
	req.out_len = 8;
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_IOERR);
	make(VIRTIO_BLK_T_OUT, 0, 512, false);
	req.n_in = 0;					/* no status byte at all */
	req.in_len = 0;
	CHECK_EQ(blk_parse(&req, 100, &out), BLK_PARSE_DROP);
}

static void too_many_segments(void)
{
	make(VIRTIO_BLK_T_OUT, 0, 0, false);
	req.n_in = 0;
	req.in_len = 0;
	for (int i = 0; i < BLK_SEG_MAX + 1; i++) {
		req.iov[req.n_out++] = (struct iovec){ data_buf, 512 };
		req.out_len += 512;
	}
	req.iov[req.n_out] = (struct iovec){ &status, 1 };
	req.n_in = 1;
	req.in_len = 1;
	CHECK_EQ(blk_parse(&req, 1000, &out), BLK_PARSE_IOERR);
	req.n_out--;					/* exactly BLK_SEG_MAX */
	req.out_len -= 512;
	req.iov[req.n_out] = (struct iovec){ &status, 1 };
	CHECK_EQ(blk_parse(&req, 1000, &out), BLK_PARSE_OK);
	CHECK_EQ(out.n_data, BLK_SEG_MAX);
}

UNIT_TESTS(TEST(read_write_ok), TEST(header_split_across_descriptors), TEST(rejected),
	   TEST(too_many_segments));

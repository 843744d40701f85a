// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a guest that controls every byte of its rings and
 * descriptors. The walker and the virtio-blk request parser must never
 * hand out memory outside guest RAM, loop, or crash.
 */
#include <stdlib.h>

#include "../unit/vq_fixture.h"
#include "virtio/blk_req.h"

static struct fixture *f;
static struct vq_req req;
static struct blk_req breq;

static void check_inside_ram(const void *p, size_t len)
{
	const u8 *b = p;

	if (b < f->ram || b + len > f->ram + FX_RAM_SIZE || b + len < b)
		__builtin_trap();
}

static void consume(void)
{
	volatile u8 sink = 0;

	for (unsigned int i = 0; i < req.n_out + req.n_in; i++) {
		const u8 *b = req.iov[i].iov_base;

		check_inside_ram(b, req.iov[i].iov_len);
		if (req.iov[i].iov_len)
			sink ^= b[0] ^ b[req.iov[i].iov_len - 1];
	}
	if (blk_parse(&req, 1 << 20, &breq) != BLK_PARSE_DROP) {
		check_inside_ram(breq.status, 1);
		*breq.status = 0;
		for (unsigned int i = 0; i < breq.n_data; i++)
			check_inside_ram(breq.data[i].iov_base, breq.data[i].iov_len);
	}
	(void)sink;
}

/*
 * Input: [num][flags][avail idx, 2 bytes][avail ring entries][descriptors]
 * [indirect tables and data...]. Unless flags bit 2 is set, descriptor
 * addresses are taken relative to RAM (and may run past its end), so the
 * fuzzer reaches deep chains quickly; with it they are raw 64-bit values.
 */
static void lay_out(const uint8_t *data, size_t size, u16 num, bool raw)
{
	struct vring_avail *avail = fx_avail(f);
	struct vring_desc *desc = fx_desc(f);
	size_t n;

	n = MIN(size, (size_t)(2 + 2 * num));
	memcpy(&avail->idx, data, n);
	data += n;
	size -= n;
	n = MIN(size, (size_t)16 * num);
	memcpy(desc, data, n);
	data += n;
	size -= n;
	memcpy(fx_ptr(f, FX_DATA), data, MIN(size, (size_t)(FX_RAM_SIZE - (FX_DATA - FX_RAM_BASE))));
	if (raw)
		return;
	for (u16 i = 0; i < num; i++)
		desc[i].addr = htole64(FX_RAM_BASE + (le64toh(desc[i].addr) & 0x7ffff));
	/* Indirect tables in the data area get the same treatment. */
	for (struct vring_desc *d = fx_ptr(f, FX_DATA);
	     (u8 *)(d + 1) <= f->ram + FX_RAM_SIZE; d++)
		d->addr = htole64(FX_RAM_BASE + (le64toh(d->addr) & 0x7ffff));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	u16 num;

	if (size < 2)
		return 0;
	if (!f)
		f = aligned_alloc(4096, sizeof(*f));
	memset(f->ram, 0, FX_RAM_SIZE);
	num = 1 << (data[0] % 9);	/* 1..256 */
	if (fx_init(f, num, data[1] & 1, data[1] & 2))
		return 0;
	lay_out(data + 2, size - 2, num, data[1] & 4);

	/* Twice around the ring: more than the guest could legally offer. */
	for (int i = 0; i < 2 * num + 2; i++) {
		enum vq_pop r = vq_pop(&f->vq, &req, &why);

		if (r == VQ_EMPTY || r == VQ_BROKEN)
			break;
		if (r == VQ_GOT) {
			consume();
			vq_push(&f->vq, req.head, req.in_len);
		}
		vq_should_notify(&f->vq);
	}
	vq_enable_kick_and_recheck(&f->vq);
	return 0;
}

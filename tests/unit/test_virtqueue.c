// SPDX-License-Identifier: GPL-2.0-only
/* The split-ring walker against well-formed and hostile guests. */
#include <stdlib.h>

#include "harness.h"
#include "vq_fixture.h"

#define F_NEXT	VRING_DESC_F_NEXT
#define F_WRITE	VRING_DESC_F_WRITE
#define F_IND	VRING_DESC_F_INDIRECT

static struct fixture *fx(void)
{
	static struct fixture *f;

	if (!f)
		f = aligned_alloc(4096, sizeof(*f));
	memset(f->ram, 0, sizeof(f->ram));
	return f;
}

static struct vq_req req;

static enum vq_pop pop(struct fixture *f, const char **why)
{
	*why = "";
	return vq_pop(&f->vq, &req, why);
}

static void enable_checks(void)
{
	struct fixture *f = fx();

	CHECK(!fx_init(f, 16, false, false));
	CHECK(fx_init(f, 0, false, false));
	CHECK(fx_init(f, 12, false, false));		/* not a power of 2 */
	CHECK(fx_init(f, 32768, false, false));		/* rings past the end of RAM */
	CHECK(fx_init(f, 65535, false, false));		/* not a power of 2 either */
	f->vq.num = 16;
	f->vq.desc_gpa = FX_DESC + 8;			/* misaligned */
	CHECK(vq_enable(&f->vq, &f->vm));
	f->vq.desc_gpa = FX_RAM_BASE - 0x100;		/* below RAM */
	CHECK(vq_enable(&f->vq, &f->vm));
	f->vq.desc_gpa = FX_DESC;
	f->vq.used_gpa = ~0ULL - 0x1f;			/* wraps around */
	CHECK(vq_enable(&f->vq, &f->vm));
}

static void good_chain(void)
{
	struct fixture *f = fx();
	const char *why;

	fx_init(f, 16, false, false);
	fx_set_desc(f, 3, FX_DATA, 16, F_NEXT, 7);
	fx_set_desc(f, 7, FX_DATA + 0x100, 512, F_NEXT, 1);
	fx_set_desc(f, 1, FX_DATA + 0x400, 1, F_WRITE, 0);
	fx_publish(f, 3);
	CHECK_EQ(pop(f, &why), VQ_GOT);
	CHECK_EQ(req.head, 3);
	CHECK_EQ(req.n_out, 2);
	CHECK_EQ(req.n_in, 1);
	CHECK_EQ(req.out_len, 528);
	CHECK_EQ(req.in_len, 1);
	CHECK(req.iov[1].iov_base == fx_ptr(f, FX_DATA + 0x100));
	CHECK(req.iov[2].iov_base == fx_ptr(f, FX_DATA + 0x400));
	CHECK_EQ(pop(f, &why), VQ_EMPTY);

	vq_push(&f->vq, 3, 1);
	CHECK_EQ(le16toh(fx_used(f)->idx), 1);
	CHECK_EQ(le32toh(fx_used(f)->ring[0].id), 3);
	CHECK_EQ(le32toh(fx_used(f)->ring[0].len), 1);
}

/* A rejected chain is handed back with 0 bytes, and the queue goes on. */
static void expect_bad_chain(struct fixture *f, const char *reason)
{
	u16 used_before = le16toh(fx_used(f)->idx);
	const char *why;

	CHECK_EQ(pop(f, &why), VQ_BAD_CHAIN);
	if (!strstr(why, reason)) {
		printf("    expected '%s', got '%s'\n", reason, why);
		CHECK(strstr(why, reason));
	}
	CHECK_EQ(le16toh(fx_used(f)->idx), (u16)(used_before + 1));
	CHECK_EQ(le32toh(fx_used(f)->ring[used_before % f->vq.num].len), 0);
	CHECK(!f->vq.broken);
}

static void hostile_direct_chains(void)
{
	struct fixture *f = fx();

	fx_init(f, 16, false, false);
	fx_set_desc(f, 0, FX_DATA, 16, F_NEXT, 1);
	fx_set_desc(f, 1, FX_DATA, 16, F_NEXT, 0);	/* 0 -> 1 -> 0 ... */
	fx_publish(f, 0);
	expect_bad_chain(f, "loop");

	fx_set_desc(f, 2, FX_DATA, 16, F_NEXT, 16);	/* next past the table */
	fx_publish(f, 2);
	expect_bad_chain(f, "out of range");

	fx_set_desc(f, 3, FX_RAM_BASE + FX_RAM_SIZE - 8, 16, 0, 0);	/* runs off RAM */
	fx_publish(f, 3);
	expect_bad_chain(f, "outside guest RAM");

	fx_set_desc(f, 4, ~0ULL - 0xf, 0x100, 0, 0);	/* wraps around */
	fx_publish(f, 4);
	expect_bad_chain(f, "outside guest RAM");

	fx_set_desc(f, 5, 0x1000, 16, 0, 0);		/* below RAM (device space) */
	fx_publish(f, 5);
	expect_bad_chain(f, "outside guest RAM");

	fx_set_desc(f, 6, FX_DATA, 16, F_WRITE | F_NEXT, 7);
	fx_set_desc(f, 7, FX_DATA, 16, 0, 0);		/* readable after writable */
	fx_publish(f, 6);
	expect_bad_chain(f, "readable descriptor after a writable");

	fx_set_desc(f, 8, FX_DATA, 64, F_IND, 0);	/* indirect not negotiated */
	fx_publish(f, 8);
	expect_bad_chain(f, "indirect");
}

static void hostile_indirect_tables(void)
{
	struct fixture *f = fx();
	struct vring_desc *t = fx_ptr(f, FX_DATA);
	const char *why;

	fx_init(f, 16, true, false);
	/* A good table: 2 readable + 1 writable. */
	t[0] = (struct vring_desc){ htole64(FX_DATA + 0x1000), htole32(16), htole16(F_NEXT), htole16(1) };
	t[1] = (struct vring_desc){ htole64(FX_DATA + 0x2000), htole32(100), htole16(F_NEXT), htole16(2) };
	t[2] = (struct vring_desc){ htole64(FX_DATA + 0x3000), htole32(1), htole16(F_WRITE), 0 };
	fx_set_desc(f, 0, FX_DATA, 3 * 16, F_IND, 0);
	fx_publish(f, 0);
	CHECK_EQ(pop(f, &why), VQ_GOT);
	CHECK_EQ(req.n_out, 2);
	CHECK_EQ(req.n_in, 1);

	fx_set_desc(f, 0, FX_DATA, 3 * 16, F_IND | F_NEXT, 1);	/* INDIRECT with NEXT */
	fx_publish(f, 0);
	expect_bad_chain(f, "indirect descriptor with NEXT");

	fx_set_desc(f, 0, FX_DATA, 20, F_IND, 0);	/* not whole descriptors */
	fx_publish(f, 0);
	expect_bad_chain(f, "bad indirect");

	fx_set_desc(f, 0, FX_DATA, 0, F_IND, 0);	/* empty */
	fx_publish(f, 0);
	expect_bad_chain(f, "bad indirect");

	fx_set_desc(f, 0, FX_DATA, (VQ_MAX_SEGS + 1) * 16, F_IND, 0);	/* too long */
	fx_publish(f, 0);
	expect_bad_chain(f, "bad indirect");

	t[1].flags = htole16(F_IND);				/* nested */
	fx_set_desc(f, 0, FX_DATA, 3 * 16, F_IND, 0);
	fx_publish(f, 0);
	expect_bad_chain(f, "nested indirect");

	t[1] = (struct vring_desc){ htole64(FX_DATA + 0x2000), htole32(1), htole16(F_NEXT), htole16(0) };
	fx_publish(f, 0);					/* 0 -> 1 -> 0 */
	expect_bad_chain(f, "loop in indirect");

	t[1].next = htole16(3);					/* past the table */
	fx_publish(f, 0);
	expect_bad_chain(f, "indirect next out of range");

	fx_set_desc(f, 0, FX_RAM_BASE + FX_RAM_SIZE - 16, 32, F_IND, 0);	/* table off RAM */
	fx_publish(f, 0);
	expect_bad_chain(f, "indirect table outside guest RAM");
}

static void hostile_rings(void)
{
	struct fixture *f = fx();
	const char *why;

	fx_init(f, 16, false, false);
	fx_avail(f)->idx = htole16(17);			/* more than the queue holds */
	CHECK_EQ(pop(f, &why), VQ_BROKEN);
	CHECK(f->vq.broken);
	CHECK_EQ(pop(f, &why), VQ_EMPTY);		/* stays stopped */

	fx_init(f, 16, false, false);
	fx_avail(f)->ring[0] = htole16(16);		/* head out of range */
	fx_avail(f)->idx = htole16(1);
	CHECK_EQ(pop(f, &why), VQ_BROKEN);

	/* Wrapping 16-bit indices are fine. */
	fx_init(f, 16, false, false);
	f->vq.last_avail = 0xffff;
	fx_set_desc(f, 0, FX_DATA, 8, 0, 0);
	fx_avail(f)->ring[0xffff % 16] = 0;
	fx_avail(f)->ring[0] = 0;
	fx_avail(f)->idx = htole16(1);
	CHECK_EQ(pop(f, &why), VQ_GOT);
	CHECK_EQ(pop(f, &why), VQ_GOT);
	CHECK_EQ(pop(f, &why), VQ_EMPTY);
}

static void chain_length_bounded(void)
{
	struct fixture *f = fx();
	struct vring_desc *t = fx_ptr(f, FX_DATA);
	const char *why;

	/* A full-size indirect table is fine... */
	fx_init(f, 16, true, false);
	for (int i = 0; i < VQ_MAX_SEGS; i++)
		t[i] = (struct vring_desc){ htole64(FX_DATA + 0x8000), htole32(1),
					    htole16(i + 1 < VQ_MAX_SEGS ? F_NEXT : 0), htole16(i + 1) };
	fx_set_desc(f, 0, FX_DATA, VQ_MAX_SEGS * 16, F_IND, 0);
	fx_publish(f, 0);
	CHECK_EQ(pop(f, &why), VQ_GOT);
	CHECK_EQ(req.n_out, VQ_MAX_SEGS);

	/* ...one more direct descriptor before it is not. */
	fx_set_desc(f, 1, FX_DATA + 0x8000, 1, F_NEXT, 0);
	fx_publish(f, 1);
	expect_bad_chain(f, "too long");
}

static void notify_suppression(void)
{
	struct fixture *f = fx();
	u16 *used_event;

	fx_init(f, 16, false, false);
	CHECK(vq_should_notify(&f->vq));
	fx_avail(f)->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	CHECK(!vq_should_notify(&f->vq));

	fx_init(f, 16, false, true);
	used_event = &fx_avail(f)->ring[16];
	vq_push(&f->vq, 0, 0);
	CHECK(vq_should_notify(&f->vq));		/* the first one always */
	*used_event = htole16(5);			/* wake me when used passes 5 */
	vq_push(&f->vq, 0, 0);				/* used_idx 2 */
	CHECK(!vq_should_notify(&f->vq));
	for (int i = 0; i < 4; i++)
		vq_push(&f->vq, 0, 0);			/* used_idx 6: crossed 5 */
	CHECK(vq_should_notify(&f->vq));

	/* Re-arming a kick writes avail_event and sees a racing request. */
	CHECK(!vq_enable_kick_and_recheck(&f->vq));
	CHECK_EQ(*(u16 *)&fx_used(f)->ring[16], f->vq.last_avail);
	fx_set_desc(f, 0, FX_DATA, 8, 0, 0);
	fx_publish(f, 0);
	CHECK(vq_enable_kick_and_recheck(&f->vq));
}

UNIT_TESTS(TEST(enable_checks), TEST(good_chain), TEST(hostile_direct_chains),
	   TEST(hostile_indirect_tables), TEST(hostile_rings), TEST(chain_length_bounded),
	   TEST(notify_suppression));

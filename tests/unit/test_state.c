// SPDX-License-Identifier: GPL-2.0-only
/* Saved state: the record itself, and a virtio device's common part through it. */
#include <stdlib.h>

#include "gicvm/state.h"
#include "harness.h"
#include "virtio/virtio.h"
#include "vq_fixture.h"

static void record_round_trip(void)
{
	struct state w, r;
	u8 blob[3] = { 1, 2, 3 }, back[3];

	state_init(&w);
	state_put_tag(&w, "TEST");
	state_put(&w, 0x1122, 2);
	for (int i = 0; i < 100; i++)		/* past the first allocation */
		state_put(&w, 0x0102030405060708ULL + i, 8);
	state_put_bytes(&w, blob, 3);
	CHECK(state_ok(&w));

	state_init_read(&r, w.buf, w.len);
	state_expect_tag(&r, "TEST");
	CHECK_EQ(state_get(&r, 2), 0x1122);
	for (int i = 0; i < 100; i++)
		CHECK_EQ(state_get(&r, 8), 0x0102030405060708ULL + i);
	state_get_bytes(&r, back, 3);
	CHECK(state_ok(&r) && !memcmp(back, blob, 3));
	CHECK_EQ(state_get(&r, 1), 0);		/* past the end */
	CHECK(!state_ok(&r));

	state_init_read(&r, w.buf, w.len);
	state_expect_tag(&r, "TSET");
	CHECK(!state_ok(&r));
	state_init_read(&r, w.buf, w.len);
	state_expect_tag(&r, "TEST");
	CHECK_EQ(state_get_max(&r, 2, 0x1000), 0);	/* 0x1122 is over the bound */
	CHECK(!state_ok(&r));
	state_free(&w);
}

static const struct virtio_ops dev_ops = {
	.name = "virtio-test",
	.device_id = 4,
	.features = 1ULL << 3,
	.num_queues = 2,
	.queue_size = 16,
	.config_size = 8,
};

static struct fixture *fx;

/* A device as a driver left it: queue 0 live with some history, queue 1 not. */
static void make_device(struct virtio_device *vdev)
{
	memset(vdev, 0, sizeof(*vdev));
	vdev->ops = &dev_ops;
	vdev->vm = &fx->vm;
	vdev->num_queues = dev_ops.num_queues;
	vdev->vqs[0] = fx->vq;
	vdev->vqs[1].num = 16;
}

static void save(struct virtio_device *vdev, struct state *s)
{
	state_init(s);
	CHECK(!virtio_save(vdev, s));
}

/* Restore @s into a fresh device: 0, -1 refused silently, -2 refused with a message. */
static int restore_from(const struct state *s, struct virtio_device *into)
{
	struct state r;
	const char *err;
	int rc;

	memset(into, 0, sizeof(*into));
	into->ops = &dev_ops;
	into->vm = &fx->vm;
	into->num_queues = dev_ops.num_queues;
	state_init_read(&r, s->buf, s->len);
	stderr_capture_begin();
	rc = virtio_restore(into, &r);
	err = stderr_capture_end();
	return rc ? (err[0] ? -2 : -1) : 0;
}

static void virtio_round_trip(void)
{
	struct virtio_device vdev, back;
	struct state s;

	CHECK(!fx_init(fx, 16, true, true));
	make_device(&vdev);
	vdev.status = 0xf;
	vdev.features = (1ULL << 32) | (1ULL << 3);
	memcpy(vdev.config, "gicvm!!!", 8);
	vdev.vqs[0].last_avail = 7;
	vdev.vqs[0].used_idx = 6;
	vdev.vqs[0].signalled_used = 5;
	vdev.vqs[0].signalled_valid = true;
	save(&vdev, &s);

	CHECK_EQ(restore_from(&s, &back), 0);
	CHECK_EQ(back.status, 0xf);
	CHECK_EQ(back.features, vdev.features);
	CHECK(!memcmp(back.config, "gicvm!!!", 8));
	CHECK(back.vqs[0].ready && back.vqs[0].num == 16);
	CHECK(back.vqs[0].event_idx && back.vqs[0].indirect);
	CHECK_EQ(back.vqs[0].last_avail, 7);
	CHECK_EQ(back.vqs[0].used_idx, 6);
	CHECK_EQ(back.vqs[0].signalled_used, 5);
	CHECK(back.vqs[0].signalled_valid);
	/* The host's views of the rings are remade, into guest RAM. */
	CHECK(back.vqs[0].desc == fx_ptr(fx, FX_DESC) && back.vqs[0].used == fx_ptr(fx, FX_USED));
	CHECK(!back.vqs[1].ready && back.vqs[1].num == 16);
	state_free(&s);
}

static void virtio_refusals(void)
{
	struct virtio_device vdev, back;
	struct state s;

	CHECK(!fx_init(fx, 16, false, false));
	make_device(&vdev);
	vdev.features = 1ULL << 32;

	/* A live queue's rings moved outside RAM. */
	vdev.vqs[0].desc_gpa = FX_RAM_BASE - 0x1000;
	save(&vdev, &s);
	CHECK_EQ(restore_from(&s, &back), -2);
	state_free(&s);

	/* Truncated. */
	vdev.vqs[0].desc_gpa = FX_DESC;
	save(&vdev, &s);
	s.len -= 3;
	CHECK_EQ(restore_from(&s, &back), -2);
	state_free(&s);

	/* A feature this device never offered: another device's record. */
	vdev.features |= 1ULL << 5;
	save(&vdev, &s);
	CHECK_EQ(restore_from(&s, &back), -2);
	state_free(&s);

	/* A live queue bigger than the device's. */
	vdev.features = 1ULL << 32;
	vdev.vqs[0].num = 32;
	save(&vdev, &s);
	CHECK_EQ(restore_from(&s, &back), -2);
	state_free(&s);

	/* An idle queue keeps whatever size the driver wrote. */
	vdev.vqs[0].num = 16;
	vdev.vqs[1].num = 0x8000;
	save(&vdev, &s);
	CHECK_EQ(restore_from(&s, &back), 0);
	CHECK_EQ(back.vqs[1].num, 0x8000);
	state_free(&s);

	/* Queues with a backend cannot be saved. */
	vdev.handed_over = 1;
	state_init(&s);
	stderr_capture_begin();
	CHECK(virtio_save(&vdev, &s));
	CHECK(strstr(stderr_capture_end(), "backend"));
	state_free(&s);
}

static void setup(void)
{
	if (!fx)
		fx = aligned_alloc(4096, sizeof(*fx));
	memset(fx->ram, 0, sizeof(fx->ram));
}

static void t_record(void) { record_round_trip(); }
static void t_round_trip(void) { setup(); virtio_round_trip(); }
static void t_refusals(void) { setup(); virtio_refusals(); }

UNIT_TESTS(TEST(t_record), TEST(t_round_trip), TEST(t_refusals));

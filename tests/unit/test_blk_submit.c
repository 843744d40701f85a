// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk when the kernel will not take a request: io_submit fails (as
 * it may with EAGAIN when its AIO resources run short under load). The
 * request is still done, and the guest sees the disk's data and an OK, not
 * an I/O error; requests the kernel does take go on as before.
 */
#include <errno.h>
#include <libaio.h>
#include <linux/virtio_blk.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_host.h"
#include "gicvm/config.h"
#include "gicvm/device.h"
#include "harness.h"
#include "virtio/blk.h"
#include "virtio/virtio.h"
#include "vq_fixture.h"

#define IMAGE_SIZE	(64 * 1024)
#define HDR		(FX_DATA + 0x0000)
#define BUF		(FX_DATA + 0x1000)
#define STATUS		(FX_DATA + 0x3000)

static int submit_refusals;	/* io_submit calls still to refuse */
static unsigned int submit_calls;

/* libaio's io_submit, as the device code links it: refuses on demand. */
int io_submit(io_context_t ctx, long nr, struct iocb **ios)
{
	long r;

	submit_calls++;
	if (submit_refusals > 0) {
		submit_refusals--;
		return -EAGAIN;
	}
	r = syscall(__NR_io_submit, ctx, nr, ios);
	return r < 0 ? -errno : (int)r;
}

static struct fixture fx;
static struct vm_config cfg = { .transport = TRANSPORT_MMIO };
static struct virtio_blk blk;
static struct virtio_ops ops;
static struct disk_config disk;
static u8 image[IMAGE_SIZE];

/* A fresh disk holding a known pattern, its one queue live in the fixture's rings. */
static void setup(void)
{
	struct virtqueue *vq;

	for (unsigned int i = 0; i < IMAGE_SIZE; i++)
		image[i] = (u8)(i * 7 + i / 512);
	snprintf(disk.path, sizeof(disk.path), "%s", unit_temp_file("disk.img", image, IMAGE_SIZE));
	memset(&blk, 0, sizeof(blk));
	fake_host_reset();
	CHECK(!fx_init(&fx, 16, false, false));
	memset(fx.ram, 0, sizeof(fx.ram));
	fx.vm.cfg = &cfg;
	CHECK(!blk_setup(&blk, &ops, &disk, 0, 1));
	CHECK(!virtio_device_add(&fx.vm, &blk.vdev));
	CHECK(!devices_start(&fx.vm));	/* its interrupt's irqfd, its kick's ioeventfd */
	vq = &blk.vdev.vqs[0];
	vq->num = 16;
	vq->desc_gpa = FX_DESC;
	vq->avail_gpa = FX_AVAIL;
	vq->used_gpa = FX_USED;
	CHECK(!vq_enable(vq, &fx.vm));
	vq->ready = true;
}

static void teardown(void)
{
	io_destroy(blk.aio);
	close(blk.fd);
	close(blk.done.fd);
	pthread_mutex_destroy(&blk.vdev.lock);
	free(blk.vdev.transport);
}

/* The guest posts one request of @type at @sector with a 4 KiB buffer (none for FLUSH). */
static void post(u32 type, u64 sector)
{
	struct virtio_blk_outhdr h = { .type = htole32(type), .sector = htole64(sector) };
	bool data = type != VIRTIO_BLK_T_FLUSH;
	u16 in = type == VIRTIO_BLK_T_IN ? VRING_DESC_F_WRITE : 0;

	memcpy(fx_ptr(&fx, HDR), &h, sizeof(h));
	*(u8 *)fx_ptr(&fx, STATUS) = 0xff;
	fx_set_desc(&fx, 0, HDR, sizeof(h), VRING_DESC_F_NEXT, 1);
	if (data)
		fx_set_desc(&fx, 1, BUF, 4096, in | VRING_DESC_F_NEXT, 2);
	fx_set_desc(&fx, data ? 2 : 1, STATUS, 1, VRING_DESC_F_WRITE, 0);
	fx_publish(&fx, 0);
}

/* The queue is kicked; then completions, as the I/O loop would see them. */
static void kick_and_complete(u16 used_before)
{
	struct pollfd p = { .fd = blk.done.fd, .events = POLLIN };

	pthread_mutex_lock(&blk.vdev.lock);
	blk.vdev.ops->notify(&blk.vdev, 0);
	pthread_mutex_unlock(&blk.vdev.lock);
	while (le16toh(fx_used(&fx)->idx) == used_before && poll(&p, 1, 5000) == 1)
		blk.done.fn(blk.done.opaque);
	CHECK_EQ(le16toh(fx_used(&fx)->idx), used_before + 1);
	CHECK_EQ(blk.inflight, 0);
}

static void check_read(int refusals)
{
	setup();
	submit_refusals = refusals;
	submit_calls = 0;
	post(VIRTIO_BLK_T_IN, 3);
	kick_and_complete(0);
	CHECK(submit_calls > 0);
	CHECK_EQ(*(u8 *)fx_ptr(&fx, STATUS), VIRTIO_BLK_S_OK);
	CHECK(!memcmp(fx_ptr(&fx, BUF), image + 3 * 512, 4096));
	CHECK_EQ(le32toh(fx_used(&fx)->ring[0].len), 4096 + 1);
	CHECK(fake_host.signals > 0);	/* the guest was told */
	teardown();
}

static void read_refused_by_io_submit(void)
{
	check_read(1);
}

static void read_taken_by_io_submit(void)
{
	check_read(0);
}

static void write_refused_by_io_submit(void)
{
	u8 back[4096];

	setup();
	memset(fx_ptr(&fx, BUF), 0x5a, 4096);
	submit_refusals = 1;
	post(VIRTIO_BLK_T_OUT, 8);
	kick_and_complete(0);
	CHECK_EQ(*(u8 *)fx_ptr(&fx, STATUS), VIRTIO_BLK_S_OK);
	CHECK_EQ(pread(blk.fd, back, sizeof(back), 8 * 512), sizeof(back));
	CHECK_EQ(back[0], 0x5a);
	CHECK_EQ(back[4095], 0x5a);
	/* Then a FLUSH, refused too: done at once as well. */
	submit_refusals = 1;
	post(VIRTIO_BLK_T_FLUSH, 0);
	kick_and_complete(1);
	CHECK_EQ(*(u8 *)fx_ptr(&fx, STATUS), VIRTIO_BLK_S_OK);
	teardown();
}

UNIT_TESTS(TEST(read_refused_by_io_submit), TEST(read_taken_by_io_submit),
	   TEST(write_refused_by_io_submit));

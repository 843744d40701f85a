// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: virtio-blk driven by a
 * guest through virtio-mmio (mmio_driver.h), with 1 to 3 queues, on a
 * real 1 MiB image on tmpfs through Linux AIO, as in gicvm: reads,
 * writes, flushes, IDs, discards and zeroes really happen. The backend
 * records are the I/O loop seeing the completion eventfd. Nothing may
 * crash or touch memory outside guest RAM, a read-only disk is never
 * written, and nothing is left in flight once the device is reset.
 *
 * Input: one byte (bits 0-1: queues - 1, bit 2: read-only), then records.
 */
#include <stdlib.h>

#include "mmio_driver.h"
#include "virtio/blk.h"

static struct virtio_blk blk;
static struct virtio_ops ops;
static struct disk_config disk;
#define IMAGE_SIZE	(1 << 20)

static u8 image_before[IMAGE_SIZE], image_now[IMAGE_SIZE];

static void open_image(void)
{
	char path[] = "/dev/shm/gicvm-fuzz-blk-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || ftruncate(fd, IMAGE_SIZE))
		abort();
	close(fd);
	strcpy(disk.path, path);
	if (blk_setup(&blk, &ops, &disk, 0, 1))
		abort();
	unlink(path);
}

static void completions(const unsigned char rec[8])
{
	blk.done.fn(blk.done.opaque);	/* as the I/O loop would, readable or not */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct mmio_target *m;
	u64 count;

	if (!blk.aio)
		open_image();
	if (size < 1)
		return 0;
	/* A fresh device on the same image, AIO context and eventfd. */
	memset(&blk.vdev, 0, sizeof(blk.vdev));
	memset(blk.slots, 0, sizeof(blk.slots));
	blk.inflight = 0;
	disk.readonly = data[0] & 4;
	blk_layout(&blk, &ops, 1 + data[0] % 3);
	if (disk.readonly && pread(blk.fd, image_before, IMAGE_SIZE, 0) != IMAGE_SIZE)
		abort();

	m = mmio_driver_start(&blk.vdev);
	mmio_driver_run(m, &blk.vdev, data + 1, size - 1, completions);
	pthread_mutex_lock(&blk.vdev.lock);
	blk.vdev.ops->reset(&blk.vdev);
	pthread_mutex_unlock(&blk.vdev.lock);
	if (blk.inflight)
		__builtin_trap();
	while (read(blk.done.fd, &count, sizeof(count)) > 0)
		;
	mmio_driver_stop(&blk.vdev);

	if (disk.readonly && (pread(blk.fd, image_now, IMAGE_SIZE, 0) != IMAGE_SIZE ||
			      memcmp(image_now, image_before, IMAGE_SIZE)))
		__builtin_trap();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-durable: the guest half of the durability test. Writes 4 KiB
 * records to a disk with O_DIRECT, one after another, and after every
 * FLUSH_EVERY of them fsync()s the disk (a virtio-blk FLUSH) and says
 *
 *   gicvm-durable: flushed ROUND SEQ
 *
 * meaning records 0..SEQ of this ROUND are on the disk as far as the guest
 * can know. The host kills gicvm (SIGKILL) after such a line and checks
 * that every one of those records is in the image. Each record begins
 * "gicvm-record ROUND SEQ" and is filled with a pattern of both.
 *
 *   gicvm-durable DEV ROUND MAX_RECORDS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD		4096
#define FLUSH_EVERY	8

int main(int argc, char **argv)
{
	long round, max;
	char *rec;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: gicvm-durable DEV ROUND MAX_RECORDS\n");
		return 2;
	}
	round = atol(argv[2]);
	max = atol(argv[3]);
	fd = open(argv[1], O_WRONLY | O_DIRECT);
	if (fd < 0 || posix_memalign((void **)&rec, RECORD, RECORD)) {
		fprintf(stderr, "gicvm-durable: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (long seq = 0; seq < max; seq++) {
		memset(rec, (int)(round * 31 + seq), RECORD);
		snprintf(rec, 64, "gicvm-record %ld %ld\n", round, seq);
		if (pwrite(fd, rec, RECORD, seq * RECORD) != RECORD) {
			fprintf(stderr, "gicvm-durable: write %ld: %s\n", seq, strerror(errno));
			return 1;
		}
		if (seq % FLUSH_EVERY != FLUSH_EVERY - 1)
			continue;
		if (fsync(fd)) {
			fprintf(stderr, "gicvm-durable: fsync: %s\n", strerror(errno));
			return 1;
		}
		printf("gicvm-durable: flushed %ld %ld\n", round, seq);
		fflush(stdout);
	}
	return 0;
}

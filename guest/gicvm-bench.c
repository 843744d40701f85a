// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-bench: the guest half of `make bench`. Each mode measures one thing
 * and prints one line, "gicvm-bench: MODE key=value ...", which the host
 * side turns into JSON. Times are the guest's own (CLOCK_MONOTONIC, or the
 * generic timer's counter); only ratios between runs mean much under
 * emulation.
 *
 *   gicvm-bench boot                  (as /init, rdinit=/bin/gicvm-bench)
 *       the counter at the first userspace instruction, then power off
 *       (with "-- hold" after rdinit: after a line on the console)
 *   gicvm-bench blk DEV PATTERN QD SECONDS
 *       4 KiB O_DIRECT I/O with Linux AIO: PATTERN is seq-read, seq-write,
 *       rand-read or rand-write, QD requests kept in flight
 *   gicvm-bench blk-lat DEV COUNT
 *       one 4 KiB O_DIRECT read at a time: a virtio request's round trip,
 *       kick to completion interrupt
 *   gicvm-bench ipi COUNT
 *       membarrier() while a thread spins on another CPU: an IPI's round trip
 *   gicvm-bench tcp-sink PORT        gicvm-bench tcp-source HOST PORT MIB
 *       TCP throughput; the sink reports what it received and how fast
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libaio.h>
#include <linux/fs.h>
#include <linux/membarrier.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BLOCK		4096
#define MAX_QD		64

static void die(const char *what)
{
	fprintf(stderr, "gicvm-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t counter_hz(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long number(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < min || v > max) {
		fprintf(stderr, "gicvm-bench: '%s' is not a number in %ld..%ld\n", s, min, max);
		exit(2);
	}
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print min/median/p99 of @n samples (nanoseconds) after @label. */
static void print_latency(const char *label, uint64_t *ns, long n)
{
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("gicvm-bench: %s count=%ld min_ns=%llu median_ns=%llu p99_ns=%llu\n", label, n,
	       (unsigned long long)ns[0], (unsigned long long)ns[n / 2],
	       (unsigned long long)ns[n * 99 / 100]);
}

/*
 * As init: the earliest moment userspace exists, then power off; with
 * "hold" (rdinit=/bin/gicvm-bench -- hold) wait there for a line on the
 * console first: the point a snapshot is taken at, and a clone resumed.
 */
static int boot(bool hold)
{
	uint64_t first = counter();
	char c;

	printf("gicvm-bench: %s first_user_counter=%llu counter_hz=%llu\n", hold ? "hold" : "boot",
	       (unsigned long long)first, (unsigned long long)counter_hz());
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	if (hold && read(STDIN_FILENO, &c, 1) == 1) {
		printf("gicvm-bench: resumed counter=%llu\n", (unsigned long long)counter());
		fflush(stdout);
		tcdrain(STDOUT_FILENO);
	}
	reboot(RB_POWER_OFF);
	die("reboot");
	return 1;
}

static int open_disk(const char *dev, int flags, uint64_t *blocks)
{
	uint64_t bytes;
	int fd = open(dev, flags | O_DIRECT);

	if (fd < 0)
		die(dev);
	if (ioctl(fd, BLKGETSIZE64, &bytes) || bytes < BLOCK)
		die("BLKGETSIZE64");
	*blocks = bytes / BLOCK;
	return fd;
}

/* A tiny xorshift: the random pattern's offsets, the same every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct blk_job {
	int fd;
	uint64_t blocks, next_seq, rng;
	bool random, write;
};

static void prep(struct blk_job *j, struct iocb *cb, void *buf)
{
	uint64_t block = j->random ? next_random(&j->rng) % j->blocks : j->next_seq++ % j->blocks;

	if (j->write)
		io_prep_pwrite(cb, j->fd, buf, BLOCK, block * BLOCK);
	else
		io_prep_pread(cb, j->fd, buf, BLOCK, block * BLOCK);
	cb->data = buf;
}

static int blk(const char *dev, const char *pattern, long qd, long seconds)
{
	struct blk_job j = { .rng = 0x9e3779b97f4a7c15ULL };
	struct iocb cbs[MAX_QD], *list[MAX_QD];
	struct io_event ev[MAX_QD];
	io_context_t ctx = 0;
	long done = 0, errors = 0;
	double start, end, elapsed;
	char *bufs;

	if (strcmp(pattern, "seq-read") && strcmp(pattern, "seq-write") &&
	    strcmp(pattern, "rand-read") && strcmp(pattern, "rand-write")) {
		fprintf(stderr, "gicvm-bench: no pattern '%s'\n", pattern);
		return 2;
	}
	j.random = !strncmp(pattern, "rand-", 5);
	j.write = strstr(pattern, "write") != NULL;
	j.fd = open_disk(dev, j.write ? O_RDWR : O_RDONLY, &j.blocks);
	if (posix_memalign((void **)&bufs, BLOCK, qd * BLOCK))
		die("posix_memalign");
	memset(bufs, 0x5a, qd * BLOCK);
	if (io_setup(qd, &ctx))
		die("io_setup");
	for (long i = 0; i < qd; i++) {
		prep(&j, &cbs[i], bufs + i * BLOCK);
		list[i] = &cbs[i];
	}
	start = now();
	end = start + seconds;
	if (io_submit(ctx, qd, list) != qd)
		die("io_submit");
	for (long inflight = qd; inflight;) {
		int n = io_getevents(ctx, 1, qd, ev, NULL);
		bool more = now() < end;

		if (n < 0)
			die("io_getevents");
		inflight -= n;
		for (int i = 0; i < n; i++) {
			struct iocb *cb = ev[i].obj;

			if (ev[i].res != BLOCK)
				errors++;
			done++;
			if (!more)
				continue;
			prep(&j, cb, cb->data);
			if (io_submit(ctx, 1, &cb) != 1)
				die("io_submit");
			inflight++;
		}
	}
	elapsed = now() - start;
	printf("gicvm-bench: blk pattern=%s qd=%ld ios=%ld errors=%ld iops=%.0f mib_s=%.2f\n",
	       pattern, qd, done, errors, done / elapsed, done * (double)BLOCK / elapsed / 1048576);
	io_destroy(ctx);
	close(j.fd);
	return errors ? 1 : 0;
}

static int blk_lat(const char *dev, long count)
{
	uint64_t blocks, *ns = calloc(count, sizeof(*ns));
	int fd = open_disk(dev, O_RDONLY, &blocks);
	void *buf;

	if (!ns || posix_memalign(&buf, BLOCK, BLOCK))
		die("memory");
	for (long i = 0; i < count; i++) {
		double t = now();

		if (pread(fd, buf, BLOCK, (i % blocks) * BLOCK) != BLOCK)
			die("pread");
		ns[i] = (now() - t) * 1e9;
	}
	print_latency("blk-lat", ns, count);
	return 0;
}

static atomic_bool stop_spinning;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* Keep CPU 1 running a thread of this process, so membarrier IPIs it. */
static void *spin(void *arg)
{
	pin(1);
	while (!atomic_load_explicit(&stop_spinning, memory_order_relaxed))
		;
	return NULL;
}

static int membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

static int ipi(long count)
{
	uint64_t *ns = calloc(count, sizeof(*ns));
	pthread_t t;

	if (!ns)
		die("memory");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "gicvm-bench: ipi needs two vCPUs\n");
		return 1;
	}
	pin(0);
	if (membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
		die("membarrier register");
	if (pthread_create(&t, NULL, spin, NULL))
		die("pthread_create");
	usleep(100000);	/* let the spinner reach CPU 1 */
	for (long i = 0; i < count; i++) {
		double start = now();

		if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED))
			die("membarrier");
		ns[i] = (now() - start) * 1e9;
	}
	atomic_store(&stop_spinning, true);
	pthread_join(t, NULL);
	print_latency("ipi", ns, count);
	return 0;
}

static int tcp_sink(long port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	static char buf[1 << 16];
	long long total = 0;
	double start = 0;
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0), c;
	ssize_t n;

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 1))
		die("listen");
	printf("gicvm-bench: tcp-sink listening port=%ld\n", port);
	fflush(stdout);
	c = accept(s, NULL, NULL);
	if (c < 0)
		die("accept");
	while ((n = read(c, buf, sizeof(buf))) > 0) {
		if (!total)
			start = now();
		total += n;
	}
	if (n < 0)
		die("read");
	printf("gicvm-bench: tcp-sink bytes=%lld mib_s=%.2f\n", total,
	       total ? total / (now() - start) / 1048576 : 0);
	close(c);
	close(s);
	return 0;
}

static int tcp_source(const char *host, long port, long mib)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	static char buf[1 << 16];
	int s = -1;

	if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "gicvm-bench: '%s' is not an IPv4 address\n", host);
		return 2;
	}
	/* The sink may not be listening yet (a guest still booting): try for a minute. */
	for (int i = 0; i < 600; i++) {
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || !connect(s, (struct sockaddr *)&a, sizeof(a)))
			break;
		close(s);
		s = -1;
		usleep(100000);
	}
	if (s < 0)
		die("connect");
	memset(buf, 0xa5, sizeof(buf));
	for (long long left = mib << 20; left > 0;) {
		ssize_t n = write(s, buf, left < (long long)sizeof(buf) ? left : (long long)sizeof(buf));

		if (n <= 0)
			die("write");
		left -= n;
	}
	close(s);
	printf("gicvm-bench: tcp-source bytes=%lld\n", (long long)mib << 20);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (getpid() == 1)
		return boot(!strcmp(mode, "hold"));
	if (!strcmp(mode, "blk") && argc == 6)
		return blk(argv[2], argv[3], number(argv[4], 1, MAX_QD), number(argv[5], 1, 600));
	if (!strcmp(mode, "blk-lat") && argc == 4)
		return blk_lat(argv[2], number(argv[3], 1, 1000000));
	if (!strcmp(mode, "ipi") && argc == 3)
		return ipi(number(argv[2], 1, 1000000));
	if (!strcmp(mode, "tcp-sink") && argc == 3)
		return tcp_sink(number(argv[2], 1, 65535));
	if (!strcmp(mode, "tcp-source") && argc == 5)
		return tcp_source(argv[2], number(argv[3], 1, 65535), number(argv[4], 1, 4096));
	fprintf(stderr, "usage: gicvm-bench boot | blk DEV PATTERN QD SECONDS | blk-lat DEV COUNT |"
		" ipi COUNT | tcp-sink PORT | tcp-source HOST PORT MIB\n");
	return 2;
}

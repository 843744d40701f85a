// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-hostile: a guest program that drives a virtio-mmio block device
 * from userspace (/dev/mem, after its kernel driver was unbound) the way a
 * buggy or hostile driver would, and touches guest-physical addresses
 * where no device is. Every attack is counted; gicvm must survive all
 * of them, refuse each, and the device must work again after a reset.
 *
 *   gicvm-hostile VIRTIO_MMIO_BASE   (sector 0 holds "gicvm-hostile-victim")
 *
 * Prints "gicvm-hostile: <attack>: <what happened>" per attack and ends
 * with "gicvm-hostile: tried=N refused=N device_ok=yes|no". Exits 0 only
 * if the device worked again at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define QSIZE		8
#define PAGE		4096
#define NPAGES		8

static uint64_t dev_base;		/* the device's guest-physical address */
static volatile uint8_t *regs;		/* its MMIO window */
static uint8_t *mem;			/* our pages: rings and buffers */
static uint64_t phys[NPAGES];		/* their guest-physical addresses */
static unsigned int tried, refused;

static struct vring_desc *desc;
static struct vring_avail *avail;
static struct vring_used *used;
static uint16_t avail_idx, used_seen;

static void die(const char *what)
{
	fprintf(stderr, "gicvm-hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint32_t rd(unsigned int off)
{
	return *(volatile uint32_t *)(regs + off);
}

static void wr(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(regs + off) = v;
}

static volatile void *map_phys(uint64_t addr, size_t len)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	uint64_t page = addr & ~(uint64_t)(PAGE - 1);
	void *p;

	if (fd < 0)
		die("/dev/mem");
	p = mmap(NULL, len + (addr - page), PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	if (p == MAP_FAILED)
		die("mmap /dev/mem");
	close(fd);
	return (volatile uint8_t *)p + (addr - page);
}

/* Our pages, pinned, and where they are in guest-physical memory. */
static void alloc_pages(void)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (posix_memalign((void **)&mem, PAGE, NPAGES * PAGE) || mlock(mem, NPAGES * PAGE))
		die("pinned memory");
	memset(mem, 0, NPAGES * PAGE);
	if (fd < 0)
		die("/proc/self/pagemap");
	for (int i = 0; i < NPAGES; i++) {
		uint64_t e;

		if (pread(fd, &e, 8, ((uintptr_t)mem / PAGE + i) * 8) != 8 || !(e & (1ULL << 63)))
			die("pagemap");
		phys[i] = (e & ((1ULL << 55) - 1)) * PAGE;
	}
	close(fd);
	desc = (void *)mem;
	avail = (void *)(mem + PAGE);
	used = (void *)(mem + 2 * PAGE);
}

/* Guest-physical address of a byte in our pages. */
static uint64_t pa(const void *p)
{
	size_t off = (const uint8_t *)p - mem;

	return phys[off / PAGE] + off % PAGE;
}

static void set_queue(uint16_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, num);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, d);
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, d >> 32);
	wr(VIRTIO_MMIO_QUEUE_AVAIL_LOW, a);
	wr(VIRTIO_MMIO_QUEUE_AVAIL_HIGH, a >> 32);
	wr(VIRTIO_MMIO_QUEUE_USED_LOW, u);
	wr(VIRTIO_MMIO_QUEUE_USED_HIGH, u >> 32);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
}

/* Reset and bring the device up with one queue of QSIZE; features as asked. */
static int init_device(uint64_t features)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	memset(mem, 0, 3 * PAGE);
	avail_idx = used_seen = 0;
	wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, features);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -1;
	set_queue(QSIZE, pa(desc), pa(avail), pa(used));
	wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
	return rd(VIRTIO_MMIO_QUEUE_READY) == 1 ? 0 : -1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Offer avail ring entry @head (after @extra_idx more), kick, wait a little. */
static void submit(uint16_t head, uint16_t extra_idx)
{
	avail->ring[avail_idx % QSIZE] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	avail_idx += 1 + extra_idx;
	avail->idx = avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	for (int i = 0; i < 50 && *(volatile uint16_t *)&used->idx == used_seen; i++)
		sleep_ms(2);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
}

/*
 * What the device made of the last attack: a completion (with this status
 * byte), nothing, or a request to be reset. All but "completed, OK" count
 * as refused.
 */
static void outcome(const char *attack, const volatile uint8_t *status)
{
	uint16_t now = *(volatile uint16_t *)&used->idx;
	const char *what;
	bool ok = false;

	tried++;
	if (rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET)
		what = "device needs reset";
	else if (now != used_seen && status && *status != VIRTIO_BLK_S_OK)
		what = "completed with an error status";
	else if (now != used_seen && !status)
		what = "completed, nothing done";
	else if (now != used_seen)
		what = "completed OK", ok = true;
	else
		what = "ignored";
	used_seen = now;
	if (!ok)
		refused++;
	printf("gicvm-hostile: %s: %s\n", attack, what);
	fflush(stdout);
}

/* Buffers for a blk request: header, data, status, in page 3 onwards. */
static struct virtio_blk_outhdr *hdr(void) { return (void *)(mem + 3 * PAGE); }
static uint8_t *data(void) { return mem + 4 * PAGE; }
static volatile uint8_t *status(void) { return mem + 3 * PAGE + 512; }

static void set_desc(int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	desc[i] = (struct vring_desc){ addr, len, flags, next };
}

/* A well-formed read of @sector: header, 512 bytes, status. */
static void good_read(uint64_t sector)
{
	*hdr() = (struct virtio_blk_outhdr){ VIRTIO_BLK_T_IN, 0, sector };
	*status() = 0xff;
	set_desc(0, pa(hdr()), sizeof(*hdr()), VRING_DESC_F_NEXT, 1);
	set_desc(1, pa(data()), 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	set_desc(2, pa((void *)status()), 1, VRING_DESC_F_WRITE, 0);
}

static void fresh(void)
{
	if (init_device(1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_RING_F_INDIRECT_DESC))
		printf("gicvm-hostile: could not re-initialise the device\n");
}

static void register_attacks(void)
{
	uint32_t magic = rd(VIRTIO_MMIO_MAGIC_VALUE), id = rd(VIRTIO_MMIO_DEVICE_ID);
	volatile uint8_t *b = regs;
	volatile uint64_t *q = (volatile uint64_t *)regs;

	/* Read-only registers written. */
	wr(VIRTIO_MMIO_MAGIC_VALUE, 0);
	wr(VIRTIO_MMIO_VERSION, 1);
	wr(VIRTIO_MMIO_DEVICE_ID, 0x99);
	wr(VIRTIO_MMIO_QUEUE_NUM_MAX, 0xffff);
	wr(VIRTIO_MMIO_INTERRUPT_STATUS, 0xffffffff);
	tried += 5;
	if (rd(VIRTIO_MMIO_MAGIC_VALUE) == magic && rd(VIRTIO_MMIO_DEVICE_ID) == id &&
	    rd(VIRTIO_MMIO_VERSION) == 2)
		refused += 5;
	printf("gicvm-hostile: writes to read-only registers: %s\n",
	       rd(VIRTIO_MMIO_MAGIC_VALUE) == magic ? "ignored" : "TOOK EFFECT");

	/* Wrong sizes: bytes, halves and doublewords where words belong. */
	(void)b[VIRTIO_MMIO_MAGIC_VALUE + 1];
	b[VIRTIO_MMIO_STATUS] = 0xff;
	(void)*(volatile uint16_t *)(regs + VIRTIO_MMIO_QUEUE_NUM_MAX);
	q[VIRTIO_MMIO_QUEUE_DESC_LOW / 8] = ~0ULL;
	(void)q[VIRTIO_MMIO_DEVICE_FEATURES / 8];
	/* Past the end of the device's config space, inside its window. */
	(void)q[0x1f8 / 8];
	q[0x1f8 / 8] = ~0ULL;
	tried += 7;
	if (rd(VIRTIO_MMIO_STATUS) != 0xff)
		refused += 7;
	printf("gicvm-hostile: wrong-size register accesses: status now %#x\n",
	       rd(VIRTIO_MMIO_STATUS));
}

static void queue_setup_attacks(void)
{
	static const struct { const char *name; uint16_t num; int bad; } cases[] = {
		{ "queue size 0", 0, 0 },
		{ "queue size above the maximum", 0x8000, 0 },
		{ "queue size not a power of 2", 3, 0 },
		{ "descriptor table outside RAM", QSIZE, 1 },
		{ "used ring on the device's own registers", QSIZE, 2 },
		{ "misaligned descriptor table", QSIZE, 3 },
		{ "available ring wrapping the address space", QSIZE, 4 },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t d = pa(desc), a = pa(avail), u = pa(used);

		wr(VIRTIO_MMIO_STATUS, 0);
		wr(VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
		wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
		wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);	/* VERSION_1 */
		wr(VIRTIO_MMIO_STATUS, rd(VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_FEATURES_OK);
		if (cases[i].bad == 1)
			d = 0x1000;
		else if (cases[i].bad == 2)
			u = dev_base;
		else if (cases[i].bad == 3)
			d += 2;
		else if (cases[i].bad == 4)
			a = ~0ULL - 8;
		set_queue(cases[i].num, d, a, u);
		tried++;
		if (rd(VIRTIO_MMIO_QUEUE_READY) != 1 ||
		    (rd(VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET)) {
			refused++;
			printf("gicvm-hostile: %s: refused\n", cases[i].name);
		} else {
			printf("gicvm-hostile: %s: ACCEPTED\n", cases[i].name);
		}
	}
}

static void descriptor_attacks(void)
{
	/* A loop: the chain's last descriptor points back to the first. */
	fresh();
	good_read(0);
	set_desc(2, pa((void *)status()), 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 0);
	submit(0, 0);
	outcome("descriptor loop", NULL);

	fresh();
	good_read(0);
	set_desc(1, 0x10, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	submit(0, 0);
	outcome("buffer outside guest RAM", NULL);

	fresh();
	good_read(0);
	set_desc(1, pa(data()), 0xffffffff, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	submit(0, 0);
	outcome("4 GiB buffer length", NULL);

	fresh();
	good_read(0);
	set_desc(1, ~0ULL - 0x100, 0x1000, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
	submit(0, 0);
	outcome("buffer wrapping the address space", NULL);

	fresh();
	good_read(0);
	set_desc(1, pa(data()), 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 200);
	submit(0, 0);
	outcome("next index out of range", NULL);

	fresh();
	good_read(0);
	set_desc(0, pa(hdr()), sizeof(*hdr()), VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	set_desc(1, pa(data()), 512, VRING_DESC_F_NEXT, 2);
	submit(0, 0);
	outcome("readable descriptor after a writable one", NULL);

	fresh();
	good_read(0);
	submit(QSIZE + 5, 0);
	outcome("available ring names descriptor past the table", NULL);

	fresh();
	good_read(0);
	submit(0, 1000);
	outcome("available index jumps 1000 ahead", NULL);

	/* Indirect tables: out of RAM, nested, and with NEXT set. */
	fresh();
	set_desc(0, 0x20, 3 * 16, VRING_DESC_F_INDIRECT, 0);
	submit(0, 0);
	outcome("indirect table outside guest RAM", NULL);

	fresh();
	good_read(0);
	memcpy(data() + 1024, desc, 3 * sizeof(*desc));
	set_desc(3, pa(data() + 1024), 3 * 16, VRING_DESC_F_INDIRECT, 0);
	((struct vring_desc *)(data() + 1024))[1].flags |= VRING_DESC_F_INDIRECT;
	submit(3, 0);
	outcome("nested indirect table", NULL);

	fresh();
	set_desc(0, pa(data() + 1024), 17, VRING_DESC_F_INDIRECT, 0);
	submit(0, 0);
	outcome("indirect table of a length not a multiple of 16", NULL);
}

static void request_attacks(void)
{
	static const struct { const char *name; uint32_t type; uint64_t sector; } cases[] = {
		{ "read far past the disk's end", VIRTIO_BLK_T_IN, 1ULL << 40 },
		{ "read whose last sector is past the end", VIRTIO_BLK_T_IN, ~0ULL },
		{ "unknown request type", 0x99, 0 },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fresh();
		good_read(0);
		hdr()->type = cases[i].type;
		hdr()->sector = cases[i].sector;
		submit(0, 0);
		outcome(cases[i].name, status());
	}

	fresh();
	good_read(0);
	set_desc(0, pa(hdr()), 8, VRING_DESC_F_NEXT, 1);
	submit(0, 0);
	outcome("request header cut short", status());

	fresh();
	good_read(0);
	set_desc(2, pa((void *)status()), 0, VRING_DESC_F_WRITE, 0);
	submit(0, 0);
	outcome("no room for the status byte", NULL);

	/* A notification for a queue the device does not have. */
	fresh();
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 7);
	outcome("notify for queue 7", NULL);
}

/* Accesses where no device is: below and between devices, and the PCI window unused. */
static void stray_mmio(void)
{
	static const uint64_t holes[] = { 0x0, 0x2000000, 0x0a000000, 0x20000000, 0x60000000 };

	for (unsigned int i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		volatile uint32_t *p = map_phys(holes[i], PAGE);
		uint32_t v = p[0];

		p[1] = 0xdeadbeef;
		tried += 2;
		if (!v && !p[1])
			refused += 2;
		printf("gicvm-hostile: MMIO where nothing is (%#llx): read %#x\n",
		       (unsigned long long)holes[i], v);
	}
}

int main(int argc, char **argv)
{
	uint64_t base;
	bool ok;

	if (argc != 2) {
		fprintf(stderr, "usage: gicvm-hostile VIRTIO_MMIO_BASE\n");
		return 2;
	}
	dev_base = base = strtoull(argv[1], NULL, 0);
	regs = map_phys(base, 0x200);
	if (rd(VIRTIO_MMIO_MAGIC_VALUE) != 0x74726976 || rd(VIRTIO_MMIO_DEVICE_ID) != 2) {
		fprintf(stderr, "gicvm-hostile: no virtio-blk at %#llx\n", (unsigned long long)base);
		return 2;
	}
	alloc_pages();
	register_attacks();
	queue_setup_attacks();
	descriptor_attacks();
	request_attacks();
	stray_mmio();

	/* After all that, a reset must give back a working device. */
	fresh();
	memset(data(), 0, 512);
	good_read(0);
	submit(0, 0);
	ok = *status() == VIRTIO_BLK_S_OK && !memcmp(data(), "gicvm-hostile-victim", 20);
	wr(VIRTIO_MMIO_STATUS, 0);
	printf("gicvm-hostile: tried=%u refused=%u device_ok=%s\n", tried, refused,
	       ok ? "yes" : "no");
	return ok ? 0 : 1;
}

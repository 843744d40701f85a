// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-hostile: a guest program that drives a virtio block device from
 * userspace (/dev/mem, after its kernel driver was unbound) the way a
 * buggy or hostile driver would, and touches guest-physical addresses
 * where no device is. Every attack is counted; gicvm must survive all
 * of them, refuse each, and the device must work again after a reset.
 *
 *   gicvm-hostile mmio VIRTIO_MMIO_BASE
 *   gicvm-hostile pci PCI_DEVICE_SYSFS_DIR
 *   (sector 0 of the disk holds "gicvm-hostile-victim")
 *   gicvm-hostile vhost PCI_DEVICE_SYSFS_DIR
 *   (a virtio-vsock whose queues gicvm hands to vhost at DRIVER_OK: bad
 *   rings must be refused before the hand-over, good ones handed over and
 *   taken back again and again)
 *   gicvm-hostile flood rng|console PCI_DEVICE_SYSFS_DIR
 *   (a virtio-rng, or a virtio-console's transmit queue, kept busy for
 *   ever with 64 KiB requests: every one back in the ring the moment the
 *   device returns it, a kick after each look; it never ends)
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
#include <linux/virtio_ring.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "hostile.h"

#define QSIZE		8
#define PAGE		4096
#define NPAGES		8

uint16_t hostile_queue;
uint16_t hostile_pci_device = 0x1042;

static const struct transport *t;
static uint8_t *mem;			/* our pages: rings and buffers */
static uint64_t phys[NPAGES];		/* their guest-physical addresses */
unsigned int tried, refused;

static struct vring_desc *desc;
static struct vring_avail *avail;
static struct vring_used *used;
static uint16_t avail_idx, used_seen;

void die(const char *what)
{
	fprintf(stderr, "gicvm-hostile: %s: %s\n", what, strerror(errno));
	exit(2);
}

void tally(const char *attack, unsigned int tries, unsigned int ok, const char *what)
{
	tried += tries;
	refused += ok;
	printf("gicvm-hostile: %s: %s\n", attack, what);
	fflush(stdout);
}

volatile void *map_phys(uint64_t addr, size_t len)
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

/* Reset and bring the device up with one queue of QSIZE; features as asked. */
static int init_device(uint64_t features)
{
	t->set_status(0);
	memset(mem, 0, 3 * PAGE);
	avail_idx = used_seen = 0;
	t->set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	t->set_features(features);
	t->set_status(t->get_status() | VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(t->get_status() & VIRTIO_CONFIG_S_FEATURES_OK))
		return -1;
	t->set_queue(QSIZE, pa(desc), pa(avail), pa(used));
	t->set_status(t->get_status() | VIRTIO_CONFIG_S_DRIVER_OK);
	return t->queue_ready() ? 0 : -1;
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
	t->notify(0);
	for (int i = 0; i < 50 && *(volatile uint16_t *)&used->idx == used_seen; i++)
		sleep_ms(2);
	t->ack_interrupt();
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
	if (t->get_status() & VIRTIO_CONFIG_S_NEEDS_RESET)
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

		t->set_status(0);
		t->set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
		t->set_features(1ULL << VIRTIO_F_VERSION_1);
		t->set_status(t->get_status() | VIRTIO_CONFIG_S_FEATURES_OK);
		if (cases[i].bad == 1)
			d = 0x1000;
		else if (cases[i].bad == 2)
			u = t->regs_phys;
		else if (cases[i].bad == 3)
			d += 2;
		else if (cases[i].bad == 4)
			a = ~0ULL - 8;
		t->set_queue(cases[i].num, d, a, u);
		tried++;
		if (!t->queue_ready() || (t->get_status() & VIRTIO_CONFIG_S_NEEDS_RESET)) {
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
	t->notify(7);
	outcome("notify for queue 7", NULL);
}

/* Accesses where no device is: below and between devices, and in the PCI window but off any BAR. */
static void stray_mmio(void)
{
	static const uint64_t holes[] = { 0x0, 0x2000000, 0x0a000000, 0x20000000, 0x60000000 };

	for (unsigned int i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		volatile uint32_t *p = map_phys(holes[i], PAGE);
		uint32_t v = p[0];

		p[1] = 0xdeadbeef;
		tried += 2;
		/* Nothing there: reads as 0, or as all ones inside the PCI window. */
		if ((v == 0 || v == ~0u) && (p[1] == 0 || p[1] == ~0u))
			refused += 2;
		printf("gicvm-hostile: MMIO where nothing is (%#llx): read %#x\n",
		       (unsigned long long)holes[i], v);
	}
}

/* Set up the vsock device with queues 0 and 1 in our pages, @bad one not. */
static void vsock_queues(int bad)
{
	uint64_t d = pa(desc), a = pa(avail), u = pa(used);

	t->set_status(0);
	memset(mem, 0, 3 * PAGE);
	t->set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	t->set_features(1ULL << VIRTIO_F_VERSION_1);
	t->set_status(t->get_status() | VIRTIO_CONFIG_S_FEATURES_OK);
	for (hostile_queue = 0; hostile_queue < 2; hostile_queue++) {
		/* Both queues share the pages: no buffer is ever offered. */
		if (bad == 1 && hostile_queue == 1)
			t->set_queue(QSIZE, 0x1000, a, u);		/* below RAM */
		else if (bad == 2 && hostile_queue == 1)
			t->set_queue(QSIZE, d, a, ~0ULL - 8);		/* wrapping */
		else if (bad == 3 && hostile_queue == 0)
			t->set_queue(QSIZE, d, t->regs_phys, u);	/* on the registers */
		else
			t->set_queue(QSIZE, d, a, u);
	}
	hostile_queue = 0;
	t->set_status(t->get_status() | VIRTIO_CONFIG_S_DRIVER_OK);
}

/*
 * A device served by vhost: bad rings must leave it needing a reset with
 * nothing handed over; good ones are handed over and taken back by reset,
 * many times. Returns true if every round did what it should.
 */
static bool vhost_attacks(void)
{
	static const char *const bad[] = { NULL, "a ring below RAM", "a wrapping ring",
					   "a ring on the device's registers" };
	unsigned int good = 0, refused_before = refused;

	for (unsigned int i = 1; i < 4; i++) {
		bool no;

		vsock_queues(i);
		no = t->get_status() & VIRTIO_CONFIG_S_NEEDS_RESET;
		tally(bad[i], 1, no, no ? "refused: needs reset, nothing handed to vhost" : "ACCEPTED");
	}
	for (unsigned int round = 0; round < 20; round++) {
		vsock_queues(0);
		good += (t->get_status() & (VIRTIO_CONFIG_S_DRIVER_OK | VIRTIO_CONFIG_S_NEEDS_RESET)) ==
			VIRTIO_CONFIG_S_DRIVER_OK;
	}
	t->set_status(0);
	printf("gicvm-hostile: vhost: %u of 20 hand-overs and resets worked\n", good);
	return good == 20 && refused - refused_before == 3;
}

/* A pinned, zeroed 2 MiB huge page and its guest-physical address. */
#define HUGE	(2UL << 20)

static uint64_t huge_page(void)
{
	void *p = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE | MAP_LOCKED, -1, 0);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e;

	if (p == MAP_FAILED)
		die("a 2 MiB huge page (vm.nr_hugepages)");
	if (fd < 0 || pread(fd, &e, 8, (uintptr_t)p / PAGE * 8) != 8 || !(e & (1ULL << 63)))
		die("pagemap");
	close(fd);
	return (e & ((1ULL << 55) - 1)) * PAGE;
}

/*
 * Keep a device's ring full, for ever: each entry an indirect table of 16
 * descriptors, whatever the device returns goes straight back, and it is
 * kicked after every look at the used ring, so it is never idle. gicvm
 * must still serve everything else. The virtio-rng's descriptors are
 * writable, one page each (64 KiB a request, what gicvm fills of one at
 * most); the console's are readable, 2 MiB of zeros each (32 MiB a
 * request, of which gicvm prints 64 KiB at most).
 */
#define FLOOD_SEGS	16

static void flood(const char *what, uint16_t queue, bool console)
{
	struct vring_desc *tables = (void *)(mem + 3 * PAGE);
	struct vring_desc buffer = { pa(mem + 4 * PAGE), PAGE, VRING_DESC_F_WRITE, 0 };
	unsigned long returned = 0;
	bool said = false;

	if (console)
		buffer = (struct vring_desc){ huge_page(), HUGE, 0, 0 };
	hostile_queue = queue;
	if (init_device((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_RING_F_INDIRECT_DESC)))
		die("the device did not come up");
	for (int i = 0; i < QSIZE; i++) {
		for (int j = 0; j < FLOOD_SEGS; j++) {
			tables[i * FLOOD_SEGS + j] = buffer;
			tables[i * FLOOD_SEGS + j].next = j + 1;
			if (j + 1 < FLOOD_SEGS)
				tables[i * FLOOD_SEGS + j].flags |= VRING_DESC_F_NEXT;
		}
		set_desc(i, pa(&tables[i * FLOOD_SEGS]), FLOOD_SEGS * sizeof(*tables),
			 VRING_DESC_F_INDIRECT, 0);
		avail->ring[i] = i;
	}
	avail_idx = QSIZE;
	for (;;) {
		uint16_t now = *(volatile uint16_t *)&used->idx;

		for (; used_seen != now; used_seen++, returned++)
			avail->ring[avail_idx++ % QSIZE] = used->ring[used_seen % QSIZE].id;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		avail->idx = avail_idx;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		t->notify(queue);
		if (!said && returned >= 64) {
			printf("gicvm-hostile: flooding the %s (64 requests served)\n", what);
			fflush(stdout);
			said = true;
		}
	}
}

/* gicvm-hostile flood rng|console SYSFS_DIR: never returns. */
static int flood_device(const char *kind, const char *sysfs)
{
	bool console = !strcmp(kind, "console");

	if (!console && strcmp(kind, "rng")) {
		fprintf(stderr, "gicvm-hostile: flood rng or console, not %s\n", kind);
		return 2;
	}
	hostile_pci_device = console ? 0x1043 : 0x1044;
	t = hostile_pci(sysfs);
	if (!t)
		return 2;
	alloc_pages();
	if (console)
		flood("virtio-console", 1, true);	/* port 0's transmit queue */
	else
		flood("virtio-rng", 0, false);
	return 1;
}

int main(int argc, char **argv)
{
	bool ok;

	if (argc == 4 && !strcmp(argv[1], "flood"))
		return flood_device(argv[2], argv[3]);

	if (argc == 3 && !strcmp(argv[1], "vhost")) {
		hostile_pci_device = 0x1053;	/* virtio-vsock */
		t = hostile_pci(argv[2]);
		if (!t)
			return 2;
		alloc_pages();
		ok = vhost_attacks();
		printf("gicvm-hostile: %s: tried=%u refused=%u device_ok=%s\n", t->name, tried,
		       refused, ok ? "yes" : "no");
		return ok ? 0 : 1;
	}

	if (argc != 3) {
		fprintf(stderr, "usage: gicvm-hostile mmio BASE | pci SYSFS_DIR\n");
		return 2;
	}
	t = !strcmp(argv[1], "pci") ? hostile_pci(argv[2]) : hostile_mmio(argv[2]);
	if (!t) {
		fprintf(stderr, "gicvm-hostile: no virtio-blk at %s\n", argv[2]);
		return 2;
	}
	alloc_pages();
	t->register_attacks();
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
	t->set_status(0);
	printf("gicvm-hostile: %s: tried=%u refused=%u device_ok=%s\n", t->name, tried, refused,
	       ok ? "yes" : "no");
	return ok ? 0 : 1;
}

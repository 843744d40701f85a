// SPDX-License-Identifier: GPL-2.0-only
/*
 * gicvm-hostile on a virtio-pci function: found through its capabilities
 * as a driver would, its config space written through sysfs (which the
 * kernel turns into ECAM accesses), its BAR through /dev/mem. Attacks on
 * the common configuration, the config space header, MSI-X, and the BAR
 * itself: moved outside the window and back, decoding turned off and on.
 */
#include <fcntl.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostile.h"

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_VNDR		0x09
#define BAR_MAP_SIZE		0x8000

static int cfg_fd;
static uint64_t bar_phys;
static volatile uint8_t *bar;
static volatile uint8_t *common, *isr, *notify_base;
static uint32_t common_off, isr_off, notify_off;	/* in the BAR */
static uint32_t notify_mult;
static uint32_t msix_table, msix_pba;	/* BAR offsets */

static uint32_t cfg_read(unsigned int off, unsigned int len)
{
	uint32_t v = 0;

	if (pread(cfg_fd, &v, len, off) != (ssize_t)len)
		die("config space read");
	return v;
}

static void cfg_write(unsigned int off, uint32_t v, unsigned int len)
{
	if (pwrite(cfg_fd, &v, len, off) != (ssize_t)len)
		die("config space write");
}

static uint8_t rd8(volatile uint8_t *p, unsigned int off) { return p[off]; }
static uint16_t rd16(volatile uint8_t *p, unsigned int off) { return *(volatile uint16_t *)(p + off); }
static uint32_t rd32(volatile uint8_t *p, unsigned int off) { return *(volatile uint32_t *)(p + off); }
static void wr8(volatile uint8_t *p, unsigned int off, uint8_t v) { p[off] = v; }
static void wr16(volatile uint8_t *p, unsigned int off, uint16_t v) { *(volatile uint16_t *)(p + off) = v; }
static void wr32(volatile uint8_t *p, unsigned int off, uint32_t v) { *(volatile uint32_t *)(p + off) = v; }

static uint32_t get_status(void)
{
	return rd8(common, VIRTIO_PCI_COMMON_STATUS);
}

static void set_status(uint32_t status)
{
	wr8(common, VIRTIO_PCI_COMMON_STATUS, status);
}

static void set_features(uint64_t features)
{
	wr32(common, VIRTIO_PCI_COMMON_GFSELECT, 0);
	wr32(common, VIRTIO_PCI_COMMON_GF, features);
	wr32(common, VIRTIO_PCI_COMMON_GFSELECT, 1);
	wr32(common, VIRTIO_PCI_COMMON_GF, features >> 32);
}

static void set_queue(uint16_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr16(common, VIRTIO_PCI_COMMON_Q_SELECT, hostile_queue);
	wr16(common, VIRTIO_PCI_COMMON_Q_SIZE, num);
	wr32(common, VIRTIO_PCI_COMMON_Q_DESCLO, d);
	wr32(common, VIRTIO_PCI_COMMON_Q_DESCHI, d >> 32);
	wr32(common, VIRTIO_PCI_COMMON_Q_AVAILLO, a);
	wr32(common, VIRTIO_PCI_COMMON_Q_AVAILHI, a >> 32);
	wr32(common, VIRTIO_PCI_COMMON_Q_USEDLO, u);
	wr32(common, VIRTIO_PCI_COMMON_Q_USEDHI, u >> 32);
	wr16(common, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
}

static bool queue_ready(void)
{
	wr16(common, VIRTIO_PCI_COMMON_Q_SELECT, hostile_queue);
	return rd16(common, VIRTIO_PCI_COMMON_Q_ENABLE) == 1;
}

static void notify(uint16_t queue)
{
	/* Queue q's notify offset is q (gicvm's layout); 7 does not exist. */
	wr16(notify_base, queue * notify_mult, queue);
}

static void ack_interrupt(void)
{
	(void)rd8(isr, 0);
}

/* Read-only fields of the common configuration written. */
static void common_attacks(void)
{
	uint32_t df = rd32(common, VIRTIO_PCI_COMMON_DF);
	uint16_t numq = rd16(common, VIRTIO_PCI_COMMON_NUMQ);
	uint16_t noff;
	unsigned int ok = 0;

	wr16(common, VIRTIO_PCI_COMMON_Q_SELECT, hostile_queue);
	noff = rd16(common, VIRTIO_PCI_COMMON_Q_NOFF);
	wr32(common, VIRTIO_PCI_COMMON_DF, ~df);
	wr16(common, VIRTIO_PCI_COMMON_NUMQ, 99);
	wr8(common, VIRTIO_PCI_COMMON_CFGGENERATION, 0x55);
	wr16(common, VIRTIO_PCI_COMMON_Q_NOFF, 0x1234);
	ok += rd32(common, VIRTIO_PCI_COMMON_DF) == df;
	ok += rd16(common, VIRTIO_PCI_COMMON_NUMQ) == numq;
	ok += rd8(common, VIRTIO_PCI_COMMON_CFGGENERATION) != 0x55;
	ok += rd16(common, VIRTIO_PCI_COMMON_Q_NOFF) == noff;
	tally("writes to read-only common configuration fields", 4, ok,
	      ok == 4 ? "ignored" : "TOOK EFFECT");

	/* Selectors out of range: a queue and vectors that do not exist. */
	ok = 0;
	wr16(common, VIRTIO_PCI_COMMON_Q_SELECT, 0x1234);
	wr16(common, VIRTIO_PCI_COMMON_Q_SIZE, 4);
	wr16(common, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	wr32(common, VIRTIO_PCI_COMMON_Q_DESCLO, 0x1000);
	ok += rd16(common, VIRTIO_PCI_COMMON_Q_SIZE) == 0;
	ok += rd16(common, VIRTIO_PCI_COMMON_Q_ENABLE) == 0;
	wr16(common, VIRTIO_PCI_COMMON_MSIX, 0x7fff);
	ok += rd16(common, VIRTIO_PCI_COMMON_MSIX) == VIRTIO_MSI_NO_VECTOR;
	wr16(common, VIRTIO_PCI_COMMON_Q_SELECT, hostile_queue);
	wr16(common, VIRTIO_PCI_COMMON_Q_MSIX, 100);
	ok += rd16(common, VIRTIO_PCI_COMMON_Q_MSIX) == VIRTIO_MSI_NO_VECTOR;
	wr32(common, VIRTIO_PCI_COMMON_DFSELECT, 0xffffffff);
	ok += rd32(common, VIRTIO_PCI_COMMON_DF) == 0;
	wr32(common, VIRTIO_PCI_COMMON_DFSELECT, 0);
	tally("queue and vector numbers that do not exist", 5, ok,
	      ok == 5 ? "refused" : "ACCEPTED");

	/*
	 * Wrong sizes: a doubleword over five fields, a byte into an address,
	 * ISR writes, reads past the structures. What gicvm makes of them is
	 * its business (any width is decoded field by field); that it still
	 * answers correctly afterwards is what counts.
	 */
	set_status(0);
	*(volatile uint64_t *)(common + VIRTIO_PCI_COMMON_MSIX) = ~0ULL;
	wr8(common, VIRTIO_PCI_COMMON_Q_DESCLO + 1, 0xff);
	wr8(isr, 0, 0xff);
	(void)*(volatile uint64_t *)(common + 0x38);
	(void)rd32(bar, 0x2000 + 0x100);	/* past the device configuration */
	set_status(0);
	ok = rd16(common, VIRTIO_PCI_COMMON_NUMQ) == numq && get_status() == 0 ? 5 : 0;
	tally("wrong-size and out-of-range BAR accesses", 5, ok, ok ? "survived" : "BROKE THE DEVICE");
}

/* MSI-X: the pending bits are read-only; entries past the last vector do not exist. */
static void msix_attacks(void)
{
	uint32_t pba = rd32(bar, msix_pba), data0;
	unsigned int ok = 0;

	wr32(bar, msix_pba, ~pba);
	ok += rd32(bar, msix_pba) == pba;
	wr32(bar, msix_table + 16 * 60 + 8, 0x1234);	/* vector 60's data */
	ok += rd32(bar, msix_table + 16 * 60 + 8) == 0;
	data0 = rd32(bar, msix_table + 8);
	wr8(bar, msix_table + 8, ~data0);		/* a byte into vector 0's data */
	ok += rd32(bar, msix_table + 8) == data0;
	tally("MSI-X pending bits, vector 60 and byte writes", 3, ok, ok == 3 ? "refused" : "TOOK EFFECT");
}

/* The config space header: IDs and the capability list stay; the BAR moves. */
static void config_space_attacks(void)
{
	uint32_t id = cfg_read(0, 4), cap = cfg_read(PCI_CAP_PTR, 1);
	uint16_t cmd = cfg_read(PCI_COMMAND, 2);
	uint32_t magic_q = rd16(common, VIRTIO_PCI_COMMON_NUMQ);
	unsigned int ok = 0;

	cfg_write(0, ~id, 4);
	cfg_write(PCI_CAP_PTR, 0, 1);
	cfg_write(0x0e, 0x7f, 1);			/* header type */
	ok += cfg_read(0, 4) == id;
	ok += cfg_read(PCI_CAP_PTR, 1) == cap;
	ok += cfg_read(0x0e, 1) == 0;
	tally("writes to the config space header's read-only fields", 3, ok,
	      ok == 3 ? "ignored" : "TOOK EFFECT");

	/*
	 * BAR0 onto the GIC, then onto RAM: outside the PCI window, so it
	 * decodes nowhere. Its old place reads as all ones (a word at 0: a
	 * misaligned read of Device memory faults in the guest itself).
	 */
	ok = 0;
	cfg_write(PCI_BAR0, 0x08000000, 4);
	ok += rd32(bar, 0) == 0xffffffff;
	cfg_write(PCI_BAR0, 0x80000000, 4);
	ok += rd32(bar, 0) == 0xffffffff;
	cfg_write(PCI_BAR0, bar_phys | 4, 4);
	ok += rd16(common, VIRTIO_PCI_COMMON_NUMQ) == magic_q;
	/* Decoding off: the BAR answers nothing; on again, it is back. */
	cfg_write(PCI_COMMAND, cmd & ~PCI_COMMAND_MEMORY, 2);
	wr8(common, VIRTIO_PCI_COMMON_STATUS, VIRTIO_CONFIG_S_FAILED);
	ok += rd32(bar, 0) == 0xffffffff;
	cfg_write(PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	ok += rd16(common, VIRTIO_PCI_COMMON_NUMQ) == magic_q && get_status() == 0;
	tally("BAR0 moved outside the window, decoding off and on", 5, ok,
	      ok == 5 ? "refused" : "TOOK EFFECT");
}

static void register_attacks(void);

static struct transport pci = {
	.name = "virtio-pci",
	.get_status = get_status,
	.set_status = set_status,
	.set_features = set_features,
	.set_queue = set_queue,
	.queue_ready = queue_ready,
	.notify = notify,
	.ack_interrupt = ack_interrupt,
	.register_attacks = register_attacks,
};

/* Map the BAR at @phys and find the structures in it. */
static void map_bar(uint64_t phys)
{
	pci.regs_phys = bar_phys = phys;
	bar = map_phys(bar_phys, BAR_MAP_SIZE);
	common = bar + common_off;
	isr = bar + isr_off;
	notify_base = bar + notify_off;
}

/*
 * Not an attack: a guest may place the BAR anywhere in the window. Move it,
 * and use it there from now on: the queue's ioeventfd must follow it (the
 * scenario counts the notifications that exit to gicvm).
 */
static void move_bar(void)
{
	uint64_t to = 0x70000000;
	uint16_t numq = rd16(common, VIRTIO_PCI_COMMON_NUMQ);

	cfg_write(PCI_BAR0, to | 4, 4);
	map_bar(to);
	printf("gicvm-hostile: BAR0 moved to %#llx: %s\n", (unsigned long long)to,
	       rd16(common, VIRTIO_PCI_COMMON_NUMQ) == numq ? "answers there" : "LOST");
}

static void register_attacks(void)
{
	common_attacks();
	msix_attacks();
	config_space_attacks();
	move_bar();
}

/* Where a vendor capability of @type points in BAR0; its config offset in *@pos. */
static bool find_cap(uint8_t type, uint32_t *off, unsigned int *pos)
{
	for (unsigned int p = cfg_read(PCI_CAP_PTR, 1); p; p = cfg_read(p + 1, 1)) {
		if (cfg_read(p, 1) == PCI_CAP_ID_VNDR && cfg_read(p + 3, 1) == type &&
		    cfg_read(p + 4, 1) == 0) {
			*pos = p;
			*off = cfg_read(p + 8, 4);
			return true;
		}
	}
	return false;
}

static bool find_msix(void)
{
	for (unsigned int p = cfg_read(PCI_CAP_PTR, 1); p; p = cfg_read(p + 1, 1)) {
		if (cfg_read(p, 1) == PCI_CAP_ID_MSIX) {
			msix_table = cfg_read(p + 4, 4) & ~7u;
			msix_pba = cfg_read(p + 8, 4) & ~7u;
			return true;
		}
	}
	return false;
}

const struct transport *hostile_pci(const char *dir)
{
	char path[256];
	unsigned int pos;

	snprintf(path, sizeof(path), "%s/config", dir);
	cfg_fd = open(path, O_RDWR);
	if (cfg_fd < 0)
		die(path);
	if (cfg_read(0, 2) != 0x1af4 || cfg_read(2, 2) != hostile_pci_device)
		return NULL;	/* not the modern virtio device asked for */
	cfg_write(PCI_COMMAND, cfg_read(PCI_COMMAND, 2) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	if (!find_cap(VIRTIO_PCI_CAP_COMMON_CFG, &common_off, &pos) ||
	    !find_cap(VIRTIO_PCI_CAP_ISR_CFG, &isr_off, &pos) ||
	    !find_cap(VIRTIO_PCI_CAP_NOTIFY_CFG, &notify_off, &pos) || !find_msix())
		return NULL;
	notify_mult = cfg_read(pos + 16, 4);
	map_bar((cfg_read(PCI_BAR0, 4) & ~0xfULL) | (uint64_t)cfg_read(PCI_BAR0 + 4, 4) << 32);
	return &pci;
}

// SPDX-License-Identifier: GPL-2.0-only
/* A PCI function's config space: header, BAR sizing and placement, capabilities. */
#include <string.h>

#include "gicvm/memmap.h"
#include "gicvm/pci.h"
#include "harness.h"

static u64 moved_from, moved_to;
static int moves, cap_writes;

static void bar_moved(struct pci_function *f, u64 old, u64 addr)
{
	moved_from = old;
	moved_to = addr;
	moves++;
}

static void cap_write(struct pci_function *f, u32 off, u32 len)
{
	cap_writes++;
}

static const struct pci_function_ops ops = { .bar_moved = bar_moved, .cap_write = cap_write };

static u32 rd32(struct pci_function *f, u32 off)
{
	u8 b[4];

	pci_cfg_read(f, off, b, 4);
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static void wr32(struct pci_function *f, u32 off, u32 v)
{
	u8 b[4] = { v, v >> 8, v >> 16, v >> 24 };

	pci_cfg_write(f, off, b, 4);
}

static void setup(struct pci_function *f)
{
	memset(f, 0, sizeof(*f));
	pci_function_init(f, 0x1af4, 0x1042, 0x018000, 0x1af4, 0x42, 0x8000);
	f->ops = &ops;
	moves = cap_writes = 0;
}

static void header(void)
{
	struct pci_function f;

	setup(&f);
	CHECK_EQ(rd32(&f, 0), 0x10421af4);
	CHECK_EQ(rd32(&f, 8) >> 8, 0x018000);
	CHECK_EQ(rd32(&f, 0x2c), 0x00421af4);
	CHECK(rd32(&f, 4) & (0x10 << 16));		/* capability list */
	/* Read-only fields stay as they are. */
	wr32(&f, 0, 0xffffffff);
	CHECK_EQ(rd32(&f, 0), 0x10421af4);
	/* Beyond the 256 bytes: zeroes, and writes go nowhere. */
	CHECK_EQ(rd32(&f, 0x100), 0);
	wr32(&f, 0xfe, 0xffffffff);
}

static void bar_sizing_and_placement(void)
{
	struct pci_function f;
	u64 at = MMAP_PCI_MMIO_BASE + 0x10000;

	setup(&f);
	CHECK_EQ(rd32(&f, 0x10), 0x4);			/* 64-bit memory BAR */
	wr32(&f, 0x10, 0xffffffff);
	wr32(&f, 0x14, 0xffffffff);
	CHECK_EQ(rd32(&f, 0x10), 0xffff8004);		/* 32 KiB */
	CHECK_EQ(rd32(&f, 0x14), 0xffffffff);
	CHECK_EQ(moves, 0);				/* decoding is off */
	wr32(&f, 0x10, (u32)at);
	wr32(&f, 0x14, 0);
	wr32(&f, 0x04, 0x2);				/* memory space on */
	CHECK_EQ(moves, 1);
	CHECK_EQ(moved_to, at);
	CHECK_EQ(f.bar_addr, at);
	/* Misaligned bits are not writable. */
	wr32(&f, 0x10, (u32)at | 0x1230);
	CHECK_EQ(f.bar_addr, at);
	/* Outside the PCI window: the BAR decodes nowhere. */
	wr32(&f, 0x10, 0x1000000);
	CHECK_EQ(f.bar_addr, 0);
	CHECK_EQ(moved_from, at);
	wr32(&f, 0x10, (u32)MMAP_RAM_BASE);
	CHECK_EQ(f.bar_addr, 0);			/* over guest RAM: no */
	wr32(&f, 0x10, (u32)at);
	wr32(&f, 0x04, 0);
	CHECK_EQ(f.bar_addr, 0);
}

static void capabilities(void)
{
	struct pci_function f;
	u8 a[16] = { 0x09, 0, 16 }, b[12] = { 0x11 };
	int ca, cb;

	setup(&f);
	ca = pci_add_cap(&f, a, sizeof(a));
	cb = pci_add_cap(&f, b, sizeof(b));
	CHECK_EQ(ca, PCI_CAP_START);
	CHECK_EQ(cb, PCI_CAP_START + 16);
	CHECK_EQ(f.cfg[0x34], ca);			/* the list: ca -> cb -> end */
	CHECK_EQ(f.cfg[ca + 1], cb);
	CHECK_EQ(f.cfg[cb + 1], 0);
	f.wmask[cb + 3] = 0xc0;
	wr32(&f, cb, 0xffffffff);
	CHECK_EQ(f.cfg[cb], 0x11);
	CHECK_EQ(f.cfg[cb + 3], 0xc0);
	CHECK_EQ(cap_writes, 1);
	/* A capability that does not fit is refused. */
	for (int i = 0; i < 20; i++)
		pci_add_cap(&f, a, sizeof(a));
	CHECK(pci_add_cap(&f, a, sizeof(a)) < 0);
}

UNIT_TESTS(TEST(header), TEST(bar_sizing_and_placement), TEST(capabilities));

// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a guest's config-space accesses to a PCI function (a
 * virtio-pci-like header with a capability). Each 12-byte record of the
 * input is one access: offset, length, read or write, value. Whatever the
 * guest writes, the IDs, the header type and the capability list stay as
 * the device made them, and BAR0 decodes only inside the PCI window at an
 * address aligned to its size; every move is reported with the right old
 * address.
 */
#include <string.h>

#include "gicvm/memmap.h"
#include "gicvm/pci.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static u64 expected_addr;

static void bar_moved(struct pci_function *f, u64 old, u64 addr)
{
	if (old != expected_addr || addr != f->bar_addr)
		__builtin_trap();
	if (addr && (addr % f->bar_size || addr < MMAP_PCI_MMIO_BASE ||
		     addr + f->bar_size > MMAP_PCI_MMIO_BASE + MMAP_PCI_MMIO_SIZE))
		__builtin_trap();
	expected_addr = addr;
}

static const struct pci_function_ops ops = { .bar_moved = bar_moved };

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const u8 cap[16] = { 0x09, 0, 16, 1 };	/* vendor-specific */
	static struct pci_function f;
	u8 ro[PCI_CFG_SPACE], mask[PCI_CFG_SPACE];

	memset(&f, 0, sizeof(f));
	pci_function_init(&f, 0x1af4, 0x1042, 0x018000, 0x1af4, 2, 0x8000);
	f.ops = &ops;
	if (pci_add_cap(&f, cap, sizeof(cap)) < 0)
		__builtin_trap();
	expected_addr = 0;
	memcpy(ro, f.cfg, sizeof(ro));
	memcpy(mask, f.wmask, sizeof(mask));
	for (; size >= 12; data += 12, size -= 12) {
		u32 off = (data[0] | data[1] << 8) % (PCI_CFG_SPACE + 64);
		u32 len = 1 + data[2] % 8;
		u8 buf[8];

		if (data[3] & 1) {
			memcpy(buf, data + 4, 8);
			pci_cfg_write(&f, off, buf, len);
		} else {
			pci_cfg_read(&f, off, buf, len);
		}
		/* Bits a guest may not write are still the device's. */
		for (u32 i = 0; i < PCI_CFG_SPACE; i++)
			if ((f.cfg[i] ^ ro[i]) & ~mask[i])
				__builtin_trap();
	}
	return 0;
}

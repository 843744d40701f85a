// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PCI function's configuration space: the type-0 header, BAR sizing and
 * placement, and the capability list. No KVM here; unit-tested natively.
 */
#include <string.h>

#include "gicvm/memmap.h"
#include "gicvm/pci.h"
#include "gicvm/state.h"

#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_OFF	0x0400
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x0010
#define PCI_BAR0		0x10
#define PCI_BAR_MEM_64		0x4
#define PCI_SUBSYS_VENDOR	0x2c
#define PCI_CAP_PTR		0x34

void pci_function_init(struct pci_function *f, u16 vendor, u16 device, u32 class_code,
		       u16 subsys_vendor, u16 subsys_id, u64 bar_size)
{
	u64 bar_mask = ~(bar_size - 1);

	memset(f->cfg, 0, sizeof(f->cfg));
	memset(f->wmask, 0, sizeof(f->wmask));
	put_le(f->cfg, vendor, 2);
	put_le(f->cfg + 2, device, 2);
	put_le(f->cfg + PCI_STATUS, PCI_STATUS_CAP_LIST, 2);
	put_le(f->cfg + 8, class_code << 8 | 1, 4);	/* revision 1 */
	put_le(f->cfg + PCI_SUBSYS_VENDOR, subsys_vendor, 2);
	put_le(f->cfg + PCI_SUBSYS_VENDOR + 2, subsys_id, 2);
	put_le(f->wmask + PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_OFF,
	       2);
	/* BAR0+1: 64-bit memory; the size bits read back as 0 (sizing). */
	put_le(f->cfg + PCI_BAR0, PCI_BAR_MEM_64, 4);
	put_le(f->wmask + PCI_BAR0, (u32)bar_mask & ~0xfU, 4);
	put_le(f->wmask + PCI_BAR0 + 4, bar_mask >> 32, 4);
	f->bar_size = bar_size;
	f->bar_addr = 0;
	f->cap_end = PCI_CAP_START;
	f->last_cap_next = f->cfg + PCI_CAP_PTR;
}

int pci_add_cap(struct pci_function *f, const void *cap, u8 len)
{
	int off = ALIGN_UP(f->cap_end, 4U);

	if (len < 2 || off + len > PCI_CFG_SPACE)
		return -1;
	memcpy(f->cfg + off, cap, len);
	f->cfg[off + 1] = 0;
	*f->last_cap_next = off;
	f->last_cap_next = f->cfg + off + 1;
	f->cap_end = off + len;
	return off;
}

/* Where BAR0 decodes: only with memory decoding on and inside the window. */
static u64 decode_addr(const struct pci_function *f)
{
	u64 addr = le64_to_cpu_p(f->cfg + PCI_BAR0) & ~0xfULL;

	if (!(f->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY) || addr < MMAP_PCI_MMIO_BASE ||
	    addr - MMAP_PCI_MMIO_BASE > MMAP_PCI_MMIO_SIZE - f->bar_size)
		return 0;
	return addr;
}

void pci_cfg_read(struct pci_function *f, u32 off, u8 *data, u32 len)
{
	for (u32 i = 0; i < len; i++)
		data[i] = off + i < PCI_CFG_SPACE ? f->cfg[off + i] : 0;
}

void pci_cfg_write(struct pci_function *f, u32 off, const u8 *data, u32 len)
{
	bool in_cap = false;
	u64 addr;

	for (u32 i = 0; i < len && off + i < PCI_CFG_SPACE; i++) {
		u8 *b = &f->cfg[off + i], m = f->wmask[off + i];

		*b = (*b & ~m) | (data[i] & m);
		in_cap |= off + i >= PCI_CAP_START;
	}
	addr = decode_addr(f);
	if (addr != f->bar_addr) {
		u64 old = f->bar_addr;

		f->bar_addr = addr;
		if (f->ops->bar_moved)
			f->ops->bar_moved(f, old, addr);
	}
	if (in_cap && f->ops->cap_write)
		f->ops->cap_write(f, off, len);
}

void pci_cfg_save(const struct pci_function *f, struct state *s)
{
	state_put_tag(s, "PCFG");
	state_put_bytes(s, f->cfg, PCI_CFG_SPACE);
}

int pci_cfg_restore(struct pci_function *f, struct state *s)
{
	u8 cfg[PCI_CFG_SPACE];

	state_expect_tag(s, "PCFG");
	state_get_bytes(s, cfg, sizeof(cfg));
	if (!state_ok(s))
		return -1;
	/* Only what a guest could have written may differ: else another function's. */
	for (unsigned int i = 0; i < PCI_CFG_SPACE; i++)
		if ((cfg[i] ^ f->cfg[i]) & ~f->wmask[i])
			return -1;
	/* As the guest's own write: the BAR placed, the capabilities looked at. */
	pci_cfg_write(f, 0, cfg, sizeof(cfg));
	return 0;
}

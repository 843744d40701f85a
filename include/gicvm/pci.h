/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI host bridge: a generic ECAM bridge (pci-host-ecam-generic) with
 * one bus. A function registers its 256-byte configuration space and one
 * 64-bit memory BAR; the bridge emulates the header (command register, BAR
 * sizing and placement by the guest) and hands the function accesses to
 * its BAR and writes to its capabilities. Interrupts are MSI-X only: the
 * DT sends every requester ID to the GIC's MSI controller.
 */
#ifndef GICVM_PCI_H
#define GICVM_PCI_H

#include "gicvm/util.h"

#define PCI_CFG_SPACE		256
#define PCI_CAP_START		0x40

struct vm;
struct pci_function;

struct pci_function_ops {
	/* An access to the BAR at offset @off. vCPU thread. */
	void (*bar_access)(struct pci_function *f, u64 off, u8 *data, u32 len, bool is_write);
	/* The BAR moved from @old to @addr (0: not decoding). */
	void (*bar_moved)(struct pci_function *f, u64 old, u64 addr);
	/* The guest wrote config bytes [@off, @off + @len) of a capability. */
	void (*cap_write)(struct pci_function *f, u32 off, u32 len);
};

struct pci_function {
	const struct pci_function_ops *ops;
	void *priv;
	u8 cfg[PCI_CFG_SPACE];		/* little-endian, as the guest reads it */
	u8 wmask[PCI_CFG_SPACE];	/* the bits a guest write may change */
	u64 bar_size;			/* a power of two, >= 4 KiB */
	u64 bar_addr;			/* where the BAR decodes now; 0: nowhere */
	unsigned int slot;		/* device number on bus 0 */
	u8 cap_end;			/* first free config byte for a capability */
	u8 *last_cap_next;		/* the "next" byte to link a new capability */
};

/* A type-0 header with one 64-bit memory BAR of @bar_size bytes. */
void pci_function_init(struct pci_function *f, u16 vendor, u16 device, u32 class_code,
		       u16 subsys_vendor, u16 subsys_id, u64 bar_size);
/*
 * Append a capability (@cap[0] is its ID) and link it into the list;
 * returns its offset in config space, or -1 if it does not fit.
 */
int pci_add_cap(struct pci_function *f, const void *cap, u8 len);

/* Put @f on the bus (before gic_finalize); -1 when the bus is full. */
int pci_register(struct vm *vm, struct pci_function *f);

/* The function's requester ID: bus 0, its slot, function 0. */
static inline u32 pci_requester_id(const struct pci_function *f)
{
	return f->slot << 3;
}

/* Config space access as the ECAM window sees it; also for unit tests. */
void pci_cfg_read(struct pci_function *f, u32 off, u8 *data, u32 len);
void pci_cfg_write(struct pci_function *f, u32 off, const u8 *data, u32 len);

/*
 * Snapshots: config space, and back as one guest write of every byte (so
 * the BAR is placed and the capabilities looked at again). Bytes a guest
 * cannot write must match: -1 otherwise (another function's record).
 */
struct state;
void pci_cfg_save(const struct pci_function *f, struct state *s);
int pci_cfg_restore(struct pci_function *f, struct state *s);

#endif

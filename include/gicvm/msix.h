/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI-X for a PCI function: the capability, the vector table and pending
 * bit array in its BAR, and one irqfd per vector. The guest's programming
 * of a vector becomes a GSI route in KVM (gic_msi_route); raising a vector
 * writes its irqfd, or sets its pending bit while it is masked, and an
 * unmask delivers what is pending. The caller serialises all calls.
 */
#ifndef GICVM_MSIX_H
#define GICVM_MSIX_H

#include "gicvm/util.h"

#define MSIX_MAX_VECTORS	64
#define MSIX_NO_VECTOR		0xffff
#define MSIX_ENTRY_SIZE		16

struct gic;
struct pci_function;

struct msix_entry {
	u32 addr_lo, addr_hi, data, ctrl;
	bool dirty;			/* message changed since routed */
	int fd;				/* irqfd */
	unsigned int gic_vector;	/* its handle in gic_msi_*() */
};

struct msix {
	struct pci_function *f;
	struct gic *gic;
	unsigned int nvec;
	int cap;			/* config-space offset of the capability */
	u64 table_off, pba_off;		/* in the BAR */
	u64 pending;			/* the PBA */
	bool was_live;			/* enabled and not function-masked, last seen */
	struct msix_entry e[MSIX_MAX_VECTORS];
};

/* Add the capability to @f: @nvec vectors, table and PBA at these BAR offsets. */
int msix_init(struct msix *m, struct pci_function *f, unsigned int nvec,
	      u64 table_off, u64 pba_off);
/* Create the irqfds (after gic_finalize). */
int msix_start(struct msix *m, struct gic *gic);
/* Back to reset: disabled, all vectors masked, nothing pending. */
void msix_reset(struct msix *m);

/* A BAR access that may be for the table or the PBA; false if neither. */
bool msix_bar_access(struct msix *m, u64 off, u8 *data, u32 len, bool is_write);
/*
 * Vector @v's irqfd if a write to it would be delivered now (enabled, not
 * masked, routed), else -1: a backend may then signal it directly.
 */
int msix_vector_fd(struct msix *m, unsigned int v);
/* The guest wrote the function's capabilities: look at enable/mask. */
void msix_cap_written(struct msix *m);

/* Raise vector @v (MSIX_NO_VECTOR: nothing). */
void msix_notify(struct msix *m, unsigned int v);
/*
 * Snapshots: the vector table and pending bits, and back (each vector is
 * routed again when the capability, restored with config space after
 * this, makes it live). 0, or -1 for a record that is not this table's.
 */
struct state;
void msix_save(const struct msix *m, struct state *s);
int msix_restore(struct msix *m, struct state *s);

/* Whether the driver turned MSI-X on. */
bool msix_enabled(const struct msix *m);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GIC distributor's registers the bare test programs use (vgic32.c,
 * snapirq.c), as 32-bit word indices from its base in gicvm's memory map;
 * the banks for SPIs 32 to 63.
 */
#ifndef GICVM_GUEST_GICD_H
#define GICVM_GUEST_GICD_H

#include <stdint.h>

#include "gicvm/memmap.h"

#define GICD		((volatile uint32_t *)(uintptr_t)MMAP_GIC_DIST_BASE)
#define GICD_CTLR	(0x0000 / 4)
#define GICD_IGROUPR1	(0x0084 / 4)
#define GICD_ISENABLER1	(0x0104 / 4)
#define GICD_ISPENDR1	(0x0204 / 4)
#define GICD_ISACTIVER1	(0x0304 / 4)
#define GICD_ICFGR2	(0x0c08 / 4)
#define GICD_IPRIORITYR	0x0400		/* a byte per interrupt */
#define CTLR_RWP	(1U << 31)
#define CTLR_ENABLE_G1	(1U << 1)

#endif

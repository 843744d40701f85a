// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-vgic2.img: a 32-bit kernel for --aarch32 --gic v2 (entry in
 * fwtest32.S) that keeps more interrupts in flight than the vGIC has list
 * registers, in EOImode 1, through the GICv2 memory-mapped CPU interface,
 * on one vCPU:
 *
 * - SPIs 32 to 34 made pending (GICD_ISPENDR), each at a higher priority
 *   than the one before, and acknowledged at once: 3 active, nested;
 * - SPIs 40 to 43 made pending at the lowest priority, which cannot be
 *   taken before the others are done: 7 in flight, more than 4 LRs;
 * - the 3 priorities dropped (GICC_EOIR, highest first), then each
 *   deactivated with GICC_DIR in the order 0, 2, 1, GICD_ISACTIVER read
 *   after each: exactly those not deactivated yet must be active;
 * - the 4 waiting SPIs taken, each once, and deactivated.
 *
 * GICC_DIR is a memory-mapped register KVM does not trap on a GICv2 host
 * (nor could it with TDIR for a GICv2 guest on a GICv3): a deactivation of
 * an active interrupt left out of the LRs would be lost. The series keeps
 * active interrupts first in the LRs for a GICv2 guest, so with fewer
 * active than LRs every GICC_DIR hits one. It powers off when all went
 * well, and says what did not and resets otherwise (gicvm's status 2 with
 * --reboot exit).
 *
 *   gicvm-vgic2: 3 SPIs active, 4 waiting, deactivated with GICC_DIR
 */
#include "fwlib.h"
#include "gicvm/memmap.h"

#define NR_ACTIVE	3
#define FIRST_SPI	32
#define NR_WAITING	4
#define FIRST_WAITING	40
#define SPURIOUS	1023

#define GICD		((volatile uint32_t *)(uintptr_t)MMAP_GIC_DIST_BASE)
#define GICD_CTLR	(0x0000 / 4)
#define GICD_ISENABLER1	(0x0104 / 4)
#define GICD_ISPENDR1	(0x0204 / 4)
#define GICD_ISACTIVER1	(0x0304 / 4)
#define GICD_ICFGR2	(0x0c08 / 4)
#define GICD_IPRIORITYR	0x0400		/* a byte per interrupt */
#define GICD_ITARGETSR	0x0800		/* a byte per interrupt */
#define GICD_ENABLE	(1U << 0)

#define GICC		((volatile uint32_t *)(uintptr_t)MMAP_GICV2_CPU_BASE)
#define GICC_CTLR	(0x0000 / 4)
#define GICC_PMR	(0x0004 / 4)
#define GICC_BPR	(0x0008 / 4)
#define GICC_IAR	(0x000c / 4)
#define GICC_EOIR	(0x0010 / 4)
#define GICC_DIR	(0x1000 / 4)
#define GICC_ENABLE	(1U << 0)	/* Group 0, signalled as IRQ */
#define GICC_EOIMODE	(1U << 9)

#define ACTIVE_MASK	((1U << NR_ACTIVE) - 1)
#define WAITING_MASK	(((1U << NR_WAITING) - 1) << (FIRST_WAITING - FIRST_SPI))

static uint8_t active_priority(unsigned int i)
{
	return 0x80 - 0x10 * i;		/* each one above the one before */
}

static void dist_init(void)
{
	volatile uint8_t *prio = (volatile uint8_t *)GICD + GICD_IPRIORITYR;
	volatile uint8_t *target = (volatile uint8_t *)GICD + GICD_ITARGETSR;

	GICD[GICD_CTLR] = 0;
	GICD[GICD_ICFGR2] = 0xaaaaaaaa;	/* SPIs 32-47 edge-triggered */
	for (unsigned int i = 0; i < 16; i++) {
		prio[FIRST_SPI + i] = 0xf0;
		target[FIRST_SPI + i] = 1;	/* CPU 0 */
	}
	for (unsigned int i = 0; i < NR_ACTIVE; i++)
		prio[FIRST_SPI + i] = active_priority(i);
	GICD[GICD_ISENABLER1] = ACTIVE_MASK | WAITING_MASK;
	GICD[GICD_CTLR] = GICD_ENABLE;
}

static void cpuif_init(void)
{
	GICC[GICC_PMR] = 0xff;
	GICC[GICC_BPR] = 0;
	GICC[GICC_CTLR] = GICC_ENABLE | GICC_EOIMODE;
}

/* Acknowledge an interrupt, polling a while: what came, or SPURIOUS. */
static uint32_t ack(void)
{
	uint32_t intid = SPURIOUS;

	for (int n = 0; n < 100000 && intid == SPURIOUS; n++)
		intid = GICC[GICC_IAR] & 0x3ff;
	return intid;
}

static int failed(const char *what, unsigned long value)
{
	return fw_failed("gicvm-vgic2", what, value);
}

static uint32_t active_spis(void)
{
	return GICD[GICD_ISACTIVER1] & (ACTIVE_MASK | WAITING_MASK);
}

int fw_aarch32(const uint8_t *dtb, unsigned long r1, unsigned long cpsr)
{
	static const unsigned int dir_order[NR_ACTIVE] = { 0, 2, 1 };
	uint32_t got, active = ACTIVE_MASK, taken = 0;

	dist_init();
	cpuif_init();
	for (unsigned int i = 0; i < NR_ACTIVE; i++) {
		GICD[GICD_ISPENDR1] = 1U << i;
		got = ack();
		if (got != FIRST_SPI + i)
			return failed("took another interrupt than the next SPI: ", got);
	}
	GICD[GICD_ISPENDR1] = WAITING_MASK;

	for (unsigned int i = NR_ACTIVE; i-- > 0;)
		GICC[GICC_EOIR] = FIRST_SPI + i;
	if (active_spis() != active)
		return failed("EOImode 1: a priority drop deactivated, active mask ",
			      active_spis());
	for (unsigned int i = 0; i < NR_ACTIVE; i++) {
		GICC[GICC_DIR] = FIRST_SPI + dir_order[i];
		active &= ~(1U << dir_order[i]);
		if (active_spis() != active)
			return failed("after GICC_DIR the active mask is ", active_spis());
	}

	for (unsigned int i = 0; i < NR_WAITING; i++) {
		got = ack();
		if (got < FIRST_WAITING || got >= FIRST_WAITING + NR_WAITING ||
		    (taken & (1U << (got - FIRST_WAITING))))
			return failed("took no waiting SPI, or one twice: ", got);
		taken |= 1U << (got - FIRST_WAITING);
		GICC[GICC_EOIR] = got;
		GICC[GICC_DIR] = got;
	}
	if (active_spis())
		return failed("still active at the end, mask ", active_spis());
	got = GICC[GICC_IAR] & 0x3ff;
	if (got != SPURIOUS)
		return failed("an interrupt more than expected: ", got);
	puts_uart("gicvm-vgic2: 3 SPIs active, 4 waiting, deactivated with GICC_DIR\n");
	return 0;
}

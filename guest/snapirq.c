// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-snapirq.img: a bare program for -f (entry in fwtest.S) that holds
 * one interrupt active and another pending across a snapshot, on the
 * GICv3 CPU interface, interrupts masked (it polls ICC_IAR1_EL1):
 *
 * - SPI 32 made pending and acknowledged: active, running priority 0xa0;
 * - SPI 33, at the same priority, made pending: it cannot preempt, so it
 *   stays pending (ICC_IAR1 reads 1023);
 * - "ready", then it waits for a byte on the console: `gicvm snapshot
 *   --stop` saves it there, and the restored clone is sent the byte;
 * - both states must have come back (GICD_ISACTIVER1, GICD_ISPENDR1);
 *   SPI 32's EOI must let SPI 33 in, once, and after its EOI nothing may
 *   be active, pending or acknowledged again;
 * - the virtual and physical counters, read before "ready" and after, must
 *   neither run back nor jump, and keep their distance (within 50 ms).
 *
 *   gicvm-snapirq: ready (SPI 32 active, SPI 33 pending)
 *   gicvm-snapirq: SPI 32 EOId, SPI 33 delivered once; the counters went on together
 *
 * It powers off when all went well and says what did not otherwise.
 */
#include "fwlib.h"
#include "gicd.h"
#include "sysreg.h"
#include "gicvm/memmap.h"

#define SPURIOUS	1023
#define SPI_ACTIVE	32
#define SPI_PENDING	33
#define BOTH		3U		/* their bits in the second bank */

#define UART		((volatile uint8_t *)(uintptr_t)MMAP_UART_BASE)
#define UART_LSR	5
#define LSR_DR		0x01

static uint32_t ack(void)
{
	return sysreg_read(S3_0_C12_C12_0) & 0xffffff;		/* ICC_IAR1_EL1 */
}

static void eoi(uint32_t intid)
{
	sysreg_write(S3_0_C12_C12_1, intid);			/* ICC_EOIR1_EL1 */
}

static uint32_t ack_within(int tries)
{
	uint32_t intid = SPURIOUS;

	for (int n = 0; n < tries && intid == SPURIOUS; n++)
		intid = ack();
	return intid;
}

static void gic_init(void)
{
	volatile uint8_t *prio = (volatile uint8_t *)GICD + GICD_IPRIORITYR;

	GICD[GICD_CTLR] = 0;
	for (int n = 0; n < 100000 && (GICD[GICD_CTLR] & CTLR_RWP); n++)
		;
	GICD[GICD_IGROUPR1] = BOTH;
	GICD[GICD_ICFGR2] = 0xa;		/* both edge-triggered */
	prio[SPI_ACTIVE] = prio[SPI_PENDING] = 0xa0;
	GICD[GICD_ISENABLER1] = BOTH;
	GICD[GICD_CTLR] = CTLR_ENABLE_G1;	/* affinity routing is always on */
	sysreg_write(S3_0_C12_C12_5, 1);	/* ICC_SRE_EL1 */
	sysreg_write(S3_0_C4_C6_0, 0xff);	/* ICC_PMR_EL1 */
	sysreg_write(S3_0_C12_C12_4, 0);	/* ICC_CTLR_EL1: EOImode 0 */
	sysreg_write(S3_0_C12_C12_7, 1);	/* ICC_IGRPEN1_EL1 */
}

static int failed(const char *what, unsigned long value)
{
	return fw_failed("gicvm-snapirq", what, value);
}

struct counters {
	uint64_t virt, phys;
};

static struct counters read_counters(void)
{
	struct counters c;

	asm volatile("isb" ::: "memory");
	c.virt = sysreg_read(CNTVCT_EL0);
	c.phys = sysreg_read(CNTPCT_EL0);
	return c;
}

/*
 * Across the snapshot neither counter may run back or jump (by more than
 * a minute: the test's own run), and the two must keep their distance
 * (within 50 ms, the two reads' own spread): gicvm moves both by one
 * offset. Had only the virtual counter been put back, the physical one
 * would be ahead by the time the snapshot sat (the scenario waits a
 * second before its restore).
 */
static int check_counters(struct counters before, struct counters after)
{
	uint64_t hz = sysreg_read(CNTFRQ_EL0);
	int64_t drift = (int64_t)((after.phys - after.virt) - (before.phys - before.virt));

	if (after.virt < before.virt || after.virt - before.virt > 60 * hz)
		return failed("the virtual counter ran back or jumped, ticks: ",
			      after.virt - before.virt);
	if (after.phys < before.phys || after.phys - before.phys > 60 * hz)
		return failed("the physical counter ran back or jumped, ticks: ",
			      after.phys - before.phys);
	if (drift > (int64_t)hz / 20 || drift < -(int64_t)hz / 20)
		return failed("the counters moved apart, ticks: ", drift);
	return 0;
}

static int after_restore(struct counters before)
{
	uint32_t active = GICD[GICD_ISACTIVER1] & BOTH, pending = GICD[GICD_ISPENDR1] & BOTH;
	uint32_t got;

	if (check_counters(before, read_counters()))
		return 1;

	if (active != 1 || pending != 2)
		return failed("after the restore active, pending are not 1, 2: ",
			      active << 8 | pending);
	got = ack();
	if (got != SPURIOUS)
		return failed("came while SPI 32 was active at its priority: ", got);
	eoi(SPI_ACTIVE);
	got = ack_within(1000);
	if (got != SPI_PENDING)
		return failed("after SPI 32's EOI, not SPI 33 but ", got);
	eoi(SPI_PENDING);
	got = ack_within(1000);
	if (got != SPURIOUS)
		return failed("an interrupt came again: ", got);
	active = GICD[GICD_ISACTIVER1] & BOTH;
	pending = GICD[GICD_ISPENDR1] & BOTH;
	if (active || pending)
		return failed("left active, pending: ", active << 8 | pending);
	puts_uart("gicvm-snapirq: SPI 32 EOId, SPI 33 delivered once; the counters went on together\n");
	return 0;
}

void fw_main(const uint8_t *dtb);

void fw_main(const uint8_t *dtb)
{
	struct counters before;
	uint32_t got;

	(void)dtb;
	gic_init();
	GICD[GICD_ISPENDR1] = 1U << (SPI_ACTIVE - 32);
	got = ack_within(1000);
	if (got != SPI_ACTIVE) {
		failed("SPI 32 did not come: ", got);
		return;
	}
	GICD[GICD_ISPENDR1] = 1U << (SPI_PENDING - 32);
	got = ack_within(1000);
	if (got != SPURIOUS) {
		failed("came while SPI 32 was active at its priority: ", got);
		return;
	}
	before = read_counters();
	puts_uart("gicvm-snapirq: ready (SPI 32 active, SPI 33 pending)\n");
	while (!(UART[UART_LSR] & LSR_DR))
		;
	(void)UART[0];
	after_restore(before);
}

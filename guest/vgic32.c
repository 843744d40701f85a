// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-vgic32.img: a 32-bit kernel for --aarch32 (entry in fwtest32.S)
 * that holds more interrupts active than the vGIC has list registers and
 * deactivates them with ICC_DIR, through the GICv3 CPU interface's cp15
 * encodings, on one vCPU:
 *
 * - EOImode 1 (ICC_CTLR.EOImode), interrupts masked (it polls ICC_IAR1);
 * - SPIs 32 to 39, edge-triggered, each made pending (GICD_ISPENDR) at a
 *   higher priority than the one before and acknowledged at once, so all
 *   eight are active at the end, nested;
 * - their priorities dropped (ICC_EOIR1, highest first), then each
 *   deactivated with ICC_DIR in the order 0, 3, 6, 1, 4, 7, 2, 5;
 * - none may still be active (GICD_ISACTIVER1), and SPI 32 is taken once
 *   more.
 *
 * With 4 LRs (QEMU's -cpu max) the host series leaves active interrupts
 * out of the LRs and traps DIR (ICH_HCR_EL2.TDIR): the trapped write must
 * be emulated for an AArch32 guest too, not answered with an undefined
 * instruction. It powers off when all went well, and says what did not and
 * resets otherwise (gicvm's status 2 with --reboot exit).
 *
 *   gicvm-vgic32: 8 SPIs active at once, deactivated with ICC_DIR
 */
#include "fwlib.h"
#include "gicd.h"
#include "gicvm/memmap.h"

#define NR_SPIS		8
#define FIRST_SPI	32
#define SPURIOUS	1023

#define ICC_CTLR_EOIMODE (1U << 1)

/* The GICv3 CPU interface's AArch32 (cp15) system registers. */
#define cp15_read(crn, crm, op2) ({					\
	uint32_t v;							\
	asm volatile("mrc p15, 0, %0, " #crn ", " #crm ", " #op2 : "=r"(v)); \
	v;								\
})
#define cp15_write(crn, crm, op2, v)					\
	asm volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 :: "r"((uint32_t)(v)) : "memory")
#define isb()	asm volatile("isb" ::: "memory")

#define read_iar1()	cp15_read(c12, c12, 0)
#define write_eoir1(v)	cp15_write(c12, c12, 1, v)
#define write_dir(v)	cp15_write(c12, c11, 1, v)
#define write_bpr1(v)	cp15_write(c12, c12, 3, v)
#define write_ctlr(v)	cp15_write(c12, c12, 4, v)
#define write_sre(v)	cp15_write(c12, c12, 5, v)
#define write_igrpen1(v) cp15_write(c12, c12, 7, v)
#define write_pmr(v)	cp15_write(c4, c6, 0, v)

static uint8_t spi_priority(unsigned int i)
{
	return 0xe0 - 0x10 * i;		/* each one above the one before */
}

static void gicd_wait_rwp(void)
{
	for (int n = 0; n < 100000 && (GICD[GICD_CTLR] & CTLR_RWP); n++)
		;
}

static void dist_init(void)
{
	volatile uint8_t *prio = (volatile uint8_t *)GICD + GICD_IPRIORITYR;

	GICD[GICD_CTLR] = 0;
	gicd_wait_rwp();
	GICD[GICD_IGROUPR1] = (1U << NR_SPIS) - 1;
	GICD[GICD_ICFGR2] = 0xaaaa;	/* SPIs 32-39 edge-triggered */
	for (unsigned int i = 0; i < NR_SPIS; i++)
		prio[FIRST_SPI + i] = spi_priority(i);
	GICD[GICD_ISENABLER1] = (1U << NR_SPIS) - 1;
	GICD[GICD_CTLR] = CTLR_ENABLE_G1;	/* affinity routing is always on */
	gicd_wait_rwp();
}

static void cpuif_init(void)
{
	write_sre(1);
	isb();
	write_pmr(0xff);
	write_bpr1(0);
	write_ctlr(ICC_CTLR_EOIMODE);
	write_igrpen1(1);
	isb();
}

/* Make SPI @i pending and acknowledge it: 0 if it came, or what came. */
static uint32_t take(unsigned int i)
{
	uint32_t intid = SPURIOUS;

	GICD[GICD_ISPENDR1] = 1U << i;
	for (int n = 0; n < 1000 && intid == SPURIOUS; n++)
		intid = read_iar1() & 0xffffff;
	return intid == FIRST_SPI + i ? 0 : intid;
}

static int failed(const char *what, unsigned long value)
{
	return fw_failed("gicvm-vgic32", what, value);
}

int fw_aarch32(const uint8_t *dtb, unsigned long r1, unsigned long cpsr)
{
	static const unsigned int dir_order[NR_SPIS] = { 0, 3, 6, 1, 4, 7, 2, 5 };
	uint32_t got, active;

	dist_init();
	cpuif_init();
	for (unsigned int i = 0; i < NR_SPIS; i++) {
		got = take(i);
		if (got)
			return failed("took another interrupt than the next SPI: ", got);
	}
	for (unsigned int i = NR_SPIS; i-- > 0;)
		write_eoir1(FIRST_SPI + i);
	active = GICD[GICD_ISACTIVER1] & ((1U << NR_SPIS) - 1);
	if (active != (1U << NR_SPIS) - 1)
		return failed("EOImode 1: a priority drop deactivated, active mask ", active);
	for (unsigned int i = 0; i < NR_SPIS; i++)
		write_dir(FIRST_SPI + dir_order[i]);
	isb();
	active = GICD[GICD_ISACTIVER1] & ((1U << NR_SPIS) - 1);
	if (active)
		return failed("still active after ICC_DIR, mask ", active);
	got = take(0);
	if (got)
		return failed("SPI 32 did not come again: ", got);
	write_eoir1(FIRST_SPI);
	write_dir(FIRST_SPI);
	puts_uart("gicvm-vgic32: 8 SPIs active at once, deactivated with ICC_DIR\n");
	return 0;
}

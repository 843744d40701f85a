// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-nested.img: a bare program for -f with 2 vCPUs (entry in fwtest.S)
 * that takes the interrupts a guest of a guest hypervisor must get, polling
 * ICC_IAR1_EL1 with interrupts masked, each wait bounded by the counter:
 *
 * - its virtual timer's PPI (27), 3 times: the interrupt KVM maps to the
 *   hardware, here L1's own vGIC's "hardware", L0's nested one;
 * - an SGI to itself, then IPIs between its two vCPUs: SGI 2 to vCPU 1
 *   (powered on with PSCI CPU_ON), and SGI 3 back from it;
 * - 8 edge SPIs made pending at once, more than the 4 list registers
 *   QEMU's GIC has: the guest hypervisor's KVM must refill its LRs as they
 *   drain, on its vGIC's maintenance interrupt. Each must come once;
 * - with gicvm's virtio-rng on PCI (--rng --virtio-transport pci), an MSI
 *   through the ITS: the device's queue interrupt as LPI 8192 (itsmsi.c),
 *   once; msi=0 says there was no such device.
 *
 * Last, for make bench, the round trip of an SGI to itself (sent, taken,
 * EOId), the mean of 100:
 *
 *   gicvm-nested: el=1 timer=3 sgi=1 ipi=2 spis=8 msi=1 sgi_rtt_ns=N
 *
 * It powers off either way; a line says what went wrong.
 */
#include "fwlib.h"
#include "gicd.h"
#include "itsmsi.h"
#include "sysreg.h"
#include "gicvm/memmap.h"

#define SPURIOUS	1023
#define VTIMER_PPI	27
#define SGI_SELF	1
#define SGI_TO_1	2
#define SGI_TO_0	3
#define NR_SPIS		8		/* SPIs 32 to 39 */
#define SPI_BITS	((1U << NR_SPIS) - 1)
#define NR_CPUS		2
#define WAIT_SECONDS	10

#define PSCI_CPU_ON	0xc4000003UL

/* Redistributor region 0 sits right below the distributor, a frame pair per vCPU. */
#define GICR_BASE(cpu)	(MMAP_GIC_DIST_BASE - NR_CPUS * MMAP_GIC_REDIST_SIZE + \
			 (cpu) * MMAP_GIC_REDIST_SIZE)
#define GICR_SGI(cpu)	((volatile uint32_t *)(uintptr_t)(GICR_BASE(cpu) + 0x10000))
#define GICR_IGROUPR0	(0x0080 / 4)
#define GICR_ISENABLER0	(0x0100 / 4)

/* What vCPU 1 says to vCPU 0; the MMU is off, so every access goes to memory. */
static volatile uint32_t cpu1_ready, cpu1_got_sgi;
static uint64_t cpu1_stack[512] __attribute__((aligned(16)));

static int failed(const char *what, unsigned long value)
{
	return fw_failed("gicvm-nested", what, value);
}

/* The next interrupt's INTID, or SPURIOUS after WAIT_SECONDS. */
static uint32_t ack_wait(void)
{
	uint64_t deadline = sysreg_read(CNTVCT_EL0) + WAIT_SECONDS * sysreg_read(CNTFRQ_EL0);
	uint32_t intid;

	do {
		intid = sysreg_read(S3_0_C12_C12_0) & 0xffffff;	/* ICC_IAR1_EL1 */
	} while (intid == SPURIOUS && sysreg_read(CNTVCT_EL0) < deadline);
	return intid;
}

static void eoi(uint32_t intid)
{
	sysreg_write(S3_0_C12_C12_1, intid);			/* ICC_EOIR1_EL1 */
}

/* The next interrupt, acknowledged and EOId at once; SPURIOUS if none came. */
static uint32_t take(void)
{
	uint32_t intid = ack_wait();

	if (intid != SPURIOUS)
		eoi(intid);
	return intid;
}

/* ICC_SGI1R_EL1: INTID in [27:24], the target list (Aff0 bits) in [15:0]. */
static void send_sgi(uint32_t intid, unsigned int cpu)
{
	sysreg_write(S3_0_C12_C11_5, (uint64_t)intid << 24 | 1U << cpu);
}

/* This vCPU's CPU interface and its SGIs and PPIs: group 1, enabled. */
static void cpu_interface_init(unsigned int cpu)
{
	GICR_SGI(cpu)[GICR_IGROUPR0] = ~0U;
	GICR_SGI(cpu)[GICR_ISENABLER0] = 0xffffU | 1U << VTIMER_PPI;
	sysreg_write(S3_0_C12_C12_5, 1);	/* ICC_SRE_EL1 */
	sysreg_write(S3_0_C4_C6_0, 0xff);	/* ICC_PMR_EL1 */
	sysreg_write(S3_0_C12_C12_4, 0);	/* ICC_CTLR_EL1: EOImode 0 */
	sysreg_write(S3_0_C12_C12_7, 1);	/* ICC_IGRPEN1_EL1 */
}

static void dist_init(void)
{
	volatile uint8_t *prio = (volatile uint8_t *)GICD + GICD_IPRIORITYR;

	GICD[GICD_CTLR] = 0;
	for (int n = 0; n < 100000 && (GICD[GICD_CTLR] & CTLR_RWP); n++)
		;
	GICD[GICD_IGROUPR1] = SPI_BITS;
	GICD[GICD_ICFGR2] = 0xaaaa;		/* SPIs 32 to 39 edge-triggered */
	for (int i = 0; i < NR_SPIS; i++)
		prio[32 + i] = 0xa0;
	GICD[GICD_ISENABLER1] = SPI_BITS;
	GICD[GICD_CTLR] = CTLR_ENABLE_G1;	/* affinity routing is always on */
}

/* vCPU 1, from secondary_entry: wait for SGI 2, answer with SGI 3, park. */
void cpu1_main(void);

void cpu1_main(void)
{
	uint32_t got;

	cpu_interface_init(1);
	cpu1_ready = 1;
	got = take();
	cpu1_got_sgi = got;
	if (got == SGI_TO_1)
		send_sgi(SGI_TO_0, 0);
	for (;;)
		asm volatile("wfi");
}

/* PSCI CPU_ON's context (x0) is vCPU 1's stack top. */
asm(".globl secondary_entry\n"
    "secondary_entry:\n"
    "	mov	sp, x0\n"
    "	bl	cpu1_main\n"
    "1:	wfi\n"
    "	b	1b\n");
void secondary_entry(void);

static long psci_cpu_on(uint64_t mpidr, void (*entry)(void), uint64_t context)
{
	register uint64_t x0 asm("x0") = PSCI_CPU_ON;
	register uint64_t x1 asm("x1") = mpidr;
	register uint64_t x2 asm("x2") = (uint64_t)(uintptr_t)entry;
	register uint64_t x3 asm("x3") = context;

	asm volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (long)x0;
}

/* The virtual timer 10 ms ahead, 3 times: each time its PPI must come. */
static int timer_rounds(void)
{
	uint64_t hz = sysreg_read(CNTFRQ_EL0);
	uint32_t got;

	for (int i = 0; i < 3; i++) {
		sysreg_write(CNTV_TVAL_EL0, hz / 100);
		sysreg_write(CNTV_CTL_EL0, 1);		/* enabled, not masked */
		got = ack_wait();
		sysreg_write(CNTV_CTL_EL0, 0);		/* its level drops */
		if (got != SPURIOUS)
			eoi(got);
		if (got != VTIMER_PPI)
			return failed("the virtual timer's PPI 27 did not come, but ", got);
	}
	return 0;
}

static int sgis(void)
{
	uint64_t deadline;
	uint32_t got;
	long r;

	send_sgi(SGI_SELF, 0);
	got = take();
	if (got != SGI_SELF)
		return failed("the SGI to itself did not come, but ", got);

	r = psci_cpu_on(1, secondary_entry, (uint64_t)(uintptr_t)&cpu1_stack[512]);
	if (r)
		return failed("PSCI CPU_ON of vCPU 1 failed: ", (unsigned long)r);
	deadline = sysreg_read(CNTVCT_EL0) + WAIT_SECONDS * sysreg_read(CNTFRQ_EL0);
	while (!cpu1_ready && sysreg_read(CNTVCT_EL0) < deadline)
		;
	if (!cpu1_ready)
		return failed("vCPU 1 did not start: ", 0);
	send_sgi(SGI_TO_1, 1);
	got = take();
	if (cpu1_got_sgi != SGI_TO_1)
		return failed("vCPU 1 did not get SGI 2, but ", cpu1_got_sgi);
	if (got != SGI_TO_0)
		return failed("SGI 3 from vCPU 1 did not come, but ", got);
	return 0;
}

/* 8 SPIs pending at once: each must be taken once, none again. */
static int spis_past_the_lrs(void)
{
	uint32_t seen = 0, got;

	GICD[GICD_ISPENDR1] = SPI_BITS;
	for (int i = 0; i < NR_SPIS; i++) {
		got = ack_wait();
		if (got < 32 || got >= 32 + NR_SPIS)
			return failed("an SPI of 32 to 39 did not come, but ", got);
		eoi(got);
		if (seen & 1U << (got - 32))
			return failed("an SPI came twice: ", got);
		seen |= 1U << (got - 32);
	}
	got = sysreg_read(S3_0_C12_C12_0) & 0xffffff;
	if (got != SPURIOUS)
		return failed("an interrupt came after all 8: ", got);
	return 0;
}

/* Nanoseconds an SGI to itself takes from sent to EOId, the mean of 100; 0: lost. */
static unsigned long sgi_round_trip_ns(void)
{
	uint64_t hz = sysreg_read(CNTFRQ_EL0), start, ticks;

	asm volatile("isb" ::: "memory");
	start = sysreg_read(CNTVCT_EL0);
	for (int i = 0; i < 100; i++) {
		send_sgi(SGI_SELF, 0);
		if (ack_wait() != SGI_SELF)
			return 0;
		eoi(SGI_SELF);
	}
	asm volatile("isb" ::: "memory");
	ticks = sysreg_read(CNTVCT_EL0) - start;
	return hz ? ticks * 10000000ULL / hz : 0;	/* 1e9 / 100 */
}

void fw_main(const uint8_t *dtb);

void fw_main(const uint8_t *dtb)
{
	unsigned long el = (sysreg_read(CurrentEL) >> 2) & 3;
	int msi;

	(void)dtb;
	dist_init();
	cpu_interface_init(0);
	if (timer_rounds() || sgis() || spis_past_the_lrs())
		return;
	msi = its_msi_round(NR_CPUS, take);
	if (msi > 0)
		return;
	puts_uart("gicvm-nested: el=");
	putdec(el);
	puts_uart(msi ? " timer=3 sgi=1 ipi=2 spis=8 msi=0" : " timer=3 sgi=1 ipi=2 spis=8 msi=1");
	puts_uart(" sgi_rtt_ns=");
	putdec(sgi_round_trip_ns());
	puts_uart("\n");
}

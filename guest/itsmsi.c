// SPDX-License-Identifier: GPL-2.0-only
/*
 * An MSI through the ITS from a bare program (itsmsi.h). KVM's ITS takes
 * no MSI from a CPU's write to GITS_TRANSLATER (only from KVM_SIGNAL_MSI
 * and irqfd routes), so the MSI has to come from a device, as it would in
 * a Linux guest: gicvm's virtio-rng on PCI, whose queue interrupt is an
 * irqfd routed through the ITS. Here, in order:
 *
 * - LPIs on vCPU 0's redistributor: a property table (LPI 8192 enabled at
 *   priority 0xa0) and a pending table;
 * - the ITS: device and collection tables, a command queue, then MAPD
 *   (the function's requester ID is its device ID, as gicvm's msi-map
 *   says), MAPC (collection 0 to vCPU 0), MAPTI (event 0 to LPI 8192);
 * - the function: its BAR placed at the start of the PCI window, MSI-X
 *   on with entry 0 aimed at GITS_TRANSLATER with event 0, the device
 *   reset and set up as virtio 1.0 with queue 0 on vector 0;
 * - one 16-byte buffer on the queue and a kick: the device fills it and
 *   raises vector 0, which must come as LPI 8192, once.
 *
 * The MMU is off, so every access goes to memory uncached. (The nested
 * test bed's CPUs have FEAT_S2FWB, so KVM makes guest memory cacheable at
 * stage 2 and the device's writes are seen.)
 */
#include "fwlib.h"
#include "itsmsi.h"
#include "sysreg.h"
#include "gicvm/memmap.h"

#define SPURIOUS		1023
#define LPI_ID_BITS		14		/* LPIs 8192 to 16383 */
#define LPI_PRIORITY		0xa0

/*
 * Where the tables go: 2 MiB into RAM, above the program and its stack.
 * KVM's ITS tables have 64 KiB pages (it ignores the size asked for), so
 * each starts on a 64 KiB boundary and is one such page.
 */
#define AREA			(MMAP_RAM_BASE + 0x200000)
#define PROP_TABLE		(AREA + 0x00000)	/* a byte per LPI: 8 KiB */
#define PEND_TABLE		(AREA + 0x10000)	/* 64 KiB aligned */
#define DEVICE_TABLE		(AREA + 0x20000)
#define COLL_TABLE		(AREA + 0x30000)
#define CMD_QUEUE		(AREA + 0x40000)	/* one 4 KiB page: 128 commands */
#define ITT			(AREA + 0x41000)
#define VQ_DESC			(AREA + 0x42000)
#define VQ_AVAIL		(AREA + 0x43000)
#define VQ_USED			(AREA + 0x44000)
#define RNG_BUF			(AREA + 0x45000)
#define RNG_LEN			16
#define VQ_SIZE			8

/* Redistributor region 0 sits right below the distributor, the ITS below it. */
#define GICR_RD0(cpus)		(MMAP_GIC_DIST_BASE - (cpus) * MMAP_GIC_REDIST_SIZE)
#define ITS_BASE(cpus)		(GICR_RD0(cpus) - MMAP_GIC_ITS_SIZE)
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_CTLR_ENABLE_LPIS	(1U << 0)
#define GICR_PENDBASER_PTZ	(1ULL << 62)

#define GITS_CTLR		0x0000
#define GITS_TYPER		0x0008
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GITS_BASER(n)		(0x0100 + 8 * (n))
#define GITS_TRANSLATER		0x10040
#define GITS_TYPER_PTA		(1ULL << 19)
#define GITS_VALID		(1ULL << 63)
#define GITS_BASER_TYPE(v)	(((v) >> 56) & 7)
#define GITS_BASER_RO		(7ULL << 56 | 0x1fULL << 48)	/* type, entry size */
#define BASER_DEVICES		1
#define BASER_COLLECTIONS	4

#define ITS_CMD_SYNC		0x05
#define ITS_CMD_MAPD		0x08
#define ITS_CMD_MAPC		0x09
#define ITS_CMD_MAPTI		0x0a

/* PCI configuration space (ECAM, bus 0) and the virtio-pci structures. */
#define ECAM(dev)		(MMAP_PCI_CFG_BASE + ((uint64_t)(dev) << 15))
#define PCI_VENDOR_VIRTIO	0x1af4
#define PCI_DEVICE_VIRTIO_RNG	0x1044			/* 0x1040 + device type 4 */
#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEM_MASTER	0x6
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define CAP_MSIX		0x11
#define CAP_VENDOR		0x09
#define MSIX_CONTROL		2			/* in the capability */
#define MSIX_ENABLE		(1U << 15)
#define MSIX_FUNCTION_MASK	(1U << 14)
#define VIRTIO_CAP_COMMON	1
#define VIRTIO_CAP_NOTIFY	2

#define COMMON_GFSELECT		0x08
#define COMMON_GF		0x0c
#define COMMON_MSIX_CONFIG	0x10
#define COMMON_STATUS		0x14
#define COMMON_Q_SELECT		0x16
#define COMMON_Q_SIZE		0x18
#define COMMON_Q_MSIX		0x1a
#define COMMON_Q_ENABLE		0x1c
#define COMMON_Q_NOFF		0x1e
#define COMMON_Q_DESC		0x20
#define COMMON_Q_AVAIL		0x28
#define COMMON_Q_USED		0x30
#define STATUS_ACK_DRIVER	0x03
#define STATUS_DRIVER_OK	0x04
#define STATUS_FEATURES_OK	0x08
#define VIRTIO_F_VERSION_1_HI	1U			/* bit 32: bit 0 of the high word */
#define NO_VECTOR		0xffff
#define VRING_DESC_F_WRITE	2

#define rd8(a)		(*(volatile uint8_t *)(uintptr_t)(a))
#define rd16(a)		(*(volatile uint16_t *)(uintptr_t)(a))
#define rd32(a)		(*(volatile uint32_t *)(uintptr_t)(a))
#define rd64(a)		(*(volatile uint64_t *)(uintptr_t)(a))
#define wr8(a, v)	(*(volatile uint8_t *)(uintptr_t)(a) = (v))
#define wr16(a, v)	(*(volatile uint16_t *)(uintptr_t)(a) = (v))
#define wr32(a, v)	(*(volatile uint32_t *)(uintptr_t)(a) = (v))
#define wr64(a, v)	(*(volatile uint64_t *)(uintptr_t)(a) = (v))

struct function {
	unsigned int dev;		/* on bus 0: requester ID dev << 3 */
	unsigned int msix_cap;
	uint64_t bar;
	uint64_t common, notify, msix_table;
	uint32_t notify_mult;
};

static int failed(const char *what, unsigned long value)
{
	return fw_failed("gicvm-itsmsi", what, value);
}

static void barrier(void)
{
	asm volatile("dsb sy" ::: "memory");
}

/* The virtio-rng function on bus 0, its BAR placed and decoding: -1 if none. */
static int find_function(struct function *f)
{
	for (unsigned int dev = 0; dev < 32; dev++) {
		if (rd32(ECAM(dev)) != (PCI_DEVICE_VIRTIO_RNG << 16 | PCI_VENDOR_VIRTIO))
			continue;
		f->dev = dev;
		f->bar = MMAP_PCI_MMIO_BASE;
		wr32(ECAM(dev) + PCI_BAR0, (uint32_t)f->bar);
		wr32(ECAM(dev) + PCI_BAR0 + 4, (uint32_t)(f->bar >> 32));
		wr32(ECAM(dev) + PCI_COMMAND, PCI_COMMAND_MEM_MASTER);
		return 0;
	}
	return -1;
}

/* Its capabilities: the common and notify structures, and MSI-X. */
static int find_capabilities(struct function *f)
{
	uint64_t cfg = ECAM(f->dev);
	unsigned int at = rd32(cfg + PCI_CAP_PTR) & 0xfc;

	for (int n = 0; at && n < 48; n++, at = (rd32(cfg + at) >> 8) & 0xfc) {
		uint32_t head = rd32(cfg + at);
		uint32_t offset = rd32(cfg + at + 8);

		if ((head & 0xff) == CAP_MSIX) {
			f->msix_cap = at;
			f->msix_table = f->bar + (rd32(cfg + at + 4) & ~7U);
		} else if ((head & 0xff) == CAP_VENDOR && ((head >> 24) & 0xff) == VIRTIO_CAP_COMMON) {
			f->common = f->bar + offset;
		} else if ((head & 0xff) == CAP_VENDOR && ((head >> 24) & 0xff) == VIRTIO_CAP_NOTIFY) {
			f->notify = f->bar + offset;
			f->notify_mult = rd32(cfg + at + 16);
		}
	}
	if (!f->common || !f->notify || !f->msix_table)
		return failed("the virtio-rng function lacks a capability: ", f->dev);
	return 0;
}

/* vCPU 0's LPIs: the property table says LPI 8192 is enabled. */
static void redistributor_init(unsigned int cpus)
{
	uint64_t rd = GICR_RD0(cpus);

	wr8(PROP_TABLE + ITS_MSI_LPI - 8192, LPI_PRIORITY | 1);
	barrier();
	wr64(rd + GICR_PROPBASER, PROP_TABLE | (LPI_ID_BITS - 1));
	wr64(rd + GICR_PENDBASER, PEND_TABLE | GICR_PENDBASER_PTZ);
	wr32(rd + GICR_CTLR, rd32(rd + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
}

static unsigned int cmd_next;

/* One ITS command; 0 once the ITS has read it. */
static int its_command(uint64_t its, uint64_t dw0, uint64_t dw1, uint64_t dw2)
{
	uint64_t slot = CMD_QUEUE + cmd_next * 32;

	wr64(slot, dw0);
	wr64(slot + 8, dw1);
	wr64(slot + 16, dw2);
	wr64(slot + 24, 0);
	barrier();
	cmd_next++;
	wr64(its + GITS_CWRITER, cmd_next * 32);
	for (int n = 0; n < 1000000; n++)
		if (rd64(its + GITS_CREADR) == cmd_next * 32)
			return 0;
	return failed("the ITS did not take command ", dw0 & 0xff);
}

/* The ITS's tables and queue, then event 0 of device @devid to LPI 8192 on vCPU 0. */
static int its_init(unsigned int cpus, uint32_t devid)
{
	uint64_t its = ITS_BASE(cpus), rd = GICR_RD0(cpus), target;

	for (int n = 0; n < 8; n++) {
		uint64_t baser = rd64(its + GITS_BASER(n));

		if (GITS_BASER_TYPE(baser) == BASER_DEVICES)
			wr64(its + GITS_BASER(n), (baser & GITS_BASER_RO) | GITS_VALID | DEVICE_TABLE);
		else if (GITS_BASER_TYPE(baser) == BASER_COLLECTIONS)
			wr64(its + GITS_BASER(n), (baser & GITS_BASER_RO) | GITS_VALID | COLL_TABLE);
	}
	wr64(its + GITS_CBASER, GITS_VALID | CMD_QUEUE);	/* one page */
	wr64(its + GITS_CWRITER, 0);
	wr32(its + GITS_CTLR, 1);
	/* A collection names its redistributor by address or by number (GITS_TYPER.PTA). */
	target = rd64(its + GITS_TYPER) & GITS_TYPER_PTA ? rd >> 16 : (rd64(rd + GICR_TYPER) >> 8) & 0xffff;
	return its_command(its, ITS_CMD_MAPD | (uint64_t)devid << 32, 1, GITS_VALID | ITT) ||
	       its_command(its, ITS_CMD_MAPC, 0, GITS_VALID | target << 16) ||
	       its_command(its, ITS_CMD_MAPTI | (uint64_t)devid << 32, (uint64_t)ITS_MSI_LPI << 32, 0) ||
	       its_command(its, ITS_CMD_SYNC, 0, target << 16);
}

/* A 64-bit field of the common structure, as two 32-bit halves (as Linux writes it). */
static void set_address(uint64_t field, uint64_t addr)
{
	wr32(field, (uint32_t)addr);
	wr32(field + 4, (uint32_t)(addr >> 32));
}

/*
 * Reset first (a reset turns MSI-X off too), then MSI-X on with vector 0
 * aimed at the ITS with event 0, and virtio 1.0 with queue 0 on vector 0.
 */
static int device_init(const struct function *f, unsigned int cpus)
{
	uint64_t doorbell = ITS_BASE(cpus) + GITS_TRANSLATER;
	uint64_t control = ECAM(f->dev) + f->msix_cap + MSIX_CONTROL;

	wr8(f->common + COMMON_STATUS, 0);
	for (int n = 0; n < 1000 && rd8(f->common + COMMON_STATUS); n++)
		;
	wr16(control, (rd16(control) | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK);
	wr32(f->msix_table, (uint32_t)doorbell);
	wr32(f->msix_table + 4, (uint32_t)(doorbell >> 32));
	wr32(f->msix_table + 8, 0);			/* event 0 */
	wr32(f->msix_table + 12, 0);			/* unmasked */
	wr8(f->common + COMMON_STATUS, STATUS_ACK_DRIVER);
	wr32(f->common + COMMON_GFSELECT, 1);
	wr32(f->common + COMMON_GF, VIRTIO_F_VERSION_1_HI);
	wr8(f->common + COMMON_STATUS, STATUS_ACK_DRIVER | STATUS_FEATURES_OK);
	if (!(rd8(f->common + COMMON_STATUS) & STATUS_FEATURES_OK))
		return failed("the device refused VIRTIO_F_VERSION_1: status ", rd8(f->common + COMMON_STATUS));
	wr16(f->common + COMMON_MSIX_CONFIG, NO_VECTOR);
	wr16(f->common + COMMON_Q_SELECT, 0);
	if (rd16(f->common + COMMON_Q_SIZE) < VQ_SIZE)
		return failed("queue 0 is too small: ", rd16(f->common + COMMON_Q_SIZE));
	wr16(f->common + COMMON_Q_SIZE, VQ_SIZE);
	wr16(f->common + COMMON_Q_MSIX, 0);
	if (rd16(f->common + COMMON_Q_MSIX) != 0)
		return failed("the device took no MSI-X vector for queue 0: ", rd16(f->common + COMMON_Q_MSIX));
	set_address(f->common + COMMON_Q_DESC, VQ_DESC);
	set_address(f->common + COMMON_Q_AVAIL, VQ_AVAIL);
	set_address(f->common + COMMON_Q_USED, VQ_USED);
	wr16(f->common + COMMON_Q_ENABLE, 1);
	wr8(f->common + COMMON_STATUS, STATUS_ACK_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
	return 0;
}

/* One writable buffer on queue 0, and the kick. */
static void queue_buffer(const struct function *f)
{
	wr64(VQ_DESC, RNG_BUF);
	wr32(VQ_DESC + 8, RNG_LEN);
	wr16(VQ_DESC + 12, VRING_DESC_F_WRITE);
	wr16(VQ_AVAIL + 4, 0);				/* ring[0]: descriptor 0 */
	barrier();
	wr16(VQ_AVAIL + 2, 1);				/* idx */
	barrier();
	wr16(f->notify + rd16(f->common + COMMON_Q_NOFF) * f->notify_mult, 0);
}

int its_msi_round(unsigned int nr_cpus, uint32_t (*take)(void))
{
	struct function f = { 0 };
	uint32_t got;

	if (find_function(&f))
		return -1;
	if (find_capabilities(&f))
		return 1;
	redistributor_init(nr_cpus);
	if (its_init(nr_cpus, f.dev << 3) || device_init(&f, nr_cpus))
		return 1;
	queue_buffer(&f);
	got = take();
	if (got != ITS_MSI_LPI)
		return failed("the queue's MSI did not come as LPI 8192, but ", got);
	if (rd16(VQ_USED + 2) != 1 || rd32(VQ_USED + 8) == 0)
		return failed("the device used no buffer: used idx ", rd16(VQ_USED + 2));
	got = sysreg_read(S3_0_C12_C12_0) & 0xffffff;		/* ICC_IAR1_EL1 */
	if (got != SPURIOUS)
		return failed("an interrupt came after the MSI: ", got);
	return 0;
}

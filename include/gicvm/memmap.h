/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest physical memory map: one place, compatible with kvmtool's arm64
 * layout so guest software written for kvmtool runs unchanged.
 *
 *   0x0000_0000 - 0x0001_0000   I/O port window (unused on arm64)
 *   0x0100_0000 - 0x0101_0000   8250 UART (ns16550a, byte registers)
 *   0x0101_0000 - 0x0102_0000   RTC (PL031)
 *   0x0200_0000 - 0x0300_0000   flash (unused)
 *   0x0300_0000 - ...           virtio-mmio devices, 0x200 bytes each
 *   ...         - 0x3fff_0000   GICv3 redistributors (128 KiB per vCPU),
 *                               growing down from the distributor; the ITS
 *                               (128 KiB) sits directly below them
 *   0x3fff_0000 - 0x4000_0000   GIC distributor (64 KiB)
 *   0x4000_0000 - 0x5000_0000   PCI ECAM configuration space (256 MiB)
 *   0x5000_0000 - 0x8000_0000   PCI MMIO window
 *   0x8000_0000 - ...           RAM
 */
#ifndef GICVM_MEMMAP_H
#define GICVM_MEMMAP_H

#define MMAP_IOPORT_BASE	0x00000000ULL
#define MMAP_IOPORT_SIZE	0x00010000ULL
#define MMAP_UART_BASE		0x01000000ULL
#define MMAP_UART_SIZE		0x00010000ULL
#define MMAP_RTC_BASE		0x01010000ULL
#define MMAP_RTC_SIZE		0x00010000ULL
#define MMAP_FLASH_BASE		0x02000000ULL
#define MMAP_VIRTIO_MMIO_BASE	0x03000000ULL
#define MMAP_VIRTIO_MMIO_SIZE	0x00000200ULL

#define MMAP_GIC_DIST_SIZE	0x00010000ULL
#define MMAP_GIC_DIST_BASE	(MMAP_PCI_CFG_BASE - MMAP_GIC_DIST_SIZE)
#define MMAP_GIC_REDIST_SIZE	0x00020000ULL	/* per vCPU: RD + SGI frames */
#define MMAP_GIC_ITS_SIZE	0x00020000ULL

#define MMAP_PCI_CFG_BASE	0x40000000ULL
#define MMAP_PCI_CFG_SIZE	0x10000000ULL
#define MMAP_PCI_MMIO_BASE	(MMAP_PCI_CFG_BASE + MMAP_PCI_CFG_SIZE)
#define MMAP_PCI_MMIO_SIZE	(MMAP_RAM_BASE - MMAP_PCI_MMIO_BASE)

#define MMAP_RAM_BASE		0x80000000ULL

/* Base of the redistributor region for @nr_cpus vCPUs (one region). */
static inline unsigned long long mmap_gic_redist_base(unsigned int nr_cpus)
{
	return MMAP_GIC_DIST_BASE - (unsigned long long)nr_cpus * MMAP_GIC_REDIST_SIZE;
}

#endif

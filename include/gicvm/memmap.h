/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest physical memory map: one place, compatible with kvmtool's arm64
 * layout so guest software written for kvmtool runs unchanged.
 *
 *   0x0000_0000 - 0x0001_0000   I/O port window (unused on arm64)
 *   0x0100_0000 - 0x0101_0000   8250 UART (ns16550a, byte registers)
 *   0x0101_0000 - 0x0102_0000   RTC (PL031)
 *   0x0102_0000 - 0x0103_0000   pvpanic-mmio (a 2-byte register)
 *   0x0200_0000 - 0x0300_0000   flash (unused)
 *   0x0300_0000 - ...           virtio-mmio devices, 0x200 bytes each
 *   ...         - 0x3fff_0000   GICv3: redistributors (128 KiB per vCPU) in
 *                               regions of up to 16 vCPUs growing down from
 *                               the distributor: region 0, the ITS (128 KiB)
 *                               directly below it, then regions 1, 2...
 *                               GICv2: the CPU interface (0x3ffd_0000) and
 *                               the v2m MSI frame (0x3ffc_0000)
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
#define MMAP_PVPANIC_BASE	0x01020000ULL
#define MMAP_PVPANIC_REG_SIZE	0x2ULL
#define MMAP_FLASH_BASE		0x02000000ULL
#define MMAP_VIRTIO_MMIO_BASE	0x03000000ULL
#define MMAP_VIRTIO_MMIO_SIZE	0x00000200ULL

#define MMAP_GIC_DIST_SIZE	0x00010000ULL
#define MMAP_GIC_DIST_BASE	(MMAP_PCI_CFG_BASE - MMAP_GIC_DIST_SIZE)
#define MMAP_GIC_REDIST_SIZE	0x00020000ULL	/* per vCPU: RD + SGI frames */
#define MMAP_GIC_ITS_SIZE	0x00020000ULL
/*
 * One redistributor region holds at most this many vCPUs. A bound keeps
 * the ITS's place close to the distributor whatever the vCPU count; a
 * bigger guest gets more regions (KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION).
 */
#define MMAP_GIC_REDIST_REGION_CPUS	16

/* GICv2: 4 KiB distributor, 8 KiB CPU interface, a 4 KiB v2m frame. */
#define MMAP_GICV2_DIST_SIZE	0x00001000ULL
#define MMAP_GICV2_CPU_BASE	(MMAP_GIC_DIST_BASE - 0x20000ULL)
#define MMAP_GICV2_CPU_SIZE	0x00002000ULL
#define MMAP_GICV2M_BASE	(MMAP_GICV2_CPU_BASE - 0x10000ULL)
#define MMAP_GICV2M_SIZE	0x00001000ULL

#define MMAP_PCI_CFG_BASE	0x40000000ULL
#define MMAP_PCI_CFG_SIZE	0x10000000ULL
#define MMAP_PCI_MMIO_BASE	(MMAP_PCI_CFG_BASE + MMAP_PCI_CFG_SIZE)
#define MMAP_PCI_MMIO_SIZE	(MMAP_RAM_BASE - MMAP_PCI_MMIO_BASE)

#define MMAP_RAM_BASE		0x80000000ULL

#endif

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ECAM host bridge: one bus of up to 32 functions, config space at
 * MMAP_PCI_CFG_BASE and the 32-bit memory window above it. The bridge
 * appears on the first pci_register(); guests place the BARs themselves.
 */
#include <libfdt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gic.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/pci.h"
#include "gicvm/vm.h"

#define PCI_MAX_SLOTS		32
#define FDT_PCI_SPACE_MEM32	0x02000000

struct pci_bus {
	struct vm *vm;
	struct pci_function *slots[PCI_MAX_SLOTS];
	unsigned int nr;
	/* BAR placement (config writes) against BAR accesses (vCPU threads). */
	pthread_rwlock_t lock;
	struct device dev;
};

static struct pci_function *ecam_function(struct pci_bus *bus, u64 off)
{
	unsigned int busnr = off >> 20, slot = (off >> 15) & 0x1f, fn = (off >> 12) & 7;

	if (busnr || fn || slot >= bus->nr)
		return NULL;
	return bus->slots[slot];
}

static void ecam_access(void *opaque, u64 off, u8 *data, u32 len, bool is_write)
{
	struct pci_bus *bus = opaque;
	struct pci_function *f = ecam_function(bus, off);
	u32 reg = off & 0xfff;

	if (!f) {
		/* No function here: reads of all ones, as on real hardware. */
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (!is_write) {
		pthread_rwlock_rdlock(&bus->lock);
		pci_cfg_read(f, reg, data, len);
		pthread_rwlock_unlock(&bus->lock);
		return;
	}
	pthread_rwlock_wrlock(&bus->lock);
	pci_cfg_write(f, reg, data, len);
	pthread_rwlock_unlock(&bus->lock);
}

static void window_access(void *opaque, u64 off, u8 *data, u32 len, bool is_write)
{
	struct pci_bus *bus = opaque;
	u64 addr = MMAP_PCI_MMIO_BASE + off;

	pthread_rwlock_rdlock(&bus->lock);
	for (unsigned int i = 0; i < bus->nr; i++) {
		struct pci_function *f = bus->slots[i];

		if (f->bar_addr && addr >= f->bar_addr && addr - f->bar_addr < f->bar_size) {
			f->ops->bar_access(f, addr - f->bar_addr, data, len, is_write);
			pthread_rwlock_unlock(&bus->lock);
			return;
		}
	}
	pthread_rwlock_unlock(&bus->lock);
	if (!is_write)
		memset(data, 0xff, len);
}

static void pci_fdt(struct device *dev, void *fdt)
{
	struct pci_bus *bus = dev->priv;
	const struct gic *gic = bus->vm->gic;
	u64 reg[] = { cpu_to_fdt64(MMAP_PCI_CFG_BASE), cpu_to_fdt64(MMAP_PCI_CFG_SIZE) };
	u32 bus_range[] = { 0, cpu_to_fdt32(0) };
	/* <flags pci-addr(2)> <cpu-addr(2)> <size(2)> */
	u32 ranges[] = {
		cpu_to_fdt32(FDT_PCI_SPACE_MEM32), 0, cpu_to_fdt32(MMAP_PCI_MMIO_BASE),
		0, cpu_to_fdt32(MMAP_PCI_MMIO_BASE), 0, cpu_to_fdt32(MMAP_PCI_MMIO_SIZE),
	};
	/* Every requester ID is its own ITS device ID. */
	u32 msi_map[] = { 0, cpu_to_fdt32(gic_fdt_msi_phandle(gic)), 0, cpu_to_fdt32(0x10000) };
	char name[32];

	snprintf(name, sizeof(name), "pci@%llx", MMAP_PCI_CFG_BASE);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "pci-host-ecam-generic");
	fdt_property_string(fdt, "device_type", "pci");
	fdt_property_cell(fdt, "#address-cells", 3);
	fdt_property_cell(fdt, "#size-cells", 2);
	fdt_property_cell(fdt, "#interrupt-cells", 1);
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range));
	fdt_property(fdt, "ranges", ranges, sizeof(ranges));
	fdt_property(fdt, "dma-coherent", NULL, 0);
	if (gic_fdt_msi_uses_map(gic))
		fdt_property(fdt, "msi-map", msi_map, sizeof(msi_map));
	else if (gic_fdt_msi_phandle(gic))
		fdt_property_cell(fdt, "msi-parent", gic_fdt_msi_phandle(gic));
	fdt_end_node(fdt);
}

static struct pci_bus *bus_create(struct vm *vm)
{
	struct pci_bus *bus = calloc(1, sizeof(*bus));

	if (!bus)
		return NULL;
	bus->vm = vm;
	pthread_rwlock_init(&bus->lock, NULL);
	if (mmio_register(&vm->mmio, "pci-ecam", MMAP_PCI_CFG_BASE, MMAP_PCI_CFG_SIZE,
			  ecam_access, bus) ||
	    mmio_register(&vm->mmio, "pci-bars", MMAP_PCI_MMIO_BASE, MMAP_PCI_MMIO_SIZE,
			  window_access, bus)) {
		free(bus);
		return NULL;
	}
	/* Its functions are devices of their own, saved as such. */
	bus->dev = (struct device){
		.name = "pci",
		.priv = bus,
		.fdt_node = pci_fdt,
		.save = device_save_nothing,
		.restore = device_restore_nothing,
	};
	device_add(vm, &bus->dev);
	return bus;
}

int pci_register(struct vm *vm, struct pci_function *f)
{
	struct pci_bus *bus;

	if (!vm->pci)
		vm->pci = bus_create(vm);
	bus = vm->pci;
	if (!bus || bus->nr == PCI_MAX_SLOTS) {
		pr_err("no PCI slot left (%u functions)", PCI_MAX_SLOTS);
		return -1;
	}
	f->slot = bus->nr;
	bus->slots[bus->nr++] = f;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvpanic-mmio (QEMU's "qemu,pvpanic-mmio", Linux's CONFIG_PVPANIC_MMIO):
 * one byte register. A read says which events the device takes; the
 * guest kernel writes PANICKED from its panic notifier, after the panic
 * text is on the console. gicvm then stops with its own exit status and
 * that text on stderr, instead of a guest that hangs or reboots unnoticed.
 */
#include <libfdt.h>
#include <misc/pvpanic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"

#define PVPANIC_EVENTS	(PVPANIC_PANICKED | PVPANIC_CRASH_LOADED)

struct pvpanic {
	struct device dev;
	struct vm *vm;
};

static void pvpanic_mmio(void *opaque, u64 offset, u8 *data, u32 len, bool is_write)
{
	struct pvpanic *p = opaque;

	if (offset || len != 1) {
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	if (!is_write) {
		data[0] = PVPANIC_EVENTS;
		return;
	}
	/* CRASH_LOADED: a kdump kernel takes over, so the guest goes on. */
	if (data[0] & PVPANIC_PANICKED) {
		pr_err("the guest kernel panicked");
		vm_request_stop(p->vm, VM_EXIT_PANIC);
	}
}

static void pvpanic_fdt_node(struct device *dev, void *fdt)
{
	u64 reg[] = { cpu_to_fdt64(MMAP_PVPANIC_BASE), cpu_to_fdt64(MMAP_PVPANIC_REG_SIZE) };
	char name[32];

	snprintf(name, sizeof(name), "pvpanic@%llx", MMAP_PVPANIC_BASE);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "qemu,pvpanic-mmio");
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_end_node(fdt);
}

static int pvpanic_create(struct vm *vm)
{
	struct pvpanic *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	if (mmio_register(&vm->mmio, "pvpanic", MMAP_PVPANIC_BASE, MMAP_PVPANIC_REG_SIZE,
			  pvpanic_mmio, p)) {
		pr_err("pvpanic: its address is taken");
		free(p);
		return -1;
	}
	p->vm = vm;
	p->dev = (struct device){
		.name = "pvpanic",
		.priv = p,
		.fdt_node = pvpanic_fdt_node,
		.save = device_save_nothing,	/* a write is acted on at once */
		.restore = device_restore_nothing,
	};
	device_add(vm, &p->dev);
	return 0;
}

const struct device_type pvpanic_device = {
	.name = "pvpanic",
	.create = pvpanic_create,
};

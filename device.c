// SPDX-License-Identifier: GPL-2.0-only
/* Walks over the table of device kinds (hw/devices.c) and the devices they made. */
#include <stddef.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"

void device_add(struct vm *vm, struct device *dev)
{
	struct device **p = &vm->devices;

	/* Keep creation order: the DT lists devices as they were made. */
	while (*p)
		p = &(*p)->next;
	dev->next = NULL;
	*p = dev;
}

int devices_create(struct vm *vm)
{
	for (size_t i = 0; i < nr_device_types; i++) {
		if (device_types[i]->create(vm))
			return -1;
	}
	return 0;
}

int devices_start(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next) {
		if (d->start && d->start(d, vm))
			return -1;
	}
	return 0;
}

void devices_reset(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next) {
		if (d->reset)
			d->reset(d);
	}
}

void devices_fdt(struct device *list, void *fdt)
{
	for (struct device *d = list; d; d = d->next) {
		if (d->fdt_node)
			d->fdt_node(d, fdt);
	}
}

void devices_report(struct device *list, struct report *r)
{
	for (struct device *d = list; d; d = d->next) {
		if (d->report)
			d->report(d, r);
	}
}

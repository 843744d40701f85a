// SPDX-License-Identifier: GPL-2.0-only
/* Walks over the table of device kinds (hw/devices.c) and the devices they made. */
#include <stddef.h>

#include "gicvm/config.h"
#include "gicvm/device.h"
#include "gicvm/vm.h"

#define CONFIG_ALIGN	16

static size_t aligned_size(const struct device_type *type)
{
	return (type->config_size + CONFIG_ALIGN - 1) & ~(size_t)(CONFIG_ALIGN - 1);
}

/* Where @type's configuration starts: after those of the kinds before it. */
static size_t config_offset(const struct device_type *type)
{
	size_t off = 0;

	for (size_t i = 0; i < nr_device_types && device_types[i] != type; i++)
		off += aligned_size(device_types[i]);
	return off;
}

int device_configs_fit(void)
{
	size_t total = config_offset(NULL);

	if (total <= sizeof(((struct vm_config *)0)->device_configs))
		return 0;
	pr_err("the device kinds' configurations need %zu bytes, vm_config has %zu",
	       total, sizeof(((struct vm_config *)0)->device_configs));
	return -1;
}

bool devices_share_ram(const struct vm_config *cfg)
{
	for (size_t i = 0; i < nr_device_types; i++) {
		const struct device_type *t = device_types[i];

		if (t->shares_ram && t->shares_ram(device_config(cfg, t)))
			return true;
	}
	return false;
}

unsigned int devices_guest_mounts(const struct vm_config *cfg, struct guest_mount *out,
				  unsigned int max)
{
	unsigned int n = 0;

	for (size_t i = 0; i < nr_device_types; i++) {
		const struct device_type *t = device_types[i];

		if (t->guest_mounts)
			n += t->guest_mounts(device_config(cfg, t), out + n, max - n);
	}
	return n;
}

const void *device_config(const struct vm_config *cfg, const struct device_type *type)
{
	return cfg->device_configs + config_offset(type);
}

void *device_config_mut(struct vm_config *cfg, const struct device_type *type)
{
	return cfg->device_configs + config_offset(type);
}

void device_add(struct vm *vm, struct device *dev)
{
	struct device **p = &vm->devices;

	/* Keep creation order: the DT lists devices as they were made. */
	while (*p)
		p = &(*p)->next;
	dev->next = NULL;
	*p = dev;
}

void devices_boot_params(const struct vm_config *cfg, bool own_init, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = 0;
	for (size_t i = 0; i < nr_device_types; i++) {
		const struct device_type *t = device_types[i];
		const char *p = t->boot_params ? t->boot_params(device_config(cfg, t), own_init) : NULL;

		if (p && at < len)
			at += snprintf(buf + at, len - at, "%s ", p);
	}
}

int devices_create(struct vm *vm)
{
	for (size_t i = 0; i < nr_device_types; i++) {
		if (device_types[i]->create(vm))
			return -1;
	}
	return 0;
}

int device_save_nothing(struct device *dev, struct state *s)
{
	return 0;
}

int device_restore_nothing(struct device *dev, struct state *s)
{
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

bool devices_command(struct device *list, const char *cmd, FILE *out)
{
	for (struct device *d = list; d; d = d->next) {
		if (d->command && d->command(d, cmd, out))
			return true;
	}
	return false;
}

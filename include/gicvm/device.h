/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devices: each kind lives in its own file and is listed once in
 * hw/devices.c. A kind's create() looks at the configuration, and for each
 * instance it wants claims its MMIO range and interrupt lines and adds a
 * struct device; start() runs after the GIC is finalised (irqfds, fds).
 */
#ifndef GICVM_DEVICE_H
#define GICVM_DEVICE_H

#include <stddef.h>
#include <stdio.h>

struct vm;
struct device;
struct report;
struct state;

struct device_type {
	const char *name;
	int (*create)(struct vm *vm);
};

struct device {
	const char *name;
	void *priv;
	void (*fdt_node)(struct device *dev, void *fdt);
	int (*start)(struct device *dev, struct vm *vm);
	/* Optional: back to power-on state for a reboot (vCPUs stopped). */
	void (*reset)(struct device *dev);
	/* Optional: the device's counters, as an object named after it. */
	void (*report)(struct device *dev, struct report *r);
	/*
	 * Optional, for snapshots (vCPUs stopped, I/O drained): the device's
	 * state into @s, and back from it. Non-zero: it cannot (said why). A
	 * device without them cannot be snapshotted.
	 */
	int (*save)(struct device *dev, struct state *s);
	int (*restore)(struct device *dev, struct state *s);
	struct device *next;
};

/* The table, defined in hw/devices.c. */
extern const struct device_type *const device_types[];
extern const size_t nr_device_types;

void device_add(struct vm *vm, struct device *dev);

/* Walk the table of device kinds; -1 if one failed (it printed why). */
int devices_create(struct vm *vm);
int devices_start(struct vm *vm);
void devices_reset(struct vm *vm);
void devices_fdt(struct device *list, void *fdt);
void devices_report(struct device *list, struct report *r);

#endif

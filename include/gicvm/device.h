/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Devices: each kind lives in its own file and is listed once in
 * hw/devices.c. A kind's create() looks at the configuration, and for each
 * instance it wants claims its MMIO range and interrupt lines and adds a
 * struct device; start() runs after the GIC is finalised (irqfds, fds).
 */
#ifndef GICVM_DEVICE_H
#define GICVM_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct vm;
struct vm_config;
struct device;
struct report;
struct state;

/*
 * An option of `gicvm run` that a device kind owns. @parse gets the
 * kind's configuration (see device_config()) and the option's value (NULL
 * for an option without one); it returns 0, or -1 for a value it refuses,
 * and the command line then fails with "--NAME wants WANTS, not 'VALUE'".
 */
struct device_option {
	const char *name;	/* long name, without "--" */
	char short_name;	/* 0: none */
	bool has_arg;
	const char *wants;	/* what a value must look like, for that error line */
	const char *help;	/* its lines of --help, each ending in a newline */
	int (*parse)(void *config, const char *arg);
};

/* A share gicvm's guest init mounts (guest/gicvm-init.c), by its virtio-fs tag. */
struct guest_mount {
	const char *tag;
	const char *host_path;	/* mounted there in the guest; NULL: not mounted */
	bool root;		/* the guest's root filesystem */
	bool readonly;
};

struct device_type {
	const char *name;
	/* Make the kind's devices, as its configuration asks (maybe none). */
	int (*create)(struct vm *vm);
	/* Optional: its options (ending with a NULL name) and what they fill. */
	const struct device_option *options;
	size_t config_size;	/* zeroed before the command line is parsed */
	/*
	 * Optional: whether, so configured, the kind hands guest RAM to
	 * another process (vhost-user), which needs it in a shareable memfd.
	 */
	bool (*shares_ram)(const void *config);
	/* Optional: up to @max shares the guest's init is to mount; how many. */
	unsigned int (*guest_mounts)(const void *config, struct guest_mount *out, unsigned int max);
	/*
	 * Optional: kernel parameters the kind adds, or NULL; @own_init: the
	 * guest runs gicvm's own init (--rootfs), not the user's initramfs.
	 */
	const char *(*boot_params)(const void *config, bool own_init);
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
	 * Optional: a control-socket command it answers ("balloon ..."): true
	 * if @cmd was its, answered on @out. I/O thread.
	 */
	bool (*command)(struct device *dev, const char *cmd, FILE *out);
	/*
	 * Optional, for snapshots (vCPUs stopped, I/O drained): the device's
	 * state into @s, and back from it. Non-zero: it cannot (said why). A
	 * device without them cannot be snapshotted.
	 */
	int (*save)(struct device *dev, struct state *s);
	int (*restore)(struct device *dev, struct state *s);
	struct device *next;
};

/* save/restore for a device with no state of its own to keep (pvpanic). */
int device_save_nothing(struct device *dev, struct state *s);
int device_restore_nothing(struct device *dev, struct state *s);

/* The table, defined in hw/devices.c. */
extern const struct device_type *const device_types[];
extern const size_t nr_device_types;

void device_add(struct vm *vm, struct device *dev);

/*
 * @type's configuration within @cfg, as its options left it (zeroed if none
 * was given). The kinds' configurations share the room in struct
 * vm_config; device_configs_fit() says whether they fit (said why if not).
 */
const void *device_config(const struct vm_config *cfg, const struct device_type *type);
void *device_config_mut(struct vm_config *cfg, const struct device_type *type);
int device_configs_fit(void);
/* Whether some kind, as @cfg configures it, shares guest RAM (shares_ram). */
bool devices_share_ram(const struct vm_config *cfg);
/* Every kind's guest_mounts, up to @max in all; how many. */
unsigned int devices_guest_mounts(const struct vm_config *cfg, struct guest_mount *out,
				  unsigned int max);

/* Every kind's boot_params, each followed by a space, into @buf (cut at @len). */
void devices_boot_params(const struct vm_config *cfg, bool own_init, char *buf, size_t len);

/* Walk the table of device kinds; -1 if one failed (it printed why). */
int devices_create(struct vm *vm);
int devices_start(struct vm *vm);
void devices_reset(struct vm *vm);
void devices_fdt(struct device *list, void *fdt);
void devices_report(struct device *list, struct report *r);
/* The device that answers control command @cmd answers it; false if none. */
bool devices_command(struct device *list, const char *cmd, FILE *out);

#endif

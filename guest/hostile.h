/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gicvm-hostile's parts: the attacks (gicvm-hostile.c) drive the device
 * through a transport (hostile-mmio.c, hostile-pci.c) the way a driver
 * would, and each transport adds attacks on its own registers.
 */
#ifndef GICVM_HOSTILE_H
#define GICVM_HOSTILE_H

#include <stdbool.h>
#include <stdint.h>

struct transport {
	const char *name;
	uint64_t regs_phys;		/* guest-physical address of its registers */
	uint32_t (*get_status)(void);
	void (*set_status)(uint32_t status);
	void (*set_features)(uint64_t features);
	/* Queue hostile_queue: size and ring addresses, then enable it. */
	void (*set_queue)(uint16_t num, uint64_t desc, uint64_t avail, uint64_t used);
	bool (*queue_ready)(void);
	void (*notify)(uint16_t queue);
	void (*ack_interrupt)(void);
	/* Writes to read-only registers, wrong sizes, out-of-range selectors... */
	void (*register_attacks)(void);
};

/* Set up the transport on the device at @arg; NULL if it is not a virtio-blk. */
const struct transport *hostile_mmio(const char *arg);
const struct transport *hostile_pci(const char *arg);

/* Which queue set_queue() and queue_ready() mean (0 unless changed). */
extern uint16_t hostile_queue;
/* The PCI device ID hostile_pci() takes: 0x1042 (blk) unless changed. */
extern uint16_t hostile_pci_device;

/* Shared by the parts. */
extern unsigned int tried, refused;
volatile void *map_phys(uint64_t addr, size_t len);
void die(const char *what);
/* One attack of several tries: @ok of them refused; prints the outcome. */
void tally(const char *attack, unsigned int tries, unsigned int ok, const char *what);

#endif

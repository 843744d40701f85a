/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An MSI through the ITS for a bare program (guest/itsmsi.c): gicvm's
 * virtio-rng on PCI (--rng --virtio-transport pci, --gic v3-its) driven as
 * a driver would, its queue's MSI-X vector an LPI the ITS translates.
 */
#ifndef GICVM_GUEST_ITSMSI_H
#define GICVM_GUEST_ITSMSI_H

#include <stdint.h>

#define ITS_MSI_LPI	8192		/* the first LPI */

/*
 * With @nr_cpus vCPUs (where the ITS sits follows from it): 0 when the
 * device filled a buffer and its MSI arrived as ITS_MSI_LPI through @take
 * (the next interrupt, acknowledged and EOId; 1023 if none came), -1 when
 * there is no such device, 1 when something failed (a line says what).
 */
int its_msi_round(unsigned int nr_cpus, uint32_t (*take)(void));

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtio-pci function's BAR layout and state: private to virtio/pci.c,
 * shared only with the tests that check its promises (tests/fuzz).
 */
#ifndef GICVM_VIRTIO_VPCI_H
#define GICVM_VIRTIO_VPCI_H

#include "gicvm/device.h"
#include "gicvm/msix.h"
#include "gicvm/pci.h"
#include "virtio.h"

#define BAR_SIZE		0x8000
#define COMMON_OFF		0x0000
#define COMMON_LEN		0x0040
#define ISR_OFF			0x1000
#define DEVCFG_OFF		0x2000
#define NOTIFY_OFF		0x3000
#define NOTIFY_MULT		4
#define MSIX_TABLE_OFF		0x4000
#define MSIX_PBA_OFF		0x5000
#define PCI_VENDOR_REDHAT_QUMRANET 0x1af4
#define VIRTIO_PCI_DEVICE_BASE	0x1040

struct pci_kick {
	struct virtio_kick kick;
	u64 addr;			/* where its ioeventfd is assigned; 0: nowhere */
};

struct virtio_pci {
	struct virtio_device *vdev;
	struct pci_function pci;
	struct msix msix;
	u32 dev_features_sel, drv_features_sel;
	u64 drv_features;
	u16 queue_sel;
	u16 config_vector;
	u16 queue_vector[VIRTIO_MAX_QUEUES];
	u8 isr;
	u8 config_generation;
	struct pci_kick kicks[VIRTIO_MAX_QUEUES];
	struct device dev;
};

#endif

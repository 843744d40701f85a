// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which transport a virtio device goes on. Above both the core and the
 * transports, so that neither has to name the other.
 */
#include "gic/gic.h"
#include "gicvm/vm.h"
#include "virtio.h"

bool virtio_transport_is_pci(const struct vm *vm)
{
	switch (vm->cfg->transport) {
	case TRANSPORT_PCI:
		return true;
	case TRANSPORT_MMIO:
		return false;
	case TRANSPORT_AUTO:
		break;
	}
	return gic_has_msi(vm->gic);
}

int virtio_device_add(struct vm *vm, struct virtio_device *vdev)
{
	virtio_init_device(vdev, vm);
	if (vdev->num_queues > VIRTIO_MAX_QUEUES)
		return -1;
	return virtio_transport_is_pci(vm) ? virtio_pci_add(vm, vdev) : virtio_mmio_add(vm, vdev);
}

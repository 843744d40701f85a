// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel vGICv3: KVM_CREATE_DEVICE, its frames' addresses, its size,
 * CTRL_INIT and irqfds. Nothing here is on the interrupt path at run time.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gic_internal.h"
#include "gicvm/vm.h"

static int set_attr(int fd, u32 group, u64 attr, const void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (unsigned long)val,
	};

	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

static int create_v3(struct gic *gic)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	const struct gic_layout *l = &gic->layout;

	if (ioctl(gic->vm->vm_fd, KVM_CREATE_DEVICE, &cd)) {
		pr_err("this host's KVM cannot create a GICv3 (KVM_CREATE_DEVICE: %s)",
		       strerror(errno));
		return -1;
	}
	gic->dev_fd = cd.fd;
	if (set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
		     KVM_VGIC_V3_ADDR_TYPE_DIST, &l->dist_base) ||
	    set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
		     KVM_VGIC_V3_ADDR_TYPE_REDIST, &l->redist_base)) {
		pr_err("cannot place the GICv3 frames: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct gic *gic_create(struct vm *vm, enum gic_type type)
{
	struct gic *gic = calloc(1, sizeof(*gic));

	if (!gic)
		return NULL;
	gic->vm = vm;
	gic->dev_fd = -1;
	gic_layout_init(&gic->layout, type, vm->nr_cpus);
	if (create_v3(gic)) {
		if (gic->dev_fd >= 0)
			close(gic->dev_fd);
		free(gic);
		return NULL;
	}
	pr_info("GIC%s: distributor at %#llx, %u redistributors from %#llx",
		gic_type_name(type), (unsigned long long)gic->layout.dist_base,
		vm->nr_cpus, (unsigned long long)gic->layout.redist_base);
	return gic;
}

int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger)
{
	if (gic->finalized)
		return -1;
	return gic_layout_alloc_spi(&gic->layout, trigger);
}

int gic_finalize(struct gic *gic)
{
	u32 nr_irqs = gic_layout_nr_irqs(&gic->layout);

	if (set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs)) {
		pr_err("cannot size the vGIC to %u interrupts: %s", nr_irqs, strerror(errno));
		return -1;
	}
	if (set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL)) {
		pr_err("cannot initialise the vGIC: %s", strerror(errno));
		return -1;
	}
	gic->finalized = true;
	pr_debug("vGIC initialised with %u interrupts", nr_irqs);
	return 0;
}

int gic_irqfd(struct gic *gic, unsigned int intid, int *resample_fd)
{
	struct kvm_irqfd req = { 0 };
	int fd, rfd = -1;

	if (!gic->finalized || intid < GIC_SPI_BASE ||
	    intid >= GIC_SPI_BASE + gic->layout.nr_spis)
		return -1;
	/* Only a level-triggered line has an EOI to resample. */
	if (!!resample_fd != (gic->layout.trigger[intid - GIC_SPI_BASE] == IRQ_LEVEL))
		return -1;
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -1;
	/* With the vGIC's default routing, GSI n is SPI n (intid n + 32). */
	req.fd = fd;
	req.gsi = intid - GIC_SPI_BASE;
	if (resample_fd) {
		rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (rfd < 0)
			goto fail;
		req.flags = KVM_IRQFD_FLAG_RESAMPLE;
		req.resamplefd = rfd;
	}
	if (ioctl(gic->vm->vm_fd, KVM_IRQFD, &req)) {
		pr_err("KVM_IRQFD for interrupt %u: %s", intid, strerror(errno));
		goto fail;
	}
	if (resample_fd)
		*resample_fd = rfd;
	return fd;
fail:
	close(fd);
	if (rfd >= 0)
		close(rfd);
	return -1;
}

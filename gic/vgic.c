// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-kernel vGIC: KVM_CREATE_DEVICE for a GICv3 (with its ITS) or a
 * GICv2, its frames' addresses, its size, CTRL_INIT and irqfds. Nothing
 * here is on the interrupt path at run time.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gic_internal.h"
#include "gicvm/kvm_newer.h"
#include "gicvm/vm.h"
#include "vgic.h"

int vgic_set_attr(int fd, u32 group, u64 attr, const void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (unsigned long)val,
	};

	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a);
}

static bool kvm_can_create(struct vm *vm, u32 dev_type)
{
	struct kvm_create_device cd = { .type = dev_type, .flags = KVM_CREATE_DEVICE_TEST };

	return !ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd);
}

/*
 * --gic auto: the richest GIC this host's KVM can create for this many
 * vCPUs. v2m needs nothing from KVM beyond irqchip routing, which every
 * vGIC has; a GICv2 takes at most 8 vCPUs.
 */
static int pick_type(struct vm *vm, enum gic_type *type)
{
	if (kvm_can_create(vm, KVM_DEV_TYPE_ARM_VGIC_ITS))
		*type = GIC_V3_ITS;
	else if (kvm_can_create(vm, KVM_DEV_TYPE_ARM_VGIC_V3))
		*type = GIC_V3;
	else if (kvm_can_create(vm, KVM_DEV_TYPE_ARM_VGIC_V2) && vm->nr_cpus <= GICV2_MAX_CPUS)
		*type = GIC_V2M;
	else
		return -1;
	return 0;
}

static int create_device(struct vm *vm, u32 dev_type)
{
	struct kvm_create_device cd = { .type = dev_type };

	return ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) ? -1 : (int)cd.fd;
}

/* The v3 attribute for redistributor region @i: count, base and index. */
static u64 redist_region_attr(const struct gic_redist_region *r, unsigned int i)
{
	return (u64)r->count << 52 | r->base | i;
}

static int place_v3(struct gic *gic)
{
	const struct gic_layout *l = &gic->layout;

	if (vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			  KVM_VGIC_V3_ADDR_TYPE_DIST, &l->dist_base))
		return -1;
	/* One region: the interface every KVM has; more: one attribute each. */
	if (l->nr_redist == 1)
		return vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				     KVM_VGIC_V3_ADDR_TYPE_REDIST, &l->redist[0].base);
	for (unsigned int i = 0; i < l->nr_redist; i++) {
		u64 attr = redist_region_attr(&l->redist[i], i);

		if (vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				  KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, &attr))
			return -1;
	}
	return 0;
}

static int create_its(struct gic *gic)
{
	gic->its_fd = create_device(gic->vm, KVM_DEV_TYPE_ARM_VGIC_ITS);
	if (gic->its_fd < 0)
		return -1;
	return vgic_set_attr(gic->its_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
			     &gic->layout.its_base);
}

static int place_v2(struct gic *gic)
{
	const struct gic_layout *l = &gic->layout;

	return vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			     KVM_VGIC_V2_ADDR_TYPE_DIST, &l->dist_base) ||
	       vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			     KVM_VGIC_V2_ADDR_TYPE_CPU, &l->cpu_base) ? -1 : 0;
}

static int create_kvm_devices(struct gic *gic)
{
	enum gic_type type = gic->layout.type;
	bool v3 = gic_type_is_v3(type);

	gic->dev_fd = create_device(gic->vm, v3 ? KVM_DEV_TYPE_ARM_VGIC_V3
						: KVM_DEV_TYPE_ARM_VGIC_V2);
	if (gic->dev_fd < 0) {
		pr_err("this host's KVM cannot create a GIC%s (KVM_CREATE_DEVICE: %s)%s",
		       v3 ? "v3" : "v2", strerror(errno),
		       kvm_can_create(gic->vm, v3 ? KVM_DEV_TYPE_ARM_VGIC_V2
						  : KVM_DEV_TYPE_ARM_VGIC_V3)
		       ? (v3 ? "; it has a GICv2: try --gic v2m" : "; it has a GICv3: try --gic v3")
		       : "");
		return -1;
	}
	if (v3 ? place_v3(gic) : place_v2(gic)) {
		pr_err("cannot place the GIC%s frames: %s", v3 ? "v3" : "v2", strerror(errno));
		return -1;
	}
	if (gic->layout.maint_intid &&
	    vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ, 0,
			  &(u32){ gic->layout.maint_intid })) {
		pr_err("--nested: this host's vGIC takes no maintenance interrupt for guests: %s",
		       strerror(errno));
		return -1;
	}
	if (type == GIC_V3_ITS && create_its(gic)) {
		pr_err("this host's KVM cannot create an ITS: %s (--gic v3 works without)",
		       strerror(errno));
		return -1;
	}
	if (type == GIC_V2M && gicv2m_frame_register(gic))
		return -1;
	return 0;
}

static void gic_free(struct gic *gic)
{
	if (gic->dev_fd >= 0)
		close(gic->dev_fd);
	if (gic->its_fd >= 0)
		close(gic->its_fd);
	free(gic->routing);
	free(gic->inject);
	free(gic);
}

struct gic *gic_create(struct vm *vm, enum gic_type type)
{
	struct gic *gic = calloc(1, sizeof(*gic));

	if (!gic)
		return NULL;
	gic->vm = vm;
	gic->dev_fd = gic->its_fd = -1;
	pthread_mutex_init(&gic->msi_lock, NULL);
	if (type == GIC_AUTO && pick_type(vm, &type)) {
		pr_err("this host's KVM can create no GIC for %u vCPUs", vm->nr_cpus);
		goto fail;
	}
	if (gic_layout_init(&gic->layout, type, vm->nr_cpus)) {
		pr_err("a GIC%s cannot have %u vCPUs (at most %u)", gic_type_name(type),
		       vm->nr_cpus, gic_type_is_v3(type) ? CONFIG_MAX_CPUS : GICV2_MAX_CPUS);
		goto fail;
	}
	if (vm->cfg->nested) {
		if (!gic_type_is_v3(type)) {
			pr_err("--nested needs a GICv3, and this host's KVM offers a GICv2 only");
			goto fail;
		}
		gic->layout.maint_intid = GIC_MAINT_INTID;
	}
	if (create_kvm_devices(gic))
		goto fail;
	pr_info("GIC %s: distributor at %#llx, %u vCPUs%s", gic_type_name(type),
		(unsigned long long)gic->layout.dist_base, vm->nr_cpus,
		type == GIC_V3_ITS ? ", ITS" : type == GIC_V2M ? ", v2m MSI frame" : "");
	return gic;
fail:
	gic_free(gic);
	return NULL;
}

int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger)
{
	if (gic->finalized)
		return -1;
	return gic_layout_alloc_spi(&gic->layout, trigger);
}

int gic_finalize(struct gic *gic)
{
	u32 nr_irqs;

	if (gic->layout.type == GIC_V2M && gic_layout_reserve_v2m(&gic->layout)) {
		pr_err("no SPIs left for the v2m frame's MSIs");
		return -1;
	}
	nr_irqs = gic_layout_nr_irqs(&gic->layout);
	if (vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs)) {
		pr_err("cannot size the vGIC to %u interrupts: %s", nr_irqs, strerror(errno));
		return -1;
	}
	if (vgic_set_attr(gic->dev_fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) ||
	    (gic->its_fd >= 0 && vgic_set_attr(gic->its_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
					       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL))) {
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
	if (gic->inject_ioctl && !resample_fd) {
		if (!gic_inject_register(gic, fd, GIC_INJECT_SPI, intid))
			return fd;
		close(fd);
		return -1;
	}
	/* Wired lines keep the vGIC's default routing: GSI n is SPI n (intid n + 32). */
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

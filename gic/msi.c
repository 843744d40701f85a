// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSIs: every vector a PCI function has is an irqfd on its own GSI, and the
 * GSI routing table tells KVM what each one delivers. With an ITS that is
 * the guest's (doorbell, event ID) message plus the function's device ID;
 * with a v2m frame it is the SPI the guest wrote as the message's data.
 * The wired SPIs keep their identity routes in the same table, since
 * KVM_SET_GSI_ROUTING replaces the vGIC's default one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gic_internal.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"
#include "vgic.h"

static int commit_routes(struct gic *gic)
{
	const struct gic_layout *l = &gic->layout;
	struct kvm_irq_routing *r = gic->routing;
	unsigned int n = 0;

	if (!r) {
		r = calloc(1, sizeof(*r) + (GIC_MAX_SPIS + GIC_MAX_MSI) * sizeof(r->entries[0]));
		if (!r)
			return -1;
		gic->routing = r;
	}
	for (unsigned int spi = 0; spi < l->nr_spis; spi++) {
		struct kvm_irq_routing_entry *e = &r->entries[n++];

		memset(e, 0, sizeof(*e));
		e->gsi = spi;
		e->type = KVM_IRQ_ROUTING_IRQCHIP;
		e->u.irqchip.pin = spi;
	}
	for (unsigned int v = 0; v < gic->nr_msi; v++)
		if (gic->msi[v].routed)
			r->entries[n++] = gic->msi[v].entry;
	r->nr = n;
	r->flags = 0;
	return ioctl(gic->vm->vm_fd, KVM_SET_GSI_ROUTING, r);
}

int gic_msi_irqfd(struct gic *gic, unsigned int *vector)
{
	struct kvm_irqfd req = { 0 };
	int fd;

	if (!gic->finalized || !gic_has_msi(gic))
		return -1;
	pthread_mutex_lock(&gic->msi_lock);
	if (gic->nr_msi >= GIC_MAX_MSI) {
		pthread_mutex_unlock(&gic->msi_lock);
		pr_err("no MSI vectors left (%u in use)", GIC_MAX_MSI);
		return -1;
	}
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	req.fd = fd;
	req.gsi = GIC_MSI_GSI_BASE + gic->nr_msi;
	/* An irqfd on a GSI with no route yet is accepted; it delivers nothing. */
	if (fd < 0 || (gic->inject_ioctl ?
		       gic_inject_register(gic, fd, GIC_INJECT_MSI, gic->nr_msi) :
		       ioctl(gic->vm->vm_fd, KVM_IRQFD, &req))) {
		pr_err("KVM_IRQFD for MSI vector %u: %s", gic->nr_msi, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	} else {
		*vector = gic->nr_msi++;
	}
	pthread_mutex_unlock(&gic->msi_lock);
	return fd;
}

int gic_msi_route(struct gic *gic, unsigned int vector, u64 addr, u32 data, u32 devid)
{
	struct gic_msi *m;
	int ret = 0;

	pthread_mutex_lock(&gic->msi_lock);
	if (vector >= gic->nr_msi) {
		pthread_mutex_unlock(&gic->msi_lock);
		return -1;
	}
	m = &gic->msi[vector];
	m->routed = gic_layout_msi_entry(&gic->layout, GIC_MSI_GSI_BASE + vector, addr, data,
					 devid, &m->entry);
	if (!m->routed)
		pr_debug("MSI vector %u: message %#llx/%#x goes nowhere", vector,
			 (unsigned long long)addr, data);
	if (commit_routes(gic)) {
		pr_warn("KVM_SET_GSI_ROUTING: %s", strerror(errno));
		m->routed = false;
		ret = -1;
	}
	pthread_mutex_unlock(&gic->msi_lock);
	return ret;
}

/*
 * The v2m frame as the guest's driver sees it: which SPIs it owns. A write
 * to the doorbell from a CPU (rather than from a PCI function, whose
 * messages are routed in KVM) is not something Linux does; it is dropped.
 */
static void v2m_access(void *opaque, u64 off, u8 *data, u32 len, bool is_write)
{
	struct gic *gic = opaque;
	u32 val = 0;

	if (is_write) {
		pr_debug("v2m: CPU write to %#llx ignored", (unsigned long long)off);
		return;
	}
	if (off == GICV2M_MSI_TYPER && len == 4)
		val = gic->layout.v2m_spi_base << 16 | GICV2M_NR_SPIS;
	val = htole32(val);
	memset(data, 0, len);
	memcpy(data, &val, len < 4 ? len : 4);
}

int gicv2m_frame_register(struct gic *gic)
{
	if (mmio_register(&gic->vm->mmio, "gicv2m", gic->layout.v2m_base, MMAP_GICV2M_SIZE,
			  v2m_access, gic)) {
		pr_err("cannot place the v2m frame");
		return -1;
	}
	return 0;
}

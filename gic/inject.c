// SPDX-License-Identifier: GPL-2.0-only
/*
 * How a device's interrupt eventfd reaches the guest.
 *
 * Normally the eventfd is an irqfd: gic_signal() writes it and KVM delivers
 * the interrupt in the kernel, with no ioctl from gicvm. `--irq-inject
 * ioctl` (hidden; it exists only so that `make bench` can show what irqfds
 * buy) keeps the same eventfds as plain handles and has gic_signal() make
 * the ioctl a VMM without irqfds would: KVM_IRQ_LINE for a wired edge SPI
 * or a v2m message, KVM_SIGNAL_MSI for an ITS message. Level-triggered
 * lines (the UART) stay irqfds in both modes: KVM_IRQ_LINE has no way to
 * tell gicvm about the guest's EOI, which the resample fd does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gic_internal.h"
#include "gicvm/sandbox.h"
#include "gicvm/vm.h"

/* Handles the ioctl mode can look up by eventfd number. */
#define INJECT_MAX_FD	4096

void gic_inject_by_ioctl(struct gic *gic)
{
	gic->inject_ioctl = true;
	/* The only place gicvm injects by ioctl: the sandbox allows it only then. */
	sandbox_allow_ioctl(KVM_IRQ_LINE);
	sandbox_allow_ioctl(KVM_SIGNAL_MSI);
}

/* Remember what the ioctl mode delivers for @fd; -1 if it cannot. */
int gic_inject_register(struct gic *gic, int fd, enum gic_inject_kind kind, unsigned int n)
{
	if (fd < 0 || fd >= INJECT_MAX_FD) {
		pr_err("--irq-inject ioctl: eventfd %d out of range", fd);
		return -1;
	}
	if (!gic->inject) {
		gic->inject = calloc(INJECT_MAX_FD, sizeof(*gic->inject));
		if (!gic->inject)
			return -1;
	}
	gic->inject[fd] = (struct gic_inject){ .kind = kind, .n = n };
	return 0;
}

static int irq_line(struct gic *gic, unsigned int intid)
{
	struct kvm_irq_level l = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | intid,
		.level = 1,	/* an edge SPI latches pending on a rising level */
	};

	atomic_fetch_add(&gic->vm->stats.irq_line_calls, 1);
	return ioctl(gic->vm->vm_fd, KVM_IRQ_LINE, &l);
}

static int signal_msi(struct gic *gic, const struct kvm_irq_routing_msi *m, u32 flags)
{
	struct kvm_msi msg = {
		.address_lo = m->address_lo,
		.address_hi = m->address_hi,
		.data = m->data,
		.flags = flags,
		.devid = m->devid,
	};

	atomic_fetch_add(&gic->vm->stats.signal_msi_calls, 1);
	/* 0 means the guest has the message blocked (e.g. LPIs off): not an error. */
	return ioctl(gic->vm->vm_fd, KVM_SIGNAL_MSI, &msg) < 0 ? -1 : 0;
}

/* The vector's current route, as irqfd delivery would use it. */
static int inject_msi(struct gic *gic, unsigned int vector)
{
	struct kvm_irq_routing_entry e;
	bool routed;

	pthread_mutex_lock(&gic->msi_lock);
	routed = vector < gic->nr_msi && gic->msi[vector].routed;
	if (routed)
		e = gic->msi[vector].entry;
	pthread_mutex_unlock(&gic->msi_lock);
	if (!routed)
		return 0;	/* an irqfd without a route delivers nothing either */
	if (e.type == KVM_IRQ_ROUTING_IRQCHIP)
		return irq_line(gic, e.u.irqchip.pin + GIC_SPI_BASE);
	return signal_msi(gic, &e.u.msi, e.flags);
}

int gic_signal(struct gic *gic, int fd)
{
	const struct gic_inject *in = NULL;
	u64 one = 1;
	int ret;

	if (gic->inject && fd >= 0 && fd < INJECT_MAX_FD)
		in = &gic->inject[fd];
	if (!in || in->kind == GIC_INJECT_IRQFD)
		return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
	ret = in->kind == GIC_INJECT_SPI ? irq_line(gic, in->n) : inject_msi(gic, in->n);
	if (ret)
		pr_warn("--irq-inject ioctl: %s", strerror(errno));
	return ret;
}

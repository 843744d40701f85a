// SPDX-License-Identifier: GPL-2.0-only
/* See fake_host.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_host.h"
#include "gic/gic.h"
#include "gicvm/vm.h"

struct fake_host fake_host = { .stop_reason = -1 };

static int fake_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	if (fd < 0 || fd >= FAKE_MAX_FDS || fake_host.nr_fds == FAKE_MAX_FDS)
		abort();
	fake_host.fds[fake_host.nr_fds++] = fd;
	return fd;
}

void fake_host_reset(void)
{
	for (unsigned int i = 0; i < fake_host.nr_fds; i++)
		close(fake_host.fds[i]);
	memset(&fake_host, 0, sizeof(fake_host));
	fake_host.stop_reason = -1;
}

int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger)
{
	return GIC_SPI_BASE + fake_host.spis++;
}

int gic_irqfd(struct gic *gic, unsigned int intid, int *resample_fd)
{
	if (resample_fd)
		*resample_fd = fake_eventfd();
	return fake_eventfd();
}

int gic_msi_irqfd(struct gic *gic, unsigned int *vector)
{
	*vector = fake_host.msi_vectors++;
	return fake_eventfd();
}

int gic_msi_route(struct gic *gic, unsigned int vector, u64 addr, u32 data, u32 devid)
{
	if (vector >= fake_host.msi_vectors)
		__builtin_trap();	/* KVM has no such GSI */
	fake_host.routes++;
	fake_host.last_addr = addr;
	fake_host.last_data = data;
	fake_host.last_devid = devid;
	return 0;
}

int gic_signal(struct gic *gic, int fd)
{
	u64 one = 1;

	fake_host.signals++;
	return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

int vm_ioeventfd_assign(struct vm *vm, int fd, u64 addr, u32 len, u64 datamatch, bool assign)
{
	if (fd < 0 || fd >= FAKE_MAX_FDS || !addr)
		__builtin_trap();
	if (assign ? fake_host.ioeventfd_at[fd] != 0 : fake_host.ioeventfd_at[fd] != addr)
		__builtin_trap();	/* KVM would refuse: EEXIST / ENOENT */
	fake_host.ioeventfd_at[fd] = assign ? addr : 0;
	return 0;
}

int vm_ioeventfd(struct vm *vm, u64 addr, u32 len, u64 datamatch)
{
	int fd = fake_eventfd();

	vm_ioeventfd_assign(vm, fd, addr, len, datamatch, true);
	return fd;
}

void vm_request_stop(struct vm *vm, int reason)
{
	if (fake_host.stop_reason < 0)
		fake_host.stop_reason = reason;
}

int ioloop_add(struct ioloop *loop, struct ioloop_entry *e)
{
	if (e->fd < 0 || fake_host.nr_entries == FAKE_MAX_ENTRIES)
		return -1;
	for (unsigned int i = 0; i < fake_host.nr_entries; i++)
		if (fake_host.entries[i] == e || fake_host.entries[i]->fd == e->fd)
			return -1;	/* epoll: EEXIST */
	e->paused = false;
	fake_host.entries[fake_host.nr_entries++] = e;
	return 0;
}

int ioloop_del(struct ioloop *loop, struct ioloop_entry *e)
{
	for (unsigned int i = 0; i < fake_host.nr_entries; i++) {
		if (fake_host.entries[i] == e) {
			fake_host.entries[i] = fake_host.entries[--fake_host.nr_entries];
			return 0;
		}
	}
	return -1;
}

int ioloop_pause(struct ioloop *loop, struct ioloop_entry *e, bool paused)
{
	if (e->fd >= 0)
		e->paused = paused;
	return 0;
}

bool fake_ioloop_fire(int fd)
{
	for (unsigned int i = 0; i < fake_host.nr_entries; i++) {
		struct ioloop_entry *e = fake_host.entries[i];

		if (e->fd == fd && !e->paused) {
			e->fn(e->opaque);
			return true;
		}
	}
	return false;
}

void fake_ioloop_fire_all(void)
{
	for (unsigned int i = 0; i < fake_host.nr_entries; i++)
		if (!fake_host.entries[i]->paused)
			fake_host.entries[i]->fn(fake_host.entries[i]->opaque);
}

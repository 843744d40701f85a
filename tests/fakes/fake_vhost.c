// SPDX-License-Identifier: GPL-2.0-only
/* See fake_vhost.h. */
#include <string.h>

#include "fake_vhost.h"
#include "gicvm/vm.h"
#include "virtio/vhost.h"
#include "virtio/virtio.h"

struct fake_vhost fake_vhost;
static struct vm *memory_of;	/* whose RAM the table gave */

void fake_vhost_reset(u64 features)
{
	memset(&fake_vhost, 0, sizeof(fake_vhost));
	fake_vhost.features = features;
	memory_of = NULL;
}

int vhost_open(struct vhost *v, const char *path)
{
	v->path = path;
	v->fd = -1;
	v->running = 0;
	v->features = fake_vhost.features;
	return 0;
}

int vhost_set_memory(struct vhost *v, struct vm *vm, u64 features)
{
	memory_of = vm;
	fake_vhost.memory_set = true;
	return 0;
}

/* Whether [p, p + len) lies in the guest RAM the memory table gave. */
static bool in_ram(const void *p, u64 len)
{
	const u8 *lo = memory_of->ram, *hi = lo + memory_of->ram_size;

	return (const u8 *)p >= lo && (const u8 *)p <= hi && len <= (u64)(hi - (const u8 *)p);
}

int vhost_start_ring(struct vhost *v, unsigned int idx, const struct vq_handoff *h)
{
	if (idx >= FAKE_VHOST_RINGS || (v->running & (1U << idx)) || !fake_vhost.memory_set)
		__builtin_trap();	/* the kernel wants memory first, one start per ring */
	if (!h->num || (h->num & (h->num - 1)) || h->kick_fd < 0 || h->call_fd < 0 ||
	    !in_ram(h->desc, 16ULL * h->num) || !in_ram(h->avail, 6 + 2ULL * h->num) ||
	    !in_ram(h->used, 6 + 8ULL * h->num))
		__builtin_trap();	/* the kernel would serve memory it must not */
	v->running |= 1U << idx;
	fake_vhost.call_fd[idx] = h->call_fd;
	fake_vhost.base[idx] = h->base;
	fake_vhost.starts++;
	return 0;
}

int vhost_set_call(struct vhost *v, unsigned int idx, int fd)
{
	if (idx >= FAKE_VHOST_RINGS || !(v->running & (1U << idx)) || fd < 0)
		__builtin_trap();	/* only a started ring's interrupt moves */
	fake_vhost.call_fd[idx] = fd;
	return 0;
}

int vhost_stop_ring(struct vhost *v, unsigned int idx, u16 *next_avail)
{
	*next_avail = 0;
	if (idx >= FAKE_VHOST_RINGS || !(v->running & (1U << idx)))
		return 0;
	v->running &= ~(1U << idx);
	fake_vhost.call_fd[idx] = -1;
	fake_vhost.stops++;
	*next_avail = fake_vhost.base[idx];	/* it took nothing */
	return 0;
}

int vhost_vsock_set_cid(struct vhost *v, u64 cid)
{
	return 0;
}

int vhost_vsock_set_running(struct vhost *v, bool running)
{
	fake_vhost.running = running;
	return 0;
}

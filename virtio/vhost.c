// SPDX-License-Identifier: GPL-2.0-only
/* The vhost ioctls gicvm makes, in the order drivers/vhost/vhost.c wants them. */
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "gicvm/vm.h"
#include "vhost.h"
#include "virtio.h"

int vhost_open(struct vhost *v, const char *path)
{
	v->path = path;
	v->running = 0;
	v->fd = open(path, O_RDWR | O_CLOEXEC);
	if (v->fd < 0) {
		pr_err("%s: %s%s", path, strerror(errno),
		       errno == ENOENT ? " (no vhost in this kernel: modprobe it, or drop vhost)" : "");
		return -1;
	}
	if (ioctl(v->fd, VHOST_SET_OWNER) || ioctl(v->fd, VHOST_GET_FEATURES, &v->features)) {
		pr_err("%s: cannot take the backend: %s", path, strerror(errno));
		close(v->fd);
		v->fd = -1;
		return -1;
	}
	return 0;
}

int vhost_set_memory(struct vhost *v, struct vm *vm, u64 features)
{
	/* One region: all of guest RAM. */
	u64 buf[(sizeof(struct vhost_memory) + sizeof(struct vhost_memory_region)) / 8] = { 0 };
	struct vhost_memory *mem = (struct vhost_memory *)buf;

	mem->nregions = 1;
	mem->regions[0] = (struct vhost_memory_region){
		.guest_phys_addr = vm->ram_base,
		.memory_size = vm->ram_size,
		.userspace_addr = (unsigned long)vm->ram,
	};

	features &= v->features;
	if (ioctl(v->fd, VHOST_SET_FEATURES, &features) || ioctl(v->fd, VHOST_SET_MEM_TABLE, mem)) {
		pr_err("%s: cannot set features or guest memory: %s", v->path, strerror(errno));
		return -1;
	}
	return 0;
}

int vhost_start_ring(struct vhost *v, unsigned int idx, const struct vq_handoff *h)
{
	struct vhost_vring_state num = { .index = idx, .num = h->num };
	struct vhost_vring_state base = { .index = idx, .num = h->base };
	struct vhost_vring_addr addr = {
		.index = idx,
		.desc_user_addr = (unsigned long)h->desc,
		.avail_user_addr = (unsigned long)h->avail,
		.used_user_addr = (unsigned long)h->used,
	};
	struct vhost_vring_file kick = { .index = idx, .fd = h->kick_fd };

	if (ioctl(v->fd, VHOST_SET_VRING_NUM, &num) || ioctl(v->fd, VHOST_SET_VRING_BASE, &base) ||
	    ioctl(v->fd, VHOST_SET_VRING_ADDR, &addr) || vhost_set_call(v, idx, h->call_fd) ||
	    ioctl(v->fd, VHOST_SET_VRING_KICK, &kick)) {
		pr_err("%s: cannot start ring %u: %s", v->path, idx, strerror(errno));
		return -1;
	}
	v->running |= 1U << idx;
	return 0;
}

int vhost_set_call(struct vhost *v, unsigned int idx, int fd)
{
	struct vhost_vring_file call = { .index = idx, .fd = fd };

	return ioctl(v->fd, VHOST_SET_VRING_CALL, &call);
}

int vhost_stop_ring(struct vhost *v, unsigned int idx, u16 *next_avail)
{
	struct vhost_vring_state base = { .index = idx };
	struct vhost_vring_file none = { .index = idx, .fd = -1 };

	*next_avail = 0;
	if (!(v->running & (1U << idx)))
		return 0;
	v->running &= ~(1U << idx);
	/* GET_VRING_BASE stops the ring; then it signals nothing more. */
	if (ioctl(v->fd, VHOST_GET_VRING_BASE, &base) ||
	    ioctl(v->fd, VHOST_SET_VRING_KICK, &none) || vhost_set_call(v, idx, -1)) {
		pr_warn("%s: cannot stop ring %u: %s", v->path, idx, strerror(errno));
		return -1;
	}
	*next_avail = base.num;
	return 0;
}

int vhost_vsock_set_cid(struct vhost *v, u64 cid)
{
	return ioctl(v->fd, VHOST_VSOCK_SET_GUEST_CID, &cid);
}

int vhost_vsock_set_running(struct vhost *v, bool running)
{
	int on = running;

	return ioctl(v->fd, VHOST_VSOCK_SET_RUNNING, &on);
}

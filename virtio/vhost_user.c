// SPDX-License-Identifier: GPL-2.0-only
/* A vhost-user frontend (see vhost_user.h). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gicvm/vm.h"
#include "vhost_user.h"
#include "virtio.h"

/* Requests gicvm sends (the protocol's numbering). */
enum {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_SET_MEM_TABLE = 5,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_SET_VRING_ENABLE = 18,
};

#define VU_VERSION		0x1
#define VU_FLAG_REPLY		(1U << 2)
#define VU_FLAG_NEED_REPLY	(1U << 3)
#define VU_F_PROTOCOL_FEATURES	30
#define VU_PROTOCOL_F_REPLY_ACK	3
#define VU_NO_FD		(1ULL << 8)	/* a kick/call message without an fd */

/* The protocol features gicvm speaks. */
#define VU_PROTOCOL_WANTED	(1ULL << VU_PROTOCOL_F_REPLY_ACK)

struct vu_header {
	u32 request;
	u32 flags;
	u32 size;
} __attribute__((packed));

struct vu_state {
	u32 index;
	u32 num;
};

struct vu_addr {
	u32 index;
	u32 flags;
	u64 desc, used, avail, log;
};

struct vu_region {
	u64 guest_addr;
	u64 size;
	u64 user_addr;
	u64 mmap_offset;
};

struct vu_memory {
	u32 nregions;
	u32 padding;
	struct vu_region regions[1];
};

union vu_payload {
	u64 u64;
	struct vu_state state;
	struct vu_addr addr;
	struct vu_memory memory;
};

/* Send @req with @len bytes of @payload and, if @fd >= 0, that fd. */
static int send_msg(struct vhost_user *u, u32 req, u32 flags, const void *payload, u32 len,
		    int fd)
{
	struct vu_header h = { .request = req, .flags = VU_VERSION | flags, .size = len };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)payload, len } };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *c;

		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do {
		n = sendmsg(u->fd, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)(sizeof(h) + len) ? 0 : -1;
}

/* Read exactly @len bytes, waiting at most the protocol's timeout in all. */
static int read_full(struct vhost_user *u, void *buf, size_t len)
{
	struct pollfd p = { .fd = u->fd, .events = POLLIN };
	size_t got = 0;

	while (got < len) {
		ssize_t n;

		if (poll(&p, 1, VHOST_USER_TIMEOUT_MS) != 1) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = recv(u->fd, (u8 *)buf + got, len - got, MSG_DONTWAIT);
		if (n == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		got += n > 0 ? n : 0;
	}
	return 0;
}

/* The reply to @req: exactly @len bytes of payload into @out. */
static int recv_reply(struct vhost_user *u, u32 req, void *out, u32 len)
{
	struct vu_header h;

	if (read_full(u, &h, sizeof(h)))
		return -1;
	if (h.request != req || !(h.flags & VU_FLAG_REPLY) || h.size != len) {
		errno = EPROTO;
		return -1;
	}
	return read_full(u, out, len);
}

/*
 * One request. With REPLY_ACK negotiated, a request that has no reply of
 * its own asks for an acknowledgement, so a refusal is seen here.
 */
static int request(struct vhost_user *u, u32 req, const void *payload, u32 len, int fd)
{
	bool ack = u->protocol & (1ULL << VU_PROTOCOL_F_REPLY_ACK);
	u64 status;

	if (u->fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if (send_msg(u, req, ack ? VU_FLAG_NEED_REPLY : 0, payload, len, fd))
		return -1;
	if (!ack)
		return 0;
	if (recv_reply(u, req, &status, sizeof(status)))
		return -1;
	if (status) {
		errno = EREMOTEIO;
		return -1;
	}
	return 0;
}

/* A request whose answer is a u64 (features) or a vring state. */
static int query(struct vhost_user *u, u32 req, const void *payload, u32 len, void *out,
		 u32 out_len)
{
	if (u->fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	if (send_msg(u, req, 0, payload, len, -1))
		return -1;
	return recv_reply(u, req, out, out_len);
}

static int fail(struct vhost_user *u, const char *what)
{
	pr_err("%s: the vhost-user backend %s: %s", u->name, what, strerror(errno));
	return -1;
}

int vhost_user_connect(struct vhost_user *u, const char *name, const char *path)
{
	u64 protocol = 0;

	u->name = name;
	u->running = 0;
	u->protocol = 0;
	u->fd = unix_connect(path);
	if (u->fd < 0) {
		pr_err("%s: cannot reach the vhost-user backend at %s: %s", name, path,
		       strerror(errno));
		return -1;
	}
	if (query(u, VU_GET_FEATURES, NULL, 0, &u->features, sizeof(u->features)))
		return fail(u, "did not give its features");
	if (u->features & (1ULL << VU_F_PROTOCOL_FEATURES)) {
		if (query(u, VU_GET_PROTOCOL_FEATURES, NULL, 0, &protocol, sizeof(protocol)))
			return fail(u, "did not give its protocol features");
		protocol &= VU_PROTOCOL_WANTED;
		if (request(u, VU_SET_PROTOCOL_FEATURES, &protocol, sizeof(protocol), -1))
			return fail(u, "refused the protocol features");
		u->protocol = protocol;
	}
	if (request(u, VU_SET_OWNER, NULL, 0, -1))
		return fail(u, "refused SET_OWNER");
	return 0;
}

int vhost_user_set_memory(struct vhost_user *u, struct vm *vm, u64 features)
{
	union vu_payload p = { .memory = {
		.nregions = 1,
		.regions[0] = {
			.guest_addr = vm->ram_base,
			.size = vm->ram_size,
			.user_addr = (unsigned long)vm->ram,
			.mmap_offset = 0,
		},
	} };

	if (vm->ram_fd < 0) {
		pr_err("%s: guest RAM is not shareable with a vhost-user backend", u->name);
		return -1;
	}
	/* The backend's own features bit stays on: it says rings start disabled. */
	features &= u->features;
	features |= u->features & (1ULL << VU_F_PROTOCOL_FEATURES);
	if (request(u, VU_SET_FEATURES, &features, sizeof(features), -1))
		return fail(u, "refused the features");
	if (request(u, VU_SET_MEM_TABLE, &p.memory, sizeof(p.memory), vm->ram_fd))
		return fail(u, "refused guest memory");
	return 0;
}

int vhost_user_start_ring(struct vhost_user *u, unsigned int idx, const struct vq_handoff *h)
{
	struct vu_state num = { idx, h->num }, base = { idx, h->base }, on = { idx, 1 };
	struct vu_addr addr = {
		.index = idx,
		.desc = (unsigned long)h->desc,
		.used = (unsigned long)h->used,
		.avail = (unsigned long)h->avail,
	};
	u64 file = idx;

	if (request(u, VU_SET_VRING_NUM, &num, sizeof(num), -1) ||
	    request(u, VU_SET_VRING_BASE, &base, sizeof(base), -1) ||
	    request(u, VU_SET_VRING_ADDR, &addr, sizeof(addr), -1) ||
	    vhost_user_set_call(u, idx, h->call_fd) ||
	    request(u, VU_SET_VRING_KICK, &file, sizeof(file), h->kick_fd) ||
	    ((u->features & (1ULL << VU_F_PROTOCOL_FEATURES)) &&
	     request(u, VU_SET_VRING_ENABLE, &on, sizeof(on), -1))) {
		pr_err("%s: the vhost-user backend cannot start ring %u: %s", u->name, idx,
		       strerror(errno));
		return -1;
	}
	u->running |= 1U << idx;
	return 0;
}

int vhost_user_set_call(struct vhost_user *u, unsigned int idx, int fd)
{
	u64 file = idx | (fd < 0 ? VU_NO_FD : 0);

	return request(u, VU_SET_VRING_CALL, &file, sizeof(file), fd);
}

int vhost_user_stop_ring(struct vhost_user *u, unsigned int idx, u16 *next_avail)
{
	struct vu_state state = { idx, 0 }, reply;

	*next_avail = 0;
	if (!(u->running & (1U << idx)))
		return 0;
	u->running &= ~(1U << idx);
	/* GET_VRING_BASE stops the ring and says where the backend got to. */
	if (query(u, VU_GET_VRING_BASE, &state, sizeof(state), &reply, sizeof(reply)) ||
	    reply.index != idx) {
		pr_warn("%s: the vhost-user backend did not stop ring %u: %s", u->name, idx,
			strerror(errno));
		return -1;
	}
	*next_avail = reply.num;
	return 0;
}

void vhost_user_lost(struct vhost_user *u)
{
	if (u->fd < 0)
		return;
	close(u->fd);
	u->fd = -1;
	u->running = 0;
	pr_err("%s: the vhost-user backend went away; the device needs a reset", u->name);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vhost-user frontend against a scripted backend on a real unix socket
 * (a thread): the order of the messages, the fds passed with them, the
 * acknowledgements, and what happens when the backend refuses, says
 * nothing or goes away: an error, never a hang or a crash.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gicvm/vm.h"
#include "harness.h"
#include "virtio/vhost_user.h"
#include "virtio/virtio.h"

enum backend_mode { SERVE, REFUSE_MEMORY, SILENT, HANG_UP };

struct backend {
	int listen_fd;
	enum backend_mode mode;
	u32 seen[64];		/* requests, in order */
	unsigned int nr_seen;
	unsigned int fds_seen;	/* fds passed with them */
	u64 features_set;
	u64 region_user_addr;
};

static struct backend be;
static char sock_path[108];

static int recv_msg(int fd, u32 hdr[3], u8 *payload, int *passed_fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { hdr, 12 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	*passed_fd = -1;
	if (recvmsg(fd, &msg, MSG_WAITALL) != 12)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_type == SCM_RIGHTS)
		memcpy(passed_fd, CMSG_DATA(c), sizeof(int));
	return hdr[2] && recv(fd, payload, hdr[2], MSG_WAITALL) != (ssize_t)hdr[2] ? -1 : 0;
}

static void reply(int fd, u32 req, const void *payload, u32 len)
{
	u32 hdr[3] = { req, 0x1 | 0x4, len };

	if (write(fd, hdr, sizeof(hdr)) != sizeof(hdr) || write(fd, payload, len) != len)
		return;
}

/* Answer as a vhost-user-fs backend would, or misbehave as be.mode says. */
static void serve(int fd)
{
	u8 payload[512];
	u32 hdr[3];
	int passed;

	while (!recv_msg(fd, hdr, payload, &passed)) {
		u64 v = 0;

		if (be.nr_seen < 64)
			be.seen[be.nr_seen++] = hdr[0];
		if (passed >= 0) {
			be.fds_seen++;
			close(passed);
		}
		if (be.mode == SILENT && hdr[0] == 5)
			continue;			/* never answers SET_MEM_TABLE */
		if (be.mode == HANG_UP && hdr[0] == 5)
			return;
		if (hdr[0] == 1) {			/* GET_FEATURES */
			v = (1ULL << 32) | (1ULL << 30) | (1ULL << 29);
			reply(fd, 1, &v, 8);
		} else if (hdr[0] == 15) {		/* GET_PROTOCOL_FEATURES: REPLY_ACK, MQ */
			v = (1ULL << 3) | (1ULL << 0);
			reply(fd, 15, &v, 8);
		} else if (hdr[0] == 11) {		/* GET_VRING_BASE */
			u32 state[2] = { ((u32 *)payload)[0], 42 };

			reply(fd, 11, state, 8);
		} else if (hdr[1] & 0x8) {		/* NEED_REPLY */
			if (hdr[0] == 2)
				memcpy(&be.features_set, payload, 8);
			if (hdr[0] == 5)
				memcpy(&be.region_user_addr, payload + 8 + 16, 8);
			v = be.mode == REFUSE_MEMORY && hdr[0] == 5;
			reply(fd, hdr[0], &v, 8);
		}
	}
}

static void *backend_thread(void *arg)
{
	int fd = accept(be.listen_fd, NULL, NULL);

	if (fd >= 0) {
		serve(fd);
		close(fd);
	}
	return NULL;
}

static pthread_t start_backend(enum backend_mode mode)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	pthread_t t;

	memset(&be, 0, sizeof(be));
	be.mode = mode;
	snprintf(sock_path, sizeof(sock_path), "/tmp/gicvm-unit-vu-%d", getpid());
	unlink(sock_path);
	strcpy(addr.sun_path, sock_path);
	be.listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(!bind(be.listen_fd, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!listen(be.listen_fd, 1));
	pthread_create(&t, NULL, backend_thread, NULL);
	return t;
}

static void stop_backend(pthread_t t, struct vhost_user *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	pthread_join(t, NULL);
	close(be.listen_fd);
	unlink(sock_path);
}

static struct vm vm;

static void shared_ram(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.ram_size = 1 << 20;
	vm.ram_base = 0x80000000;
	vm.ram_fd = memfd_create("unit-ram", MFD_CLOEXEC);
	CHECK(vm.ram_fd >= 0 && !ftruncate(vm.ram_fd, vm.ram_size));
	vm.ram = mmap(NULL, vm.ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm.ram_fd, 0);
	CHECK(vm.ram != MAP_FAILED);
}

static void free_ram(void)
{
	munmap(vm.ram, vm.ram_size);
	close(vm.ram_fd);
}

static void ring_round_trip(void)
{
	static const u32 order[] = { 1, 15, 16, 3, 2, 5, 8, 10, 9, 13, 12, 18, 11 };
	pthread_t t = start_backend(SERVE);
	struct vhost_user u;
	struct vq_handoff h;
	u16 next = 0;
	int kick = dup(0), call = dup(0);

	shared_ram();
	h = (struct vq_handoff){ .kick_fd = kick, .call_fd = call, .num = 16, .base = 3,
				 .desc = vm.ram, .avail = vm.ram + 0x1000, .used = vm.ram + 0x2000 };
	CHECK(!vhost_user_connect(&u, "unit", sock_path));
	CHECK_EQ(u.protocol, 1ULL << 3);		/* REPLY_ACK, not MQ: gicvm asks for no more */
	CHECK(!vhost_user_set_memory(&u, &vm, (1ULL << 32) | (1ULL << 28)));
	CHECK_EQ(be.features_set, (1ULL << 32) | (1ULL << 30));	/* theirs only, with PROTOCOL_FEATURES */
	CHECK_EQ(be.region_user_addr, (u64)(unsigned long)vm.ram);
	CHECK(!vhost_user_start_ring(&u, 0, &h));
	CHECK_EQ(u.running, 1);
	CHECK(!vhost_user_stop_ring(&u, 0, &next));
	CHECK_EQ(next, 42);
	CHECK_EQ(u.running, 0);
	CHECK(!vhost_user_stop_ring(&u, 0, &next));	/* not running: nothing asked */
	stop_backend(t, &u);
	CHECK_EQ(be.nr_seen, ARRAY_SIZE(order));
	for (unsigned int i = 0; i < ARRAY_SIZE(order) && i < be.nr_seen; i++)
		CHECK_EQ(be.seen[i], order[i]);
	CHECK_EQ(be.fds_seen, 3);			/* memory, call, kick */
	close(kick);
	close(call);
	free_ram();
}

/* A session against a backend that misbehaves as @mode says. */
static struct vhost_user vu;
static pthread_t backend;

static void begin(enum backend_mode mode)
{
	backend = start_backend(mode);
	shared_ram();
	CHECK(!vhost_user_connect(&vu, "unit", sock_path));
}

static void end(void)
{
	stop_backend(backend, &vu);
	free_ram();
}

/* Sending guest RAM fails (in time), with one line saying @why. */
static void memory_fails(const char *why)
{
	const char *err;

	stderr_capture_begin();
	CHECK(vhost_user_set_memory(&vu, &vm, 1ULL << 32));
	err = stderr_capture_end();
	CHECK(strstr(err, why));
	CHECK(strchr(err, '\n') == err + strlen(err) - 1);
}

static void refusal_is_an_error(void)
{
	begin(REFUSE_MEMORY);
	memory_fails("refused guest memory");
	end();
}

static void silence_times_out(void)
{
	begin(SILENT);
	memory_fails("timed out");	/* after the timeout, not never */
	end();
}

static void hang_up_is_an_error(void)
{
	const char *err;

	begin(HANG_UP);
	memory_fails("Connection reset");
	stderr_capture_begin();
	vhost_user_lost(&vu);
	vhost_user_lost(&vu);
	err = stderr_capture_end();
	CHECK(strstr(err, "went away") && !strstr(strstr(err, "went away") + 1, "went away"));
	CHECK_EQ(vu.fd, -1);
	CHECK(vhost_user_set_call(&vu, 0, 5));	/* no backend: an error, no crash */
	end();
}

static void no_backend_is_one_line(void)
{
	struct vhost_user u;
	const char *err;

	stderr_capture_begin();
	CHECK(vhost_user_connect(&u, "unit", "/nonexistent/socket"));
	err = stderr_capture_end();
	CHECK(strstr(err, "cannot reach the vhost-user backend at /nonexistent/socket"));
	CHECK(strchr(err, '\n') == err + strlen(err) - 1);
}

UNIT_TESTS(TEST(ring_round_trip), TEST(refusal_is_an_error), TEST(silence_times_out),
	   TEST(hang_up_is_an_error), TEST(no_backend_is_one_line));

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "gicvm/ioloop.h"

int ioloop_init(struct ioloop *loop)
{
	atomic_init(&loop->stopping, false);
	atomic_init(&loop->halted, false);
	atomic_init(&loop->wakeups, 0);
	loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return loop->epoll_fd < 0 ? -1 : 0;
}

static int ctl(struct ioloop *loop, int op, struct ioloop_entry *e, u32 events)
{
	struct epoll_event ev = { .events = events, .data.ptr = e };

	return epoll_ctl(loop->epoll_fd, op, e->fd, &ev);
}

int ioloop_add(struct ioloop *loop, struct ioloop_entry *e)
{
	e->paused = false;
	return ctl(loop, EPOLL_CTL_ADD, e, EPOLLIN);
}

/*
 * A paused entry leaves the epoll set rather than asking for no events:
 * epoll reports a hang-up (a closed socket or pipe) even then, and the
 * loop would spin on an fd nobody reads.
 */
int ioloop_pause(struct ioloop *loop, struct ioloop_entry *e, bool paused)
{
	if (e->fd < 0 || e->paused == paused)
		return 0;
	e->paused = paused;
	return ctl(loop, paused ? EPOLL_CTL_DEL : EPOLL_CTL_ADD, e, EPOLLIN);
}

int ioloop_del(struct ioloop *loop, struct ioloop_entry *e)
{
	return e->paused ? 0 : ctl(loop, EPOLL_CTL_DEL, e, 0);
}

void ioloop_stop(struct ioloop *loop)
{
	atomic_store(&loop->stopping, true);
}

void ioloop_halt(struct ioloop *loop)
{
	atomic_store(&loop->halted, true);
	ioloop_stop(loop);
}

int ioloop_run(struct ioloop *loop)
{
	struct epoll_event events[16];

	while (!atomic_load(&loop->stopping)) {
		int n = epoll_wait(loop->epoll_fd, events, ARRAY_SIZE(events), -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pr_err("epoll_wait failed");
			return -1;
		}
		atomic_fetch_add(&loop->wakeups, 1);
		for (int i = 0; i < n && !atomic_load(&loop->halted); i++) {
			struct ioloop_entry *e = events[i].data.ptr;

			e->fn(e->opaque);
		}
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "gicvm/ioloop.h"
#include "gicvm/vm.h"

int ioloop_init(struct vm *vm)
{
	vm->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return vm->epoll_fd < 0 ? -1 : 0;
}

static int ctl(struct vm *vm, int op, struct ioloop_entry *e, u32 events)
{
	struct epoll_event ev = { .events = events, .data.ptr = e };

	return epoll_ctl(vm->epoll_fd, op, e->fd, &ev);
}

int ioloop_add(struct vm *vm, struct ioloop_entry *e)
{
	e->paused = false;
	return ctl(vm, EPOLL_CTL_ADD, e, EPOLLIN);
}

int ioloop_pause(struct vm *vm, struct ioloop_entry *e, bool paused)
{
	if (e->fd < 0 || e->paused == paused)
		return 0;
	e->paused = paused;
	return ctl(vm, EPOLL_CTL_MOD, e, paused ? 0 : EPOLLIN);
}

int ioloop_del(struct vm *vm, struct ioloop_entry *e)
{
	return ctl(vm, EPOLL_CTL_DEL, e, 0);
}

void ioloop_run(struct vm *vm)
{
	struct epoll_event events[16];

	while (atomic_load(&vm->exit_reason) == VM_RUNNING) {
		int n = epoll_wait(vm->epoll_fd, events, ARRAY_SIZE(events), -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pr_err("epoll_wait failed");
			vm_request_stop(vm, VM_EXIT_ERROR);
			return;
		}
		for (int i = 0; i < n; i++) {
			struct ioloop_entry *e = events[i].data.ptr;

			e->fn(e->opaque);
		}
	}
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-console (VIRTIO 1.x, 5.3), one port: --console virtio makes it the
 * guest's console (hvc0) on gicvm's stdin/stdout. The 8250 stays for
 * earlycon. Input waits in stdin until the guest offers a receive buffer.
 */
#include <errno.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gicvm/device.h"
#include "gicvm/term.h"
#include "gicvm/vm.h"
#include "console.h"
#include "virtio.h"

/*
 * What the guest wrote for us is in the readable part: up to
 * CONSOLE_MAX_REQUEST bytes of it go to stdout (Linux's hvc sends a page
 * at most), so a chain spanning RAM many times cannot hold the I/O thread.
 */
static void transmit(struct virtio_console *c)
{
	while (virtio_pop(&c->vdev, TX_QUEUE, &c->req)) {
		size_t budget = CONSOLE_MAX_REQUEST;

		for (unsigned int i = 0; i < c->req.n_out && budget; i++) {
			size_t len = MIN(c->req.iov[i].iov_len, budget);

			term_console_write(c->vdev.vm->console_fd, c->req.iov[i].iov_base, len);
			budget -= len;
		}
		virtio_complete(&c->vdev, TX_QUEUE, c->req.head, 0);
	}
}

/* Move what stdin has into the guest's receive buffers. vdev->lock held. */
static void receive(struct virtio_console *c)
{
	struct virtqueue *vq = &c->vdev.vqs[RX_QUEUE];
	ssize_t n;

	if (c->input.fd < 0)
		return;
	/* No queue or no buffer yet: stop watching stdin (level-triggered, it
	 * would spin) until the guest gives a buffer and kicks. */
	if (!vq->ready || !virtio_pop(&c->vdev, RX_QUEUE, &c->req)) {
		ioloop_pause(&c->vdev.vm->loop, &c->input, true);
		return;
	}
	if (!c->req.n_in) {
		virtio_complete(&c->vdev, RX_QUEUE, c->req.head, 0);
		return;
	}
	n = readv(c->input.fd, c->req.iov + c->req.n_out, c->req.n_in);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		vq_unpop(vq);
		return;
	}
	if (n <= 0) {
		/* End of input: the guest keeps running without it. */
		vq_unpop(vq);
		ioloop_del(&c->vdev.vm->loop, &c->input);
		c->input.fd = -1;
		return;
	}
	term_scan_escape(c->vdev.vm, c->req.iov[c->req.n_out].iov_base,
			 MIN((size_t)n, c->req.iov[c->req.n_out].iov_len));
	virtio_complete(&c->vdev, RX_QUEUE, c->req.head, n);
}

static void console_input(void *opaque)
{
	struct virtio_console *c = opaque;

	pthread_mutex_lock(&c->vdev.lock);
	receive(c);
	pthread_mutex_unlock(&c->vdev.lock);
}

static void console_notify(struct virtio_device *vdev, unsigned int q)
{
	struct virtio_console *c = vdev->priv;

	if (q == TX_QUEUE)
		transmit(c);
	else
		ioloop_pause(&vdev->vm->loop, &c->input, false);	/* new receive buffers */
}

const struct virtio_ops virtio_console_ops = {
	.name = "virtio-console",
	.device_id = VIRTIO_ID_CONSOLE,
	.pci_class = 0x078000,	/* communication, other */
	.features = 1ULL << VIRTIO_CONSOLE_F_SIZE,
	.num_queues = 2,
	.queue_size = 64,
	.config_size = sizeof(struct virtio_console_config),
	.notify = console_notify,
};

/* See console.h. */
int virtio_console_start(struct virtio_console *c, struct vm *vm, int in_fd)
{
	c->input.fd = in_fd;
	c->input.fn = console_input;
	c->input.opaque = c;
	if (ioloop_add(&vm->loop, &c->input))
		c->input.fd = -1;	/* /dev/null or closed: output only */
	else
		term_raw(in_fd);
	return 0;
}

static int console_create(struct vm *vm)
{
	struct virtio_console *c;
	struct virtio_console_config cfg = { .cols = htole16(80), .rows = htole16(25) };

	if (vm->cfg->console != CONSOLE_VIRTIO)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->vdev.ops = &virtio_console_ops;
	c->vdev.priv = c;
	memcpy(c->vdev.config, &cfg, sizeof(cfg));
	if (virtio_device_add(vm, &c->vdev))
		return -1;
	/* With a command, stdin is the command's: hvc0 is output only, but for --tty. */
	return virtio_console_start(c, vm, vm->console_in_fd);
}

const struct device_type virtio_console_device = {
	.name = "virtio-console",
	.create = console_create,
};

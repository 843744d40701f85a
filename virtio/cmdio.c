// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest command's stdio (gicvm run ... -- COMMAND): a virtio-console
 * (VIRTIO 1.x, 5.3) with VIRTIO_CONSOLE_F_MULTIPORT and four named ports,
 * which gicvm's guest init (guest/gicvm-init.c) finds by name in
 * /sys/class/virtio-ports:
 *
 *   gicvm.stdin   gicvm's stdin into the guest; at its end the port's host
 *                 side closes, so the guest's read returns 0 (end of file)
 *   gicvm.stdout  the guest's writes onto gicvm's stdout, byte for byte
 *   gicvm.stderr  likewise onto gicvm's stderr
 *   gicvm.status  "exit N\n" from the init once the command has ended
 *
 * Ports rather than vsock: they need no host module or privilege (vhost-vsock
 * does), and a port's end of file is part of the protocol. The kernel's
 * console stays on the UART (or hvc0), apart from these streams.
 */
#include <errno.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "gicvm/device.h"
#include "gicvm/vm.h"
#include "cmdio.h"
#include "virtio.h"

static const char *const port_names[NR_PORTS] = {
	"gicvm.stdin", "gicvm.stdout", "gicvm.stderr", "gicvm.status",
};


static void queue_ctrl(struct cmdio *c, u32 id, u16 event, u16 value)
{
	if (c->nr_pending < MAX_PENDING)
		c->pending[c->nr_pending++] = (struct ctrl_msg){ id, event, value };
}

/* Post the waiting control messages into the driver's buffers. */
static void flush_ctrl(struct cmdio *c)
{
	unsigned int sent = 0;

	while (sent < c->nr_pending && virtio_pop(&c->vdev, CTRL_RX, &c->req)) {
		const struct ctrl_msg *m = &c->pending[sent];
		struct virtio_console_control msg = {
			.id = htole32(m->id), .event = htole16(m->event), .value = htole16(m->value),
		};
		const struct iovec *in = c->req.iov + c->req.n_out;
		size_t n = iov_from_buf(in, c->req.n_in, 0, &msg, sizeof(msg));

		if (m->event == VIRTIO_CONSOLE_PORT_NAME && n == sizeof(msg))
			n += iov_from_buf(in, c->req.n_in, n, port_names[m->id],
					  strlen(port_names[m->id]));
		virtio_complete(&c->vdev, CTRL_RX, c->req.head, n);
		sent++;
	}
	memmove(c->pending, c->pending + sent, (c->nr_pending - sent) * sizeof(*c->pending));
	c->nr_pending -= sent;
}

static void receive(struct cmdio *c);

/* Linux drops what reaches a port nobody has open: stdin waits for it. */
static void stdin_opened(struct cmdio *c, bool open)
{
	c->stdin_opened = open;
	if (!open || c->input_ended)
		return;
	if (c->input_polled)
		receive(c);
	else
		ioloop_pause(&c->vdev.vm->loop, &c->input, false);
}

/* The driver's control messages: set-up, then which ports it opened. */
static void control(struct cmdio *c)
{
	while (virtio_pop(&c->vdev, CTRL_TX, &c->req)) {
		/* Kept: opening stdin may take requests of its own (c->req). */
		u16 head = c->req.head;
		struct virtio_console_control msg;
		u32 id;

		if (iov_to_buf(c->req.iov, c->req.n_out, 0, &msg, sizeof(msg)) == sizeof(msg)) {
			id = le32toh(msg.id);
			switch (le16toh(msg.event)) {
			case VIRTIO_CONSOLE_DEVICE_READY:
				for (u32 p = 0; p < NR_PORTS; p++)
					queue_ctrl(c, p, VIRTIO_CONSOLE_PORT_ADD, 0);
				break;
			case VIRTIO_CONSOLE_PORT_READY:
				if (id >= NR_PORTS || !le16toh(msg.value))
					break;
				queue_ctrl(c, id, VIRTIO_CONSOLE_PORT_NAME, 1);
				/* The host side is open: writes may go, reads may wait. */
				queue_ctrl(c, id, VIRTIO_CONSOLE_PORT_OPEN,
					   !(id == PORT_STDIN && c->input_ended));
				if (id == PORT_STDIN)
					c->stdin_port_ready = true;
				break;
			case VIRTIO_CONSOLE_PORT_OPEN:
				if (id == PORT_STDIN)
					stdin_opened(c, le16toh(msg.value));
				break;
			}
		}
		virtio_complete(&c->vdev, CTRL_TX, head, 0);
	}
	flush_ctrl(c);
}

/* "exit N" on the status port: the command's status for gicvm's own. */
static void status_line(struct cmdio *c, const char *line)
{
	u64 v;

	if (!strncmp(line, "exit ", 5) && !parse_uint(line + 5, 0, 255, &v)) {
		c->status_value = v;
		c->status_pending = true;	/* taken when the request is done */
		return;
	}
	/* Once: the guest writes this port, and must not flood gicvm's stderr. */
	if (!c->warned_status)
		pr_warn("guest command: a status line gicvm does not know ('%.40s')", line);
	c->warned_status = true;
}

static void status_bytes(struct cmdio *c, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '\n') {
			if (c->status_len < sizeof(c->status) - 1)
				c->status[c->status_len++] = p[i];
			continue;
		}
		c->status[c->status_len] = 0;
		status_line(c, c->status);
		c->status_len = 0;
	}
}

/* What the guest wrote on port @port: to stdout, stderr, or the status. */
static void transmit(struct cmdio *c, unsigned int port, unsigned int q)
{
	while (virtio_pop(&c->vdev, q, &c->req)) {
		size_t budget = CMDIO_MAX_REQUEST;

		for (unsigned int i = 0; i < c->req.n_out && budget; i++) {
			size_t len = MIN(c->req.iov[i].iov_len, budget);

			if (port == PORT_STDOUT)
				write_all(c->out_fd, c->req.iov[i].iov_base, len);
			else if (port == PORT_STDERR)
				write_all(c->err_fd, c->req.iov[i].iov_base, len);
			else if (port == PORT_STATUS)
				status_bytes(c, c->req.iov[i].iov_base, len);
			budget -= len;
		}
		virtio_complete(&c->vdev, q, c->req.head, 0);
	}
}

/* A port's transmit queue. */
static unsigned int tx_queue(unsigned int port)
{
	return port ? 2 * port + 3 : 1;
}

/*
 * The command's status came. Linux does not wait for the host to take a
 * port's writes, so what the command wrote last may still wait in the
 * stdout and stderr queues: write it out first, then take the status and
 * close the status port's host side, which the guest's init waits for
 * (its read returns end of file) before it powers off.
 */
static void take_status(struct cmdio *c)
{
	c->status_pending = false;
	transmit(c, PORT_STDOUT, tx_queue(PORT_STDOUT));
	transmit(c, PORT_STDERR, tx_queue(PORT_STDERR));
	atomic_store(&c->vdev.vm->command_status, c->status_value);
	queue_ctrl(c, PORT_STATUS, VIRTIO_CONSOLE_PORT_OPEN, 0);
	flush_ctrl(c);
}

static void end_of_input(struct cmdio *c)
{
	if (c->input_ended)
		return;
	c->input_ended = true;
	if (!c->input_polled)
		ioloop_del(&c->vdev.vm->loop, &c->input);
	/* The guest reads what it was given, then end of file. */
	if (c->stdin_port_ready) {
		queue_ctrl(c, PORT_STDIN, VIRTIO_CONSOLE_PORT_OPEN, 0);
		flush_ctrl(c);
	}
}

/* Move what stdin has into the stdin port's buffers. vdev->lock held. */
static void receive(struct cmdio *c)
{
	struct virtqueue *vq = &c->vdev.vqs[0];
	ssize_t n;

	while (!c->input_ended) {
		/* No buffer, or no reader: stop watching stdin (level-triggered). */
		if (!c->stdin_opened || !vq->ready || !virtio_pop(&c->vdev, 0, &c->req)) {
			if (!c->input_polled)
				ioloop_pause(&c->vdev.vm->loop, &c->input, true);
			return;
		}
		if (!c->req.n_in) {
			virtio_complete(&c->vdev, 0, c->req.head, 0);
			continue;
		}
		n = readv(c->input.fd, c->req.iov + c->req.n_out, c->req.n_in);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			vq_unpop(vq);
			return;
		}
		if (n <= 0) {
			vq_unpop(vq);
			end_of_input(c);
			return;
		}
		virtio_complete(&c->vdev, 0, c->req.head, n);
		/* A pipe or terminal: one read per wake-up, so the loop stays fair. */
		if (!c->input_polled)
			return;
	}
}

static void input_ready(void *opaque)
{
	struct cmdio *c = opaque;

	pthread_mutex_lock(&c->vdev.lock);
	receive(c);
	pthread_mutex_unlock(&c->vdev.lock);
}

static void cmdio_notify(struct virtio_device *vdev, unsigned int q)
{
	struct cmdio *c = vdev->priv;

	if (q == CTRL_TX)
		control(c);
	else if (q == CTRL_RX)
		flush_ctrl(c);
	else if (q & 1)
		transmit(c, q == 1 ? 0 : (q - 2) / 2, q);
	else if (q == 0 && c->input_polled)
		receive(c);	/* new buffers for a file's contents */
	else if (q == 0 && !c->input_ended && c->stdin_opened)
		ioloop_pause(&vdev->vm->loop, &c->input, false);
	/* After the request that carried it, never inside it (c->req). */
	if (c->status_pending)
		take_status(c);
}

static void cmdio_reset(struct virtio_device *vdev)
{
	struct cmdio *c = vdev->priv;

	c->nr_pending = 0;
	c->status_len = 0;
	c->status_pending = false;
	c->stdin_port_ready = false;
	c->stdin_opened = false;
}

const struct virtio_ops cmdio_ops = {
	.name = "virtio-console-cmd",
	.device_id = VIRTIO_ID_CONSOLE,
	.pci_class = 0x078000,	/* communication, other */
	.features = 1ULL << VIRTIO_CONSOLE_F_MULTIPORT,
	.num_queues = NR_QUEUES,
	.queue_size = 64,
	.config_size = sizeof(struct virtio_console_config),
	.notify = cmdio_notify,
	.reset = cmdio_reset,
};

/* See cmdio.h. */
void cmdio_start(struct cmdio *c, struct vm *vm, int in_fd, int out_fd, int err_fd)
{
	c->out_fd = out_fd;
	c->err_fd = err_fd;
	c->input = (struct ioloop_entry){ .fd = in_fd, .fn = input_ready, .opaque = c };
	/* A regular file or /dev/null, which epoll refuses, is read on demand. */
	if (ioloop_add(&vm->loop, &c->input))
		c->input_polled = true;
	else
		ioloop_pause(&vm->loop, &c->input, true);	/* until the guest opens it */
}

static int cmdio_create(struct vm *vm)
{
	struct virtio_console_config cfg = { .max_nr_ports = htole32(NR_PORTS) };
	struct cmdio *c;

	if (!vm->cfg->command)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->vdev.ops = &cmdio_ops;
	c->vdev.priv = c;
	memcpy(c->vdev.config, &cfg, sizeof(cfg));
	if (virtio_device_add(vm, &c->vdev))
		return -1;
	cmdio_start(c, vm, STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO);
	return 0;
}

const struct device_type virtio_cmdio_device = {
	.name = "virtio-console-cmd",
	.create = cmdio_create,
};

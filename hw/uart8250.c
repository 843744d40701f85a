// SPDX-License-Identifier: GPL-2.0-only
/*
 * An 8250/16550A UART on stdio: the guest's serial console.
 *
 * Registers are bytes at consecutive addresses (reg-shift 0). Transmit is
 * immediate, so THR is always empty. The interrupt is level-triggered and
 * goes through an irqfd with a resample fd: gicvm raises it by writing the
 * irqfd, KVM lowers it when the guest EOIs and tells us through the
 * resample fd, and we raise it again if the UART still wants attention.
 * With --console virtio the UART stays (earlycon) but stdin goes to hvc0.
 */
#include <errno.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gic/gic.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/state.h"
#include "gicvm/term.h"
#include "gicvm/vm.h"
#include "uart8250.h"

u8 uart_iir(const struct uart8250 *u)
{
	u8 fifo = (u->fcr & FCR_FIFO_EN) ? IIR_FIFO_ON : 0;

	if ((u->ier & IER_RDI) && u->rx_count)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thr_pending)
		return fifo | IIR_THRI;
	return fifo | IIR_NO_INT;
}

static void uart_raise(struct uart8250 *u)
{
	if (u->irq_raised || (uart_iir(u) & IIR_NO_INT))
		return;
	u->irq_raised = true;
	if (gic_signal(u->vm->gic, u->irq_fd))
		pr_warn("uart: irqfd write failed: %s", strerror(errno));
}

static u8 rx_pop(struct uart8250 *u)
{
	u8 c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % RX_FIFO_SIZE;
	u->rx_count--;
	ioloop_pause(&u->vm->loop, &u->input, false);	/* room in the FIFO again */
	return c;
}

static u8 uart_read(struct uart8250 *u, u64 reg)
{
	u8 iir;

	switch (reg) {
	case UART_RBR_THR:
		return (u->lcr & LCR_DLAB) ? u->dll : rx_pop(u);
	case UART_IER:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		iir = uart_iir(u);
		/* Reading IIR acknowledges a THRE interrupt it reports. */
		if ((iir & 0x0f) == IIR_THRI)
			u->thr_pending = false;
		return iir;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case UART_MSR:
		return MSR_IDLE;
	case UART_SCR:
		return u->scr;
	}
	return 0;
}

static void uart_write(struct uart8250 *u, u64 reg, u8 val)
{
	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			u->dll = val;
		} else {
			term_console_write(u->out_fd, &val, 1);
			u->thr_pending = true;	/* sent at once: THR empty again */
		}
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
			break;
		}
		/* Enabling THRI with an empty THR raises it, as on a 16550. */
		if ((val & IER_THRI) && !(u->ier & IER_THRI))
			u->thr_pending = true;
		u->ier = val & 0x0f;
		break;
	case UART_IIR_FCR:
		u->fcr = val & FCR_FIFO_EN;
		if (val & FCR_CLEAR_RX) {
			u->rx_count = 0;
			/* Room again: input paused on a full FIFO must resume. */
			ioloop_pause(&u->vm->loop, &u->input, false);
		}
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	}
}

static void uart_mmio(void *opaque, u64 offset, u8 *data, u32 len, bool is_write)
{
	struct uart8250 *u = opaque;

	if (len != 1 || offset > UART_SCR) {
		/* Registers are single bytes; anything else reads 0 and is ignored. */
		if (!is_write)
			memset(data, 0, len);
		return;
	}
	pthread_mutex_lock(&u->lock);
	if (is_write)
		uart_write(u, offset, data[0]);
	else
		data[0] = uart_read(u, offset);
	uart_raise(u);
	pthread_mutex_unlock(&u->lock);
}

/* The guest EOId our interrupt: KVM lowered the line; raise it if still due. */
static void uart_resample(void *opaque)
{
	struct uart8250 *u = opaque;
	u64 v;

	if (read(u->resample.fd, &v, sizeof(v)) < 0)
		return;
	pthread_mutex_lock(&u->lock);
	u->irq_raised = false;
	uart_raise(u);
	pthread_mutex_unlock(&u->lock);
}

static void uart_input(void *opaque)
{
	struct uart8250 *u = opaque;
	u8 buf[RX_FIFO_SIZE];
	ssize_t n;

	pthread_mutex_lock(&u->lock);
	n = read(u->input.fd, buf, RX_FIFO_SIZE - u->rx_count);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		/* EOF: the guest keeps running, just without input. */
		ioloop_del(&u->vm->loop, &u->input);
		u->input.fd = -1;
	}
	if (n > 0)
		term_scan_escape(u->vm, buf, n);
	for (ssize_t i = 0; i < n; i++) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO_SIZE] = buf[i];
		u->rx_count++;
	}
	if (u->rx_count == RX_FIFO_SIZE)
		ioloop_pause(&u->vm->loop, &u->input, true);
	uart_raise(u);
	pthread_mutex_unlock(&u->lock);
}

static int uart_start(struct device *dev, struct vm *vm)
{
	struct uart8250 *u = dev->priv;

	u->irq_fd = gic_irqfd(vm->gic, u->intid, &u->resample.fd);
	if (u->irq_fd < 0)
		return -1;
	u->resample.fn = uart_resample;
	u->resample.opaque = u;
	u->input.fd = -1;
	u->input.fn = uart_input;
	u->input.opaque = u;
	if (ioloop_add(&vm->loop, &u->resample))
		return -1;
	/* With --console virtio, the console's input belongs to hvc0. */
	if (vm->cfg->console != CONSOLE_SERIAL || vm->console_in_fd < 0)
		return 0;
	/* stdin may be /dev/null or closed: then the console is output only. */
	u->input.fd = vm->console_in_fd;
	if (ioloop_add(&vm->loop, &u->input))
		u->input.fd = -1;
	else
		term_raw(u->input.fd);
	return 0;
}

/* Power-on register values; the line's state stays in step with KVM's. */
static void uart_reset(struct device *dev)
{
	struct uart8250 *u = dev->priv;

	pthread_mutex_lock(&u->lock);
	u->ier = u->lcr = u->mcr = u->scr = u->dll = u->dlm = u->fcr = 0;
	u->thr_pending = false;
	u->rx_head = u->rx_count = 0;
	ioloop_pause(&u->vm->loop, &u->input, false);	/* the FIFO is empty */
	pthread_mutex_unlock(&u->lock);
}

/*
 * Snapshots: the registers and the receive FIFO (and whether the line was
 * raised, for the record). The line's level itself is in the vGIC's
 * record; the resample fd lowers it at the guest's EOI, as before.
 */
#define UART_NR_REGS	7

static void uart_regs(struct uart8250 *u, u8 *regs[UART_NR_REGS])
{
	regs[0] = &u->ier;
	regs[1] = &u->lcr;
	regs[2] = &u->mcr;
	regs[3] = &u->scr;
	regs[4] = &u->dll;
	regs[5] = &u->dlm;
	regs[6] = &u->fcr;
}

static int uart_save(struct device *dev, struct state *s)
{
	struct uart8250 *u = dev->priv;
	u8 *regs[UART_NR_REGS];

	uart_regs(u, regs);
	pthread_mutex_lock(&u->lock);
	state_put_tag(s, "8250");
	for (unsigned int i = 0; i < UART_NR_REGS; i++)
		state_put(s, *regs[i], 1);
	state_put(s, u->thr_pending, 1);
	state_put(s, u->irq_raised, 1);
	state_put(s, u->rx_count, 1);
	for (unsigned int i = 0; i < u->rx_count; i++)
		state_put(s, u->rx[(u->rx_head + i) % RX_FIFO_SIZE], 1);
	pthread_mutex_unlock(&u->lock);
	return state_ok(s) ? 0 : -1;
}

static int uart_restore(struct device *dev, struct state *s)
{
	struct uart8250 *u = dev->priv;
	u8 *regs[UART_NR_REGS];

	uart_regs(u, regs);
	pthread_mutex_lock(&u->lock);
	state_expect_tag(s, "8250");
	for (unsigned int i = 0; i < UART_NR_REGS; i++)
		*regs[i] = state_get(s, 1);
	u->thr_pending = state_get_max(s, 1, 1);
	/*
	 * Raised or not, raise it again if due: an EOI's resample may have
	 * been on its way to gicvm at the snapshot, and a level already high
	 * stays so. At worst the guest sees one interrupt with nothing to do.
	 */
	state_get_max(s, 1, 1);
	u->irq_raised = false;
	u->rx_head = 0;
	u->rx_count = state_get_max(s, 1, RX_FIFO_SIZE);
	state_get_bytes(s, u->rx, state_ok(s) ? u->rx_count : 0);
	if (!state_ok(s))
		u->rx_count = 0;
	else
		uart_raise(u);
	pthread_mutex_unlock(&u->lock);
	if (!state_ok(s))
		pr_err("uart: the saved state is corrupt");
	return state_ok(s) ? 0 : -1;
}

static void uart_fdt_node(struct device *dev, void *fdt)
{
	struct uart8250 *u = dev->priv;
	u64 reg[] = { cpu_to_fdt64(MMAP_UART_BASE), cpu_to_fdt64(8) };
	u32 irq[3];
	char name[32];

	gic_fdt_irq_cells(u->intid, IRQ_LEVEL, irq);
	snprintf(name, sizeof(name), "serial@%llx", MMAP_UART_BASE);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "compatible", "ns16550a");
	fdt_property(fdt, "reg", reg, sizeof(reg));
	fdt_property(fdt, "interrupts", irq, sizeof(irq));
	fdt_property_cell(fdt, "clock-frequency", UART_CLOCK);
	fdt_end_node(fdt);
}

static int uart_create(struct vm *vm)
{
	struct uart8250 *u = calloc(1, sizeof(*u));
	int intid;

	if (!u)
		return -1;
	intid = gic_alloc_spi(vm->gic, IRQ_LEVEL);
	if (intid < 0 || mmio_register(&vm->mmio, "uart8250", MMAP_UART_BASE, 8, uart_mmio, u)) {
		pr_err("uart: no interrupt line or address left");
		free(u);
		return -1;
	}
	pthread_mutex_init(&u->lock, NULL);
	u->vm = vm;
	u->intid = intid;
	u->out_fd = vm->console_fd;
	u->dev = (struct device){
		.name = "uart8250",
		.priv = u,
		.fdt_node = uart_fdt_node,
		.start = uart_start,
		.reset = uart_reset,
		.save = uart_save,
		.restore = uart_restore,
	};
	device_add(vm, &u->dev);
	return 0;
}

const struct device_type uart8250_device = {
	.name = "uart8250",
	.create = uart_create,
};

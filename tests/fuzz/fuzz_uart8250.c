// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the 8250 UART as a guest and the console see it. The
 * model (hw/uart8250.c, included whole) gets register accesses of any
 * offset and size, console input and EOIs in any order, its KVM side
 * replaced by a recorder. Nothing may crash, the receive FIFO stays within
 * bounds, and the level interrupt is never lost: whenever the UART has an
 * interrupt to report (IIR says so), the line is asserted.
 */
#include <fcntl.h>
#include <sys/eventfd.h>

#include "../../hw/uart8250.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The rest of gicvm, as the UART uses it. */
static unsigned int raised;

int gic_signal(struct gic *gic, int fd)
{
	raised++;
	return 0;
}

int gic_alloc_spi(struct gic *gic, enum irq_trigger trigger)
{
	return 33;
}

int gic_irqfd(struct gic *gic, unsigned int intid, int *resample_fd)
{
	return -1;
}

void device_add(struct vm *vm, struct device *dev)
{
}

int ioloop_add(struct ioloop *loop, struct ioloop_entry *e)
{
	return 0;
}

int ioloop_del(struct ioloop *loop, struct ioloop_entry *e)
{
	return 0;
}

int ioloop_pause(struct ioloop *loop, struct ioloop_entry *e, bool paused)
{
	e->paused = paused;	/* a paused input is not read, as in the I/O loop */
	return 0;
}

void term_scan_escape(struct vm *vm, const u8 *buf, size_t len)
{
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct vm vm;
	struct uart8250 *u;
	int in[2];

	if (pipe2(in, O_NONBLOCK))
		abort();
	memset(&vm, 0, sizeof(vm));
	if (uart_create(&vm))
		abort();
	u = vm.mmio.regions[0].opaque;
	u->out_fd = open("/dev/null", O_WRONLY);
	u->input.fd = in[0];
	u->resample.fd = eventfd(0, EFD_NONBLOCK);
	for (; size >= 2; data += 2, size -= 2) {
		u8 op = data[0], val = data[1], buf[8];
		u64 one = 1;

		switch (op >> 5) {
		case 0: case 1: case 2:		/* a byte register access */
			buf[0] = val;
			uart_mmio(u, op & 7, buf, 1, op & 8);
			break;
		case 3:				/* wrong size or offset */
			memset(buf, val, sizeof(buf));
			uart_mmio(u, op & 15, buf, 1 << (val & 3), op & 16);
			break;
		case 4: case 5:			/* console input: val bytes */
			memset(buf, val, sizeof(buf));
			for (unsigned int i = 0; i < (val & 63u) / 8 + 1; i++)
				if (write(in[1], buf, sizeof(buf)) < 0)
					break;
			if (u->input.fd >= 0 && !u->input.paused)
				uart_input(u);
			break;
		default:			/* the guest EOIs the interrupt */
			if (write(u->resample.fd, &one, sizeof(one)) < 0)
				abort();
			uart_resample(u);
			break;
		}
		if (u->rx_count > RX_FIFO_SIZE || u->rx_head >= RX_FIFO_SIZE)
			__builtin_trap();
		if (!(uart_iir(u) & IIR_NO_INT) && !u->irq_raised)
			__builtin_trap();
	}
	close(in[0]);
	close(in[1]);
	close(u->out_fd);
	close(u->resample.fd);
	pthread_mutex_destroy(&u->lock);
	free(u);
	return 0;
}

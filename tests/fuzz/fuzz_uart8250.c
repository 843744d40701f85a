// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the 8250 UART as a guest and the console see it. The
 * model gets register accesses of any offset and size through the MMIO
 * bus, console input and EOIs in any order, its KVM side the fake host
 * (tests/fakes). Nothing may crash, the receive FIFO stays within
 * bounds, the level interrupt is never lost (whenever the UART has an
 * interrupt to report, IIR says so, the line is asserted), and console
 * input waits only while the receive FIFO is full.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_host.h"
#include "gicvm/config.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"
#include "hw/uart8250.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* The UART started as gicvm starts it, its input a pipe instead of stdin. */
static struct uart8250 *uart_up(struct vm *vm, int in_fd)
{
	/* --console virtio: the UART does not take stdin, the test gives it @in_fd. */
	static const struct vm_config cfg = { .console = CONSOLE_VIRTIO };
	struct uart8250 *u;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = &cfg;
	if (uart8250_device.create(vm) || !vm->devices || vm->devices->start(vm->devices, vm))
		abort();
	u = vm->devices->priv;
	u->out_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	u->input.fd = in_fd;
	if (ioloop_add(&vm->loop, &u->input))
		abort();
	return u;
}

static void uart_access(struct vm *vm, u64 reg, u8 *buf, u32 len, bool is_write)
{
	mmio_dispatch(&vm->mmio, MMAP_UART_BASE + reg, buf, len, is_write);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct vm vm;
	struct uart8250 *u;
	int in[2];

	fake_host_reset();
	if (pipe2(in, O_NONBLOCK | O_CLOEXEC))
		abort();
	u = uart_up(&vm, in[0]);
	for (; size >= 2; data += 2, size -= 2) {
		u8 op = data[0], val = data[1], buf[8];
		u64 one = 1;

		switch (op >> 5) {
		case 0: case 1: case 2:		/* a byte register access */
			buf[0] = val;
			uart_access(&vm, op & 7, buf, 1, op & 8);
			break;
		case 3:				/* wrong size or offset */
			memset(buf, val, sizeof(buf));
			uart_access(&vm, op & 15, buf, 1 << (val & 3), op & 16);
			break;
		case 4: case 5:			/* console input: val bytes */
			memset(buf, val, sizeof(buf));
			for (unsigned int i = 0; i < (val & 63u) / 8 + 1; i++)
				if (write(in[1], buf, sizeof(buf)) < 0)
					break;
			fake_ioloop_fire(in[0]);	/* if the loop still watches it */
			break;
		default:			/* the guest EOIs the interrupt */
			if (write(u->resample.fd, &one, sizeof(one)) < 0)
				abort();
			fake_ioloop_fire(u->resample.fd);
			break;
		}
		if (u->rx_count > RX_FIFO_SIZE || u->rx_head >= RX_FIFO_SIZE)
			__builtin_trap();
		if (!(uart_iir(u) & IIR_NO_INT) && !u->irq_raised)
			__builtin_trap();
		/* Input waits only while the FIFO is full: else it stops for good. */
		if (u->input.fd >= 0 && u->input.paused && u->rx_count < RX_FIFO_SIZE)
			__builtin_trap();
	}
	close(in[0]);
	close(in[1]);
	close(u->out_fd);
	pthread_mutex_destroy(&u->lock);
	free(u);
	return 0;
}

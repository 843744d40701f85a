/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The 8250's registers and state: private to hw/uart8250.c, shared only
 * with its fuzz target (tests/fuzz), which checks the interrupt rule.
 */
#ifndef GICVM_HW_UART8250_H
#define GICVM_HW_UART8250_H

#include <pthread.h>

#include "gicvm/device.h"
#include "gicvm/ioloop.h"

enum {
	UART_RBR_THR = 0, UART_IER = 1, UART_IIR_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define IER_RDI		0x01	/* receive data available */
#define IER_THRI	0x02	/* transmit holding register empty */
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO_ON	0xc0
#define FCR_FIFO_EN	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_IDLE	0xb0	/* DCD, DSR, CTS asserted */
#define UART_CLOCK	1843200
#define RX_FIFO_SIZE	64

struct uart8250 {
	pthread_mutex_t lock;
	struct vm *vm;
	unsigned int intid;
	int irq_fd;
	bool irq_raised;	/* asserted through the irqfd, no EOI seen yet */

	u8 ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_pending;	/* THRE interrupt waiting for IIR read or THR write */
	u8 rx[RX_FIFO_SIZE];
	unsigned int rx_head, rx_count;

	int out_fd;
	struct ioloop_entry input;	/* stdin */
	struct ioloop_entry resample;
	struct device dev;
};

extern const struct device_type uart8250_device;

/* What IIR reads now (no side effect). */
u8 uart_iir(const struct uart8250 *u);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* Output for gicvm's bare test programs (see fwlib.h). */
#include "fwlib.h"

#define UART		((volatile uint8_t *)0x1000000UL)
#define UART_LSR	5
#define LSR_THRE	0x20

void putc_uart(char c)
{
	while (!(UART[UART_LSR] & LSR_THRE))
		;
	UART[0] = c;
}

void puts_uart(const char *s)
{
	while (*s)
		putc_uart(*s++);
}

void puthex(uint64_t v)
{
	int shift = 60;

	puts_uart("0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		putc_uart("0123456789abcdef"[(v >> shift) & 15]);
}

void putdec(unsigned long v)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		putc_uart(buf[--n]);
}

int fw_failed(const char *prog, const char *what, unsigned long value)
{
	puts_uart(prog);
	puts_uart(": ");
	puts_uart(what);
	puthex(value);
	puts_uart("\n");
	return 1;
}

#ifdef __arm__
void fw_exception(const char *what, unsigned long lr)
{
	puts_uart("gicvm-firmware: ");
	puts_uart(what);
	puts_uart(", return address ");
	puthex(lr);
	puts_uart("\n");
}
#endif

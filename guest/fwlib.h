/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What gicvm's bare test programs (test-firmware*.img, test-vgic32.img)
 * share: output on the 8250 at 0x1000000, and for the 32-bit ones the
 * report of an exception their vectors (fwtest32.S) took.
 */
#ifndef GICVM_FWLIB_H
#define GICVM_FWLIB_H

#include <stdint.h>

void putc_uart(char c);
void puts_uart(const char *s);
void puthex(uint64_t v);
/* unsigned long: a 64-bit division would need a helper library on arm. */
void putdec(unsigned long v);
/* "PROG: WHAT<value in hex>" on a line of its own; returns 1 (failed). */
int fw_failed(const char *prog, const char *what, unsigned long value);

#ifdef __arm__
/* The 32-bit entry (fwtest32.S): 0 powers off, anything else resets. */
int fw_aarch32(const uint8_t *dtb, unsigned long r1, unsigned long cpsr);
/* Called by the vectors with the exception's name and return address. */
void fw_exception(const char *what, unsigned long lr);
#endif

#endif

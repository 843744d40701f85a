// SPDX-License-Identifier: GPL-2.0-only
/*
 * test-firmware.img: a bare firmware-style program for gicvm's -f. It finds
 * the DT where x0 says, checks its header and prints, on the 8250 at
 * 0x1000000, where it is and what it says: its size, the memory node's
 * base and size, the number of CPUs and /chosen's bootargs.
 *
 *   gicvm-firmware: dtb=0x8fe00000 magic=ok size=N
 *   gicvm-firmware: memory=0x80000000+0x8000000 cpus=2 bootargs=...
 *
 * Built for arm as well (test-firmware32.img, entry in fwtest32.S), it is
 * a 32-bit kernel for --aarch32, and first says how it was entered:
 *
 *   gicvm-firmware: aarch32 r1=0xffffffff cpsr=0x1d3
 */
#include "fwlib.h"

#define FDT_MAGIC	0xd00dfeedU

enum { FDT_BEGIN_NODE = 1, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 9 };

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static int starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static uint32_t align4(uint32_t n)
{
	return (n + 3) & ~3U;
}

void fw_main(const uint8_t *dtb);

void fw_main(const uint8_t *dtb)
{
	const uint8_t *structs, *strings, *p, *end;
	const char *node = "", *bootargs = "";
	uint64_t mem_base = 0, mem_size = 0;
	unsigned int depth = 0, cpus = 0;

	puts_uart("gicvm-firmware: dtb=");
	puthex((uintptr_t)dtb);
	if (be32(dtb) != FDT_MAGIC) {
		puts_uart(" magic=bad\n");
		return;
	}
	puts_uart(" magic=ok size=");
	putdec(be32(dtb + 4));
	puts_uart("\n");
	structs = dtb + be32(dtb + 8);
	strings = dtb + be32(dtb + 12);
	end = structs + be32(dtb + 36);
	for (p = structs; p < end;) {
		uint32_t token = be32(p), len;
		const char *name;

		p += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			node = (const char *)p;
			depth++;
			/* /cpus/cpu@N: one node per CPU. */
			if (depth == 3 && starts(node, "cpu@"))
				cpus++;
			while (*p)
				p++;
			p = dtb + align4(p + 1 - dtb);
			break;
		case FDT_END_NODE:
			depth--;
			break;
		case FDT_PROP:
			len = be32(p);
			name = (const char *)strings + be32(p + 4);
			p += 8;
			if (depth == 2 && starts(node, "memory") && same(name, "reg") && len >= 16) {
				mem_base = be64(p);
				mem_size = be64(p + 8);
			}
			if (depth == 2 && same(node, "chosen") && same(name, "bootargs"))
				bootargs = (const char *)p;
			p += align4(len);
			break;
		case FDT_NOP:
			break;
		default:
			p = end;
			break;
		}
	}
	puts_uart("gicvm-firmware: memory=");
	puthex(mem_base);
	puts_uart("+");
	puthex(mem_size);
	puts_uart(" cpus=");
	putdec(cpus);
	puts_uart(" bootargs=");
	puts_uart(bootargs);
	puts_uart("\n");
}

#ifdef __arm__
int fw_aarch32(const uint8_t *dtb, unsigned long r1, unsigned long cpsr)
{
	puts_uart("gicvm-firmware: aarch32 r1=");
	puthex(r1);
	puts_uart(" cpsr=");
	puthex(cpsr);
	puts_uart("\n");
	fw_main(dtb);
	return 0;
}
#endif

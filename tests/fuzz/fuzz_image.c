// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the kernel loader's view of a file. image_parse() on
 * the bytes as they are and, when they inflate, on what gunzip_buffer()
 * makes of them; then the boot layout for an accepted Image. Nothing may
 * read outside the buffer, and an accepted Image must fit its file and RAM.
 */
#include <stdlib.h>

#include "arm/boot.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(const u8 *buf, size_t len)
{
	struct kernel_image img = { 0 };
	struct boot_layout l;
	const char *why = NULL;

	switch (image_parse(buf, len, &img, &why)) {
	case IMAGE_OK:
		if (img.text_offset % 8 || img.text_offset >= SZ_2M || img.image_size < len ||
		    img.image_size % SZ_4K)
			__builtin_trap();
		img.data = (u8 *)buf;
		img.size = len;
		if (!boot_layout_compute(0x80000000, 64 << 20, &img, 0, &l, &why) &&
		    (l.kernel_addr < 0x80000000 || l.kernel_end > 0x80000000 + (64 << 20) ||
		     l.kernel_end < l.kernel_addr))
			__builtin_trap();
		break;
	case IMAGE_NO_HEADER:
		break;
	case IMAGE_BAD:
		if (!why)
			__builtin_trap();
		break;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *why = NULL;
	size_t outlen = 0;
	u8 *out = NULL;

	check(data, size);
	if (!gunzip_buffer(data, size, 1 << 20, &out, &outlen, &why)) {
		if (outlen > 1 << 20)
			__builtin_trap();
		check(out, outlen);
		free(out);
	} else if (!why) {
		__builtin_trap();
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* arm64 Image loading and boot layout; no KVM here, unit-tested natively. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "boot.h"

#define PE_MAGIC		0x00004550U	/* "PE\0\0" */
#define PE_OFFSET_FIELD		60
#define PE_SECTION_HDR_SIZE	40

/*
 * An Image built with the EFI stub is also a PE/COFF file whose section
 * table says how many bytes the file must hold: the one check that catches
 * a truncated raw Image. Returns the size it claims, or 0 without a PE header.
 */
static u64 pe_file_size(const u8 *buf, size_t len)
{
	u32 pe = le32_to_cpu_p(buf + PE_OFFSET_FIELD);
	u64 end = 0;
	u32 nsect, opt_size;
	u64 sect;

	if (!pe || pe > len - 24 || le32_to_cpu_p(buf + pe) != PE_MAGIC)
		return 0;
	nsect = buf[pe + 6] | buf[pe + 7] << 8;
	opt_size = buf[pe + 20] | buf[pe + 21] << 8;
	sect = (u64)pe + 24 + opt_size;
	for (u32 i = 0; i < nsect; i++, sect += PE_SECTION_HDR_SIZE) {
		u64 raw_size, raw_ptr;

		if (sect + PE_SECTION_HDR_SIZE > len)
			return UINT64_MAX;	/* even the table is cut off */
		raw_size = le32_to_cpu_p(buf + sect + 16);
		raw_ptr = le32_to_cpu_p(buf + sect + 20);
		end = MAX(end, raw_ptr + raw_size);
	}
	return end;
}

enum image_kind image_parse(const u8 *buf, size_t len, struct kernel_image *img,
			    const char **why)
{
	u64 text_offset, image_size, pe_size;

	if (len < ARM64_IMAGE_HDR_SIZE) {
		*why = "too short to be an arm64 Image";
		return IMAGE_NO_HEADER;
	}
	if (le32_to_cpu_p(buf + 56) != ARM64_IMAGE_MAGIC) {
		*why = "not an arm64 Image (no ARM\\x64 magic in its header)";
		return IMAGE_NO_HEADER;
	}
	text_offset = le64_to_cpu_p(buf + 8);
	image_size = le64_to_cpu_p(buf + 16);
	if (image_size == 0) {
		/* Before v3.17 the header had no size; text_offset was 0x80000. */
		text_offset = 0x80000;
		image_size = len;
	}
	if (text_offset >= SZ_2M || text_offset % 8) {
		*why = "corrupt arm64 Image header (text_offset)";
		return IMAGE_BAD;
	}
	if (image_size < len || image_size > SZ_1G) {
		*why = "corrupt arm64 Image header (image_size)";
		return IMAGE_BAD;
	}
	pe_size = pe_file_size(buf, len);
	if (pe_size > len) {
		*why = "truncated arm64 Image (shorter than its PE header says)";
		return IMAGE_BAD;
	}
	img->text_offset = text_offset;
	img->image_size = ALIGN_UP(image_size, SZ_4K);
	img->size = len;
	return IMAGE_OK;
}

/*
 * A raw binary to run at @offset from RAM's start: anything but an empty
 * or ELF file (@elf_why says what to give instead).
 */
static int raw_binary(const u8 *buf, size_t len, u64 offset, const char *elf_why,
		      struct kernel_image *img, const char **why)
{
	if (!len) {
		*why = "empty file";
		return -1;
	}
	if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4)) {
		*why = elf_why;
		return -1;
	}
	img->text_offset = offset;
	img->image_size = ALIGN_UP((u64)len, SZ_4K);
	img->size = len;
	return 0;
}

/* Test kernels linked to run anywhere have no header: load them like kvmtool. */
static int bare_binary(const u8 *buf, size_t len, struct kernel_image *img, const char **why)
{
	if (len >= ZIMAGE_MAGIC_OFFSET + 4 &&
	    le32_to_cpu_p(buf + ZIMAGE_MAGIC_OFFSET) == ZIMAGE_MAGIC) {
		*why = "a 32-bit ARM zImage: boot it with --aarch32";
		return -1;
	}
	return raw_binary(buf, len, BARE_BINARY_OFFSET,
			  "an ELF file, not an arm64 Image (boot arch/arm64/boot/Image, not vmlinux)",
			  img, why);
}

int gunzip_buffer(const u8 *in, size_t inlen, size_t max, u8 **outp, size_t *outlen,
		  const char **why)
{
	size_t cap = MIN(max, MAX(inlen * 4, (size_t)SZ_1M));
	z_stream zs = { 0 };
	u8 *out = malloc(cap);
	int ret;

	if (!out || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		*why = "out of memory";
		return -1;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = inlen;
	do {
		if (zs.total_out == cap) {
			u8 *n;

			if (cap == max) {
				ret = Z_MEM_ERROR;
				*why = "decompresses to more than fits in guest RAM";
				break;
			}
			cap = MIN(max, cap * 2);
			n = realloc(out, cap);
			if (!n) {
				ret = Z_MEM_ERROR;
				*why = "out of memory";
				break;
			}
			out = n;
		}
		zs.next_out = out + zs.total_out;
		zs.avail_out = cap - zs.total_out;
		ret = inflate(&zs, Z_NO_FLUSH);
		if (ret == Z_BUF_ERROR && zs.avail_in == 0) {
			*why = "truncated gzip data";
			break;
		}
		if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT || ret == Z_MEM_ERROR) {
			*why = "corrupt gzip data";
			break;
		}
	} while (ret != Z_STREAM_END);
	inflateEnd(&zs);
	if (ret != Z_STREAM_END) {
		free(out);
		return -1;
	}
	*outp = out;
	*outlen = zs.total_out;
	return 0;
}

static bool is_gzip(const u8 *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

/* Open what the guest boots, @what (a kernel, a firmware) at @path; -1 said why. */
static int boot_file_open(const char *what, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	/* kvmtool's words: scripts look for them. */
	if (fd < 0)
		pr_err("Fatal: Unable to open %s %s (%s)", what, path, strerror(errno));
	return fd;
}

int image_open(const char *path)
{
	return boot_file_open("kernel", path);
}

int image_load_file(const char *path, size_t max, struct kernel_image *img)
{
	int fd = image_open(path), err;

	if (fd < 0)
		return -1;
	err = image_load_fd(fd, path, max, img);
	close(fd);
	return err;
}

int image_load_fd(int fd, const char *path, size_t max, struct kernel_image *img)
{
	const char *why = NULL;
	size_t len;
	void *buf;
	int err;

	err = read_fd(fd, max, &buf, &len);
	if (err) {
		/* kvmtool's words: scripts look for them. */
		pr_err("Fatal: Unable to open kernel %s (%s)", path,
		       err == -EFBIG ? "larger than guest RAM" : strerror(-err));
		return -1;
	}
	if (is_gzip(buf, len)) {
		u8 *raw;
		size_t rawlen;

		err = gunzip_buffer(buf, len, max, &raw, &rawlen, &why);
		free(buf);
		if (err) {
			pr_err("kernel %s: %s", path, why);
			return -1;
		}
		buf = raw;
		len = rawlen;
	}
	switch (image_parse(buf, len, img, &why)) {
	case IMAGE_OK:
		break;
	case IMAGE_NO_HEADER:
		if (!bare_binary(buf, len, img, &why)) {
			pr_info("kernel %s has no Image header: loading it as a bare binary", path);
			break;
		}
		/* fall through */
	case IMAGE_BAD:
		pr_err("kernel %s: %s", path, why);
		free(buf);
		return -1;
	}
	img->data = buf;
	return 0;
}

int boot_layout_compute(u64 ram_base, u64 ram_size, const struct kernel_image *img,
			u64 initrd_size, struct boot_layout *out, const char **why)
{
	u64 ram_end = ram_base + ram_size;

	out->kernel_addr = ALIGN_UP(ram_base, SZ_2M) + img->text_offset;
	out->kernel_end = out->kernel_addr + img->image_size;
	if (out->kernel_end > ram_end || ram_size < FDT_MAX_SIZE ||
	    out->kernel_end > ram_end - FDT_MAX_SIZE) {
		*why = "the kernel does not fit in guest RAM (raise --mem)";
		return -1;
	}
	/* DT at the top (8-byte aligned, within one 2 MiB block), initrd below. */
	out->fdt_addr = ALIGN_DOWN(ram_end - FDT_MAX_SIZE, SZ_2M);
	out->initrd_size = initrd_size;
	out->initrd_addr = 0;
	if (initrd_size) {
		out->initrd_addr = ALIGN_DOWN(out->fdt_addr - MIN(initrd_size, out->fdt_addr), SZ_4K);
		if (initrd_size > out->fdt_addr - out->kernel_end ||
		    out->initrd_addr < out->kernel_end) {
			*why = "the initrd does not fit in guest RAM beside the kernel (raise --mem)";
			return -1;
		}
	}
	return 0;
}

int firmware_open(const char *path)
{
	return boot_file_open("firmware", path);
}

typedef int (*boot_file_check)(const u8 *buf, size_t len, u64 offset, struct kernel_image *img,
			       const char **why);

/* Read a raw boot file whole and let @check place it; one line if either fails. */
static int load_raw(int fd, const char *what, const char *path, u64 offset, size_t max,
		    boot_file_check check, struct kernel_image *img)
{
	const char *why;
	size_t len;
	void *buf;
	int err = read_fd(fd, max, &buf, &len);

	if (err) {
		pr_err("%s %s: %s", what, path, err == -EFBIG ? "larger than guest RAM" : strerror(-err));
		return -1;
	}
	if (check(buf, len, offset, img, &why)) {
		pr_err("%s %s: %s", what, path, why);
		free(buf);
		return -1;
	}
	img->data = buf;
	return 0;
}

static int firmware_check(const u8 *buf, size_t len, u64 offset, struct kernel_image *img,
			  const char **why)
{
	return raw_binary(buf, len, offset, "an ELF file: give its raw binary (objcopy -O binary)",
			  img, why);
}

/* At the start of RAM, or where --firmware-address said. */
int firmware_load_fd(int fd, const char *path, u64 offset, size_t max, struct kernel_image *img)
{
	return load_raw(fd, "firmware", path, offset, max, firmware_check, img);
}

int zimage_parse(const u8 *buf, size_t len, struct kernel_image *img, const char **why)
{
	if (len >= ARM64_IMAGE_HDR_SIZE && le32_to_cpu_p(buf + 56) == ARM64_IMAGE_MAGIC) {
		*why = "an arm64 Image, not a 32-bit zImage (boot it without --aarch32)";
		return -1;
	}
	if (len < ZIMAGE_MAGIC_OFFSET + 4 || le32_to_cpu_p(buf + ZIMAGE_MAGIC_OFFSET) != ZIMAGE_MAGIC) {
		*why = "not a 32-bit ARM zImage (no zImage magic at offset 0x24: "
		       "boot arch/arm/boot/zImage)";
		return -1;
	}
	return raw_binary(buf, len, ZIMAGE_OFFSET, "an ELF file, not a zImage", img, why);
}

static int zimage_check(const u8 *buf, size_t len, u64 offset, struct kernel_image *img,
			const char **why)
{
	return zimage_parse(buf, len, img, why);
}

int zimage_load_fd(int fd, const char *path, size_t max, struct kernel_image *img)
{
	return load_raw(fd, "kernel", path, 0, max, zimage_check, img);
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading an arm64 Linux Image (raw or gzip-compressed) and deciding where
 * the kernel, initrd and device tree go in guest RAM
 * (Documentation/arch/arm64/booting.rst).
 */
#ifndef GICVM_ARM_BOOT_H
#define GICVM_ARM_BOOT_H

#include "gicvm/util.h"

#define ARM64_IMAGE_MAGIC	0x644d5241U	/* "ARM\x64" at offset 56 */
#define ARM64_IMAGE_HDR_SIZE	64
#define FDT_MAX_SIZE		SZ_2M		/* booting.rst: at most 2 MiB */

struct kernel_image {
	u8 *data;		/* the Image, decompressed */
	size_t size;		/* bytes in the file */
	u64 text_offset;	/* load offset from a 2 MiB aligned base */
	u64 image_size;		/* bytes the kernel needs, including its bss */
};

enum image_kind {
	IMAGE_OK,		/* an arm64 Image; @img filled in */
	IMAGE_NO_HEADER,	/* no Image header: maybe a bare binary */
	IMAGE_BAD,		/* an Image header, but a broken or truncated Image */
};

/*
 * Check @buf is an arm64 Image and fill in @img's offsets (not its data).
 * Unless IMAGE_OK, points @why at a reason.
 */
enum image_kind image_parse(const u8 *buf, size_t len, struct kernel_image *img,
			    const char **why);

/* Where a kernel without an Image header goes, as kvmtool does: RAM + 512 KiB. */
#define BARE_BINARY_OFFSET	0x80000

/*
 * Inflate a gzip stream of @inlen bytes into a new buffer of at most @max
 * bytes. Returns 0, or -1 with @why set (corrupt, truncated, too large).
 */
int gunzip_buffer(const u8 *in, size_t inlen, size_t max, u8 **out, size_t *outlen,
		  const char **why);

/*
 * Read, decompress if needed, and check a kernel file; errors are printed.
 * A file with no Image header (not ELF, not empty) loads as a bare binary.
 */
/* Open a kernel file to load (image_load_fd()); -1 said why, in kvmtool's words. */
int image_open(const char *path);
int image_load_file(const char *path, size_t max, struct kernel_image *img);
/* The same from an open file (from its start: a reboot loads it again); @path names it. */
int image_load_fd(int fd, const char *path, size_t max, struct kernel_image *img);

/*
 * -f/--firmware: a raw binary loaded at the start of RAM and entered there
 * with the DT's address in x0, as kvmtool does (EDK2's ArmVirtKvmTool,
 * U-Boot). Opening and loading say why they fail, in one line.
 */
int firmware_open(const char *path);
/* @offset: from RAM's start (--firmware-address), 4 KiB aligned. */
int firmware_load_fd(int fd, const char *path, u64 offset, size_t max, struct kernel_image *img);

/*
 * --aarch32: a 32-bit ARM zImage (Documentation/arch/arm/booting.rst),
 * loaded as it is (it decompresses itself) 32 KiB into RAM, as kvmtool
 * does; it must have the zImage magic at offset 0x24, so an arm64 Image
 * given by mistake is refused in one line. Entered in SVC mode with r1 =
 * ~0 (no machine type: a DT) and r2 = the DT's address.
 */
#define ZIMAGE_MAGIC		0x016f2818U
#define ZIMAGE_MAGIC_OFFSET	0x24
#define ZIMAGE_OFFSET		0x8000
int zimage_parse(const u8 *buf, size_t len, struct kernel_image *img, const char **why);
int zimage_load_fd(int fd, const char *path, size_t max, struct kernel_image *img);

struct boot_layout {
	u64 kernel_addr;	/* where the Image is copied (and entered) */
	u64 kernel_end;		/* kernel_addr + image_size */
	u64 initrd_addr;
	u64 initrd_size;
	u64 fdt_addr;
};

/*
 * Place the kernel at the bottom of RAM, the device tree at the top and the
 * initrd right below it. Returns -1 with @why set if they do not fit.
 */
int boot_layout_compute(u64 ram_base, u64 ram_size, const struct kernel_image *img,
			u64 initrd_size, struct boot_layout *out, const char **why);

#endif

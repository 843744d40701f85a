// SPDX-License-Identifier: GPL-2.0-only
/* arm64 Image header parsing, gzip decompression and the boot layout. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "arm/boot.h"
#include "harness.h"

#define IMG_LEN		0x4000

static void put_le64(u8 *p, u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static void put_le32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/* A synthetic Image: header, then a recognisable payload. */
static u8 *make_image(u64 text_offset, u64 image_size)
{
	u8 *b = calloc(1, IMG_LEN);

	put_le64(b + 8, text_offset);
	put_le64(b + 16, image_size);
	put_le64(b + 24, 0xa);
	put_le32(b + 56, ARM64_IMAGE_MAGIC);
	for (size_t i = ARM64_IMAGE_HDR_SIZE; i < IMG_LEN; i++)
		b[i] = i * 7;
	return b;
}

/* Give it the PE/COFF header of an EFI-stub kernel: one section ending at @end. */
static void add_pe_header(u8 *b, u32 end)
{
	u32 pe = 0x40;

	memset(b + pe, 0, 24 + 40);
	put_le32(b + 60, pe);
	put_le32(b + pe, 0x00004550);
	b[pe + 6] = 1;			/* one section, no optional header */
	put_le32(b + pe + 24 + 16, end - 0x1000);	/* SizeOfRawData */
	put_le32(b + pe + 24 + 20, 0x1000);		/* PointerToRawData */
}

static void header_ok(void)
{
	struct kernel_image img;
	const char *why = NULL;
	u8 *b = make_image(0, 0x200000);

	CHECK(!image_parse(b, IMG_LEN, &img, &why));
	CHECK_EQ(img.text_offset, 0);
	CHECK_EQ(img.image_size, 0x200000);
	CHECK_EQ(img.size, IMG_LEN);
	free(b);

	/* A pre-3.17 Image has no size: load 0x80000 in, size of the file. */
	b = make_image(0x1234, 0);
	CHECK(!image_parse(b, IMG_LEN, &img, &why));
	CHECK_EQ(img.text_offset, 0x80000);
	CHECK_EQ(img.image_size, IMG_LEN);
	free(b);
}

static void header_rejected(void)
{
	struct kernel_image img;
	const char *why = NULL;
	u8 *b = make_image(0, 0x200000);

	CHECK_EQ(image_parse(b, 63, &img, &why), IMAGE_NO_HEADER);
	CHECK(why && strstr(why, "too short"));
	b[56] = 'X';
	CHECK_EQ(image_parse(b, IMG_LEN, &img, &why), IMAGE_NO_HEADER);
	CHECK(strstr(why, "not an arm64 Image"));
	free(b);

	b = make_image(0, IMG_LEN - 1);		/* smaller than the file */
	CHECK_EQ(image_parse(b, IMG_LEN, &img, &why), IMAGE_BAD);
	CHECK(strstr(why, "image_size"));
	free(b);
	b = make_image(0x200000, 0x400000);	/* text_offset past 2 MiB */
	CHECK_EQ(image_parse(b, IMG_LEN, &img, &why), IMAGE_BAD);
	CHECK(strstr(why, "text_offset"));
	free(b);
}

static void truncated_efi_image(void)
{
	struct kernel_image img;
	const char *why = NULL;
	u8 *b = make_image(0, 0x200000);

	add_pe_header(b, IMG_LEN);
	CHECK(!image_parse(b, IMG_LEN, &img, &why));
	CHECK_EQ(image_parse(b, IMG_LEN - 1, &img, &why), IMAGE_BAD);
	CHECK(why && strstr(why, "truncated"));
	CHECK_EQ(image_parse(b, 0x60, &img, &why), IMAGE_BAD);	/* section table cut off */
	free(b);
}

static size_t gzip(const u8 *in, size_t len, u8 *out, size_t cap)
{
	z_stream zs = { 0 };
	size_t n;

	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (Bytef *)in;
	zs.avail_in = len;
	zs.next_out = out;
	zs.avail_out = cap;
	CHECK_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
	n = zs.total_out;
	deflateEnd(&zs);
	return n;
}

static void gunzip_cases(void)
{
	u8 *img = make_image(0, 0x200000), gz[IMG_LEN * 2], *out = NULL;
	size_t gzlen = gzip(img, IMG_LEN, gz, sizeof(gz)), outlen = 0;
	const char *why = NULL;

	CHECK(!gunzip_buffer(gz, gzlen, 1 << 20, &out, &outlen, &why));
	CHECK_EQ(outlen, IMG_LEN);
	CHECK(out && !memcmp(out, img, IMG_LEN));
	free(out);

	CHECK(gunzip_buffer(gz, gzlen / 2, 1 << 20, &out, &outlen, &why));
	CHECK(why && strstr(why, "truncated"));
	CHECK(gunzip_buffer(gz, gzlen - 4, 1 << 20, &out, &outlen, &why));	/* no trailer */
	CHECK(gunzip_buffer(gz, gzlen, IMG_LEN - 1, &out, &outlen, &why));
	CHECK(strstr(why, "more than fits"));
	gz[gzlen / 2] ^= 0xff;
	gz[gzlen / 2 + 1] ^= 0x55;
	why = NULL;
	CHECK(gunzip_buffer(gz, gzlen, 1 << 20, &out, &outlen, &why));
	CHECK(why != NULL);
	free(img);
}

static void load_files(void)
{
	u8 *img = make_image(0, 0x200000), gz[IMG_LEN * 2];
	size_t gzlen = gzip(img, IMG_LEN, gz, sizeof(gz));
	struct kernel_image k;
	const char *err;

	CHECK(!image_load_file(unit_temp_file("Image.gz", gz, gzlen), 1 << 20, &k));
	CHECK(!memcmp(k.data, img, IMG_LEN));
	free(k.data);
	CHECK(!image_load_file(unit_temp_file("Image", img, IMG_LEN), 1 << 20, &k));
	free(k.data);

	/* No header: a bare binary, loaded 512 KiB into RAM like kvmtool does. */
	CHECK(!image_load_file(unit_temp_file("bare", "\x00\x00\x00\x14", 4), 1 << 20, &k));
	CHECK_EQ(k.text_offset, BARE_BINARY_OFFSET);
	CHECK_EQ(k.size, 4);
	CHECK_EQ(k.image_size, 4096);
	free(k.data);

	stderr_capture_begin();
	CHECK(image_load_file("/nonexistent/Image", 1 << 20, &k));
	CHECK(image_load_file("/", 1 << 20, &k));
	CHECK(image_load_file(unit_temp_file("short.gz", gz, gzlen - 10), 1 << 20, &k));
	CHECK(image_load_file(unit_temp_file("vmlinux", "\x7f" "ELF\x02\x01\x01", 7), 1 << 20, &k));
	CHECK(image_load_file(unit_temp_file("empty", "", 0), 1 << 20, &k));
	CHECK(image_load_file(unit_temp_file("big", img, IMG_LEN), IMG_LEN - 1, &k));
	err = stderr_capture_end();
	CHECK(strstr(err, "Fatal: Unable to open kernel /nonexistent/Image (No such file"));
	CHECK(strstr(err, "Fatal: Unable to open kernel / (Is a directory"));
	CHECK(strstr(err, "short.gz: truncated gzip data"));
	CHECK(strstr(err, "vmlinux: an ELF file, not an arm64 Image"));
	CHECK(strstr(err, "empty: empty file"));
	CHECK(strstr(err, "big (larger than guest RAM)"));
	free(img);
}

/* --aarch32: a zImage, by its magic; anything else refused in one line. */
static void zimages(void)
{
	u8 zimage[0x40] = { 0 }, *arm64 = make_image(0, 0x200000);
	struct kernel_image k;
	const char *why;

	put_le32(zimage + ZIMAGE_MAGIC_OFFSET, ZIMAGE_MAGIC);
	CHECK(!zimage_parse(zimage, sizeof(zimage), &k, &why));
	CHECK_EQ(k.text_offset, ZIMAGE_OFFSET);
	CHECK_EQ(k.size, sizeof(zimage));
	CHECK(zimage_parse(arm64, IMG_LEN, &k, &why) && strstr(why, "an arm64 Image"));
	CHECK(zimage_parse(zimage, ZIMAGE_MAGIC_OFFSET + 3, &k, &why) &&
	      strstr(why, "not a 32-bit ARM zImage"));
	zimage[ZIMAGE_MAGIC_OFFSET] ^= 1;
	CHECK(zimage_parse(zimage, sizeof(zimage), &k, &why) && strstr(why, "no zImage magic"));

	/* Without --aarch32, a zImage is not taken for a bare arm64 binary. */
	zimage[ZIMAGE_MAGIC_OFFSET] ^= 1;
	stderr_capture_begin();
	CHECK(image_load_file(unit_temp_file("zImage", zimage, sizeof(zimage)), 1 << 20, &k));
	CHECK(strstr(stderr_capture_end(), "zImage: a 32-bit ARM zImage: boot it with --aarch32"));
	free(arm64);
}

static void layout(void)
{
	struct kernel_image k = { .text_offset = 0, .image_size = 20 << 20 };
	u64 base = 0x80000000, size = 256 << 20;
	struct boot_layout bl;
	const char *why;

	CHECK(!boot_layout_compute(base, size, &k, 10 << 20, &bl, &why));
	CHECK_EQ(bl.kernel_addr, base);
	CHECK_EQ(bl.kernel_end, base + (20 << 20));
	CHECK_EQ(bl.fdt_addr, base + size - SZ_2M);
	CHECK_EQ(bl.initrd_addr, bl.fdt_addr - (10 << 20));
	CHECK_EQ(bl.initrd_addr % SZ_4K, 0);

	/* An odd-sized initrd still ends before the DT and starts page-aligned. */
	CHECK(!boot_layout_compute(base, size, &k, 12345, &bl, &why));
	CHECK(bl.initrd_addr + 12345 <= bl.fdt_addr);
	CHECK_EQ(bl.initrd_addr % SZ_4K, 0);

	k.text_offset = 0x80000;
	CHECK(!boot_layout_compute(base, size, &k, 0, &bl, &why));
	CHECK_EQ(bl.kernel_addr, base + 0x80000);
	CHECK_EQ(bl.initrd_addr, 0);
}

static void layout_rejected(void)
{
	struct kernel_image k = { .text_offset = 0, .image_size = 20 << 20 };
	u64 base = 0x80000000;
	struct boot_layout bl;
	const char *why = NULL;

	CHECK(boot_layout_compute(base, 16 << 20, &k, 0, &bl, &why));
	CHECK(why && strstr(why, "kernel does not fit"));
	CHECK(boot_layout_compute(base, 32 << 20, &k, 16 << 20, &bl, &why));
	CHECK(strstr(why, "initrd does not fit"));
	/* Just fits: 20 MiB kernel + 10 MiB initrd + 2 MiB DT in 32 MiB. */
	CHECK(!boot_layout_compute(base, 32 << 20, &k, 10 << 20, &bl, &why));
	CHECK(boot_layout_compute(base, 32 << 20, &k, (10 << 20) + 1, &bl, &why));
	CHECK(boot_layout_compute(base, 1 << 20, &k, 0, &bl, &why));
}

UNIT_TESTS(TEST(header_ok), TEST(header_rejected), TEST(truncated_efi_image),
	   TEST(gunzip_cases), TEST(load_files), TEST(zimages), TEST(layout),
	   TEST(layout_rejected));

// SPDX-License-Identifier: GPL-2.0-only
/* The device tree says exactly what was created: read it back with libfdt. */
#include <libfdt.h>
#include <string.h>

#include "arm/arm.h"
#include "gic/gic_internal.h"
#include "harness.h"

static u8 blob[1 << 16];

static const void *prop(const char *path, const char *name, int *len)
{
	int off = fdt_path_offset(blob, path);

	if (off < 0)
		return NULL;
	return fdt_getprop(blob, off, name, len);
}

/* Properties are only 4-byte aligned in the blob. */
static u64 be64_at(const void *p, int idx)
{
	fdt64_t v;

	memcpy(&v, (const u8 *)p + idx * 8, sizeof(v));
	return fdt64_to_cpu(v);
}

static void build_with(unsigned int nr_cpus, const u64 *mpidrs, struct gic *gic, u64 kaslr_seed,
		       u32 timer_frequency)
{
	struct fdt_desc d = {
		.ram_base = 0x80000000,
		.ram_size = 512 << 20,
		.nr_cpus = nr_cpus,
		.mpidrs = mpidrs,
		.bootargs = "console=ttyS0 quiet",
		.initrd_start = 0x90000000,
		.initrd_end = 0x90100000,
		.stdout_path = "/serial@1000000",
		.gic = gic,
		.kaslr_seed = kaslr_seed,
		.timer_frequency = timer_frequency,
	};

	gic_layout_init(&gic->layout, GIC_V3, nr_cpus);
	CHECK(!fdt_build(&d, blob, sizeof(blob)));
	CHECK(!fdt_check_header(blob));
}

static void build(unsigned int nr_cpus, const u64 *mpidrs, struct gic *gic)
{
	build_with(nr_cpus, mpidrs, gic, 0, 0);
}

static void root_chosen_memory(void)
{
	static const u64 mpidrs[] = { 0 };
	struct gic gic = { 0 };
	const char *s;
	const void *p;
	int len;

	build(1, mpidrs, &gic);
	s = prop("/chosen", "bootargs", &len);
	CHECK(s && !strcmp(s, "console=ttyS0 quiet"));
	s = prop("/chosen", "stdout-path", &len);
	CHECK(s && !strcmp(s, "/serial@1000000"));
	p = prop("/chosen", "linux,initrd-start", &len);
	CHECK(p && len == 8 && be64_at(p, 0) == 0x90000000);
	p = prop("/chosen", "linux,initrd-end", &len);
	CHECK(p && be64_at(p, 0) == 0x90100000);
	p = prop("/memory@80000000", "reg", &len);
	CHECK(p && len == 16 && be64_at(p, 0) == 0x80000000 && be64_at(p, 1) == 512 << 20);
	s = prop("/psci", "method", &len);
	CHECK(s && !strcmp(s, "hvc"));
	s = prop("/psci", "compatible", &len);
	CHECK(s && !strcmp(s, "arm,psci-0.2"));
}

static void cpus_match_mpidrs(void)
{
	/* KVM's MPIDRs for vCPUs 0, 1, 16 and 17: Aff1 moves every 16. */
	static const u64 mpidrs[] = { 0x0, 0x1, 0x100, 0x101 };
	struct gic gic = { 0 };
	int cpus, n = 0, off;

	build(4, mpidrs, &gic);
	cpus = fdt_path_offset(blob, "/cpus");
	CHECK(cpus >= 0);
	fdt_for_each_subnode(off, blob, cpus) {
		const void *reg = fdt_getprop(blob, off, "reg", NULL);
		const char *em = fdt_getprop(blob, off, "enable-method", NULL);

		CHECK(n < 4 && reg && be64_at(reg, 0) == mpidrs[n]);
		CHECK(em && !strcmp(em, "psci"));
		n++;
	}
	CHECK_EQ(n, 4);
	CHECK(fdt_path_offset(blob, "/cpus/cpu@101") >= 0);
}

static void gic_and_timer(void)
{
	static const u64 mpidrs[] = { 0, 1 };
	struct gic gic = { 0 };
	const fdt32_t *irqs;
	const void *reg;
	const char *s;
	int len, off;
	u32 phandle;

	build(2, mpidrs, &gic);
	off = fdt_path_offset(blob, "/intc@3fff0000");
	CHECK(off >= 0);
	s = fdt_getprop(blob, off, "compatible", NULL);
	CHECK(s && !strcmp(s, "arm,gic-v3"));
	CHECK(fdt_getprop(blob, off, "interrupt-controller", &len) && len == 0);
	reg = fdt_getprop(blob, off, "reg", &len);
	CHECK(reg && len == 32);
	CHECK_EQ(be64_at(reg, 0), 0x3fff0000);		/* distributor */
	CHECK_EQ(be64_at(reg, 1), 0x10000);
	CHECK_EQ(be64_at(reg, 2), 0x3fff0000 - 2 * 0x20000);	/* 2 redistributors */
	CHECK_EQ(be64_at(reg, 3), 2 * 0x20000);
	phandle = fdt_get_phandle(blob, off);
	CHECK(phandle != 0);
	irqs = prop("/", "interrupt-parent", &len);
	CHECK(irqs && fdt32_to_cpu(irqs[0]) == phandle);

	/* Secure, non-secure, virtual, hyp timer PPIs: 13, 14, 11, 10. */
	irqs = prop("/timer", "interrupts", &len);
	CHECK(irqs && len == 12 * 4);
	if (irqs && len == 48) {
		static const u32 ppis[] = { 13, 14, 11, 10 };

		for (int i = 0; i < 4; i++) {
			CHECK_EQ(fdt32_to_cpu(irqs[i * 3]), 1);
			CHECK_EQ(fdt32_to_cpu(irqs[i * 3 + 1]), ppis[i]);
		}
	}
}

/* kvmtool's --kaslr-seed and --override-bad-firmware-cntfrq: there only when asked for. */
static void kaslr_seed_and_cntfrq(void)
{
	static const u64 mpidrs[] = { 0 };
	struct gic gic = { 0 };
	const fdt32_t *hz;
	const void *seed;
	int len;

	build(1, mpidrs, &gic);
	CHECK(!prop("/chosen", "kaslr-seed", &len));
	CHECK(!prop("/timer", "clock-frequency", &len));
	build_with(1, mpidrs, &gic, 0x0123456789abcdefULL, 24000000);
	seed = prop("/chosen", "kaslr-seed", &len);
	CHECK(seed && len == 8 && be64_at(seed, 0) == 0x0123456789abcdefULL);
	hz = prop("/timer", "clock-frequency", &len);
	CHECK(hz && len == 4 && fdt32_to_cpu(hz[0]) == 24000000);
}

/*
 * --nested: PSCI by SMC (the guest at EL2 takes its own HVCs), the EL2 hyp
 * virtual timer (PPI 12) after the four others, and the GIC's maintenance
 * interrupt (PPI 9, level) for the guest's own KVM; none of it otherwise.
 */
static void nested_guest(void)
{
	static const u64 mpidrs[] = { 0 };
	struct gic gic = { 0 };
	struct fdt_desc d = { .ram_base = 0x80000000, .ram_size = 1 << 28, .nr_cpus = 1,
			      .mpidrs = mpidrs, .gic = &gic, .nested = true };
	const fdt32_t *irqs;
	const char *s;
	int len, off;

	build(1, mpidrs, &gic);
	s = prop("/psci", "method", &len);
	CHECK(s && !strcmp(s, "hvc"));
	off = fdt_path_offset(blob, "/intc@3fff0000");
	CHECK(off >= 0 && !fdt_getprop(blob, off, "interrupts", &len));

	gic_layout_init(&gic.layout, GIC_V3, 1);
	gic.layout.maint_intid = 25;
	CHECK(!fdt_build(&d, blob, sizeof(blob)));
	s = prop("/psci", "method", &len);
	CHECK(s && !strcmp(s, "smc"));
	irqs = prop("/timer", "interrupts", &len);
	CHECK(irqs && len == 15 * 4);
	if (irqs && len == 60) {
		CHECK_EQ(fdt32_to_cpu(irqs[12]), 1);
		CHECK_EQ(fdt32_to_cpu(irqs[13]), 12);
	}
	off = fdt_path_offset(blob, "/intc@3fff0000");
	irqs = off >= 0 ? fdt_getprop(blob, off, "interrupts", &len) : NULL;
	CHECK(irqs && len == 12);
	if (irqs && len == 12) {
		CHECK_EQ(fdt32_to_cpu(irqs[0]), 1);	/* a PPI */
		CHECK_EQ(fdt32_to_cpu(irqs[1]), 9);
		CHECK_EQ(fdt32_to_cpu(irqs[2]), 4);	/* level, high */
	}
}

static void too_small_buffer(void)
{
	static const u64 mpidrs[] = { 0 };
	struct gic gic = { 0 };
	struct fdt_desc d = { .ram_base = 0x80000000, .ram_size = 1 << 28, .nr_cpus = 1,
			      .mpidrs = mpidrs, .gic = &gic };

	gic_layout_init(&gic.layout, GIC_V3, 1);
	CHECK(fdt_build(&d, blob, 256));
}

UNIT_TESTS(TEST(root_chosen_memory), TEST(cpus_match_mpidrs), TEST(gic_and_timer),
	   TEST(kaslr_seed_and_cntfrq), TEST(nested_guest), TEST(too_small_buffer));

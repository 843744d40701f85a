// SPDX-License-Identifier: GPL-2.0-only
/* The guest's device tree, built with libfdt's sequential-write API. */
#include <libfdt.h>
#include <stdio.h>

#include "arm.h"
#include "gic/gic.h"
#include "gicvm/device.h"

/*
 * Arch timer PPIs (intids): secure, non-secure physical, virtual, hyp
 * physical, and for a guest with EL2 (--nested) the hyp virtual one: KVM's
 * default for each.
 */
static const unsigned int timer_ppis[] = { 29, 30, 27, 26, 28 };
#define TIMER_PPIS_EL1_GUEST	4

static void add_reg(void *fdt, u64 base, u64 size)
{
	u64 reg[] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	fdt_property(fdt, "reg", reg, sizeof(reg));
}

static void add_chosen(void *fdt, const struct fdt_desc *d)
{
	fdt_begin_node(fdt, "chosen");
	fdt_property_string(fdt, "bootargs", d->bootargs ? d->bootargs : "");
	if (d->stdout_path)
		fdt_property_string(fdt, "stdout-path", d->stdout_path);
	if (d->initrd_start) {
		fdt_property_u64(fdt, "linux,initrd-start", d->initrd_start);
		fdt_property_u64(fdt, "linux,initrd-end", d->initrd_end);
	}
	if (d->kaslr_seed)
		fdt_property_u64(fdt, "kaslr-seed", d->kaslr_seed);
	fdt_end_node(fdt);
}

static void add_memory(void *fdt, const struct fdt_desc *d)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)d->ram_base);
	fdt_begin_node(fdt, name);
	fdt_property_string(fdt, "device_type", "memory");
	add_reg(fdt, d->ram_base, d->ram_size);
	fdt_end_node(fdt);
}

static void add_cpus(void *fdt, const struct fdt_desc *d)
{
	fdt_begin_node(fdt, "cpus");
	fdt_property_cell(fdt, "#address-cells", 2);
	fdt_property_cell(fdt, "#size-cells", 0);
	for (unsigned int i = 0; i < d->nr_cpus; i++) {
		char name[32];

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)d->mpidrs[i]);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "device_type", "cpu");
		fdt_property_string(fdt, "compatible", "arm,arm-v8");
		fdt_property_string(fdt, "enable-method", "psci");
		fdt_property_u64(fdt, "reg", d->mpidrs[i]);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
}

static void add_psci(void *fdt, bool nested)
{
	/* KVM implements PSCI 0.2+ with the function IDs the binding implies. */
	static const char compat[] = "arm,psci-0.2\0arm,psci";

	fdt_begin_node(fdt, "psci");
	fdt_property(fdt, "compatible", compat, sizeof(compat));
	/*
	 * A guest at EL2 takes its own HVCs: its calls to KVM's PSCI must be
	 * SMCs, which KVM traps from there.
	 */
	fdt_property_string(fdt, "method", nested ? "smc" : "hvc");
	fdt_end_node(fdt);
}

/* @frequency: firmware that left CNTFRQ_EL0 wrong needs it said here (0: not). */
static void add_timer(void *fdt, u32 frequency, bool nested)
{
	size_t n = nested ? ARRAY_SIZE(timer_ppis) : TIMER_PPIS_EL1_GUEST;
	u32 cells[ARRAY_SIZE(timer_ppis) * 3];

	for (size_t i = 0; i < n; i++)
		gic_fdt_irq_cells(timer_ppis[i], IRQ_LEVEL, &cells[i * 3]);
	fdt_begin_node(fdt, "timer");
	fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	fdt_property(fdt, "interrupts", cells, n * 3 * sizeof(cells[0]));
	fdt_property(fdt, "always-on", NULL, 0);
	if (frequency)
		fdt_property_cell(fdt, "clock-frequency", frequency);
	fdt_end_node(fdt);
}

/* PMUv3: its overflow interrupt is PPI 23, level, on every CPU. */
static void add_pmu(void *fdt)
{
	u32 cells[3];

	gic_fdt_irq_cells(23, IRQ_LEVEL, cells);
	fdt_begin_node(fdt, "pmu");
	fdt_property_string(fdt, "compatible", "arm,armv8-pmuv3");
	fdt_property(fdt, "interrupts", cells, sizeof(cells));
	fdt_end_node(fdt);
}

size_t fdt_totalsize_of(const void *fdt)
{
	return fdt_totalsize(fdt);
}

int fdt_build(const struct fdt_desc *d, void *buf, size_t size)
{
	void *fdt = buf;
	int err;

	err = fdt_create(fdt, size);
	err = err ?: fdt_finish_reservemap(fdt);
	err = err ?: fdt_begin_node(fdt, "");
	if (err)
		return -1;
	fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	fdt_property_cell(fdt, "#address-cells", 2);
	fdt_property_cell(fdt, "#size-cells", 2);
	fdt_property_cell(fdt, "interrupt-parent", gic_fdt_phandle(d->gic));

	add_chosen(fdt, d);
	add_memory(fdt, d);
	add_cpus(fdt, d);
	add_psci(fdt, d->nested);
	gic_fdt_node(d->gic, fdt);
	add_timer(fdt, d->timer_frequency, d->nested);
	if (d->pmu)
		add_pmu(fdt);
	devices_fdt(d->devices, fdt);

	err = fdt_end_node(fdt);
	err = err ?: fdt_finish(fdt);
	/* Any earlier failure (no space) also makes fdt_finish or the check fail. */
	if (err || fdt_check_header(fdt))
		return -1;
	return fdt_pack(fdt) ? -1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The MMIO bus: regions never overlap; an access is routed whole or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gicvm/mmio.h"
#include "gicvm/report.h"
#include "harness.h"

static u64 last_offset;
static u32 calls;

static void handler(void *opaque, u64 offset, u8 *data, u32 len, bool is_write)
{
	last_offset = offset;
	calls++;
	if (!is_write)
		memset(data, 0xab, len);
}

static void registration(void)
{
	static struct mmio_bus bus;

	CHECK(!mmio_register(&bus, "r", 0x1000, 0x100, handler, NULL));
	CHECK(mmio_register(&bus, "r", 0x10ff, 0x10, handler, NULL));	/* overlaps the end */
	CHECK(mmio_register(&bus, "r", 0x0f00, 0x101, handler, NULL));	/* overlaps the start */
	CHECK(mmio_register(&bus, "r", 0x2000, 0, handler, NULL));		/* empty */
	CHECK(mmio_register(&bus, "r", ~0ULL - 4, 0x10, handler, NULL));	/* wraps */
	CHECK(!mmio_register(&bus, "r", 0x1100, 0x100, handler, NULL));	/* adjacent is fine */
}

static void dispatch(void)
{
	static struct mmio_bus bus;
	u8 data[8];

	mmio_register(&bus, "r", 0x1000, 0x100, handler, NULL);
	calls = 0;
	CHECK(mmio_dispatch(&bus, 0x1010, data, 4, false));
	CHECK_EQ(last_offset, 0x10);
	CHECK_EQ(data[3], 0xab);
	CHECK(mmio_dispatch(&bus, 0x10f8, data, 8, true));
	CHECK_EQ(calls, 2);

	/* Straddling the end, or outside: no handler, reads give 0. */
	memset(data, 0xff, sizeof(data));
	CHECK(!mmio_dispatch(&bus, 0x10fc, data, 8, false));
	CHECK_EQ(data[0], 0);
	CHECK(!mmio_dispatch(&bus, ~0ULL - 2, data, 8, false));
	CHECK_EQ(calls, 2);
	CHECK_EQ(atomic_load(&bus.unhandled), 2);
}

/* --debug-mmio: one line per access, with its value and who took it. */
static void trace_lines(void)
{
	static struct mmio_bus bus;
	u8 data[4] = { 0x41 };
	const char *err;

	mmio_register(&bus, "uart", 0x1000, 0x100, handler, NULL);
	bus.trace = true;
	stderr_capture_begin();
	mmio_dispatch(&bus, 0x1000, data, 1, true);
	mmio_dispatch(&bus, 0x1010, data, 4, false);
	mmio_dispatch(&bus, 0x9000, data, 2, false);
	err = stderr_capture_end();
	CHECK(strstr(err, "gicvm: mmio: write 0x1000 len 1 <- 0x41 (uart)\n"));
	CHECK(strstr(err, "gicvm: mmio: read 0x1010 len 4 -> 0xab"));
	CHECK(strstr(err, "gicvm: mmio: read 0x9000 len 2 -> 0 (nothing there)\n"));
}

/* Exits are counted per region and reported per name. */
static void exit_counts(void)
{
	static struct mmio_bus bus;
	char *text = NULL;
	size_t len;
	struct report r;
	FILE *f = open_memstream(&text, &len);
	u8 data[4];

	CHECK(!mmio_register(&bus, "uart", 0x1000, 0x8, handler, NULL));
	CHECK(!mmio_register(&bus, "virtio", 0x2000, 0x200, handler, NULL));
	CHECK(!mmio_register(&bus, "virtio", 0x2200, 0x200, handler, NULL));
	mmio_dispatch(&bus, 0x1000, data, 1, true);
	mmio_dispatch(&bus, 0x2070, data, 4, false);
	mmio_dispatch(&bus, 0x2270, data, 4, false);
	mmio_dispatch(&bus, 0x2264, data, 4, true);
	mmio_dispatch(&bus, 0x9000, data, 4, true);	/* nobody's: not counted here */
	report_begin(&r, f, false);
	mmio_report(&bus, &r);
	report_end(&r);
	fclose(f);
	CHECK(!strcmp(text, "uart=1\nvirtio=3\n"));
	free(text);
}

UNIT_TESTS(TEST(trace_lines), TEST(registration), TEST(dispatch), TEST(exit_counts));

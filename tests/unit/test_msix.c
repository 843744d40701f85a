// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSI-X semantics, with the GIC replaced by the fake host's recorder: a vector raised
 * while masked (or with the function masked, or before the vector was
 * unmasked) is not lost but kept pending in the PBA and delivered by the
 * unmask; routes reach the GIC once programmed and unmasked.
 */
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fake_host.h"
#include "gic/gic.h"
#include "gicvm/msix.h"
#include "gicvm/pci.h"
#include "harness.h"

static const struct pci_function_ops no_ops;

static u64 fired(struct msix *m, unsigned int v)
{
	u64 n = 0;

	if (read(m->e[v].fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

static void table_write(struct msix *m, unsigned int v, unsigned int field, u32 val)
{
	u8 b[4] = { val, val >> 8, val >> 16, val >> 24 };

	CHECK(msix_bar_access(m, 0x4000 + v * 16 + field * 4, b, 4, true));
}

static u32 pba(struct msix *m)
{
	u8 b[4];

	CHECK(msix_bar_access(m, 0x5000, b, 4, false));
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static void control(struct pci_function *f, struct msix *m, u16 ctrl)
{
	u8 b[2] = { ctrl, ctrl >> 8 };

	pci_cfg_write(f, m->cap + 2, b, 2);
	msix_cap_written(m);
}

static void setup(struct pci_function *f, struct msix *m)
{
	fake_host_reset();
	memset(f, 0, sizeof(*f));
	pci_function_init(f, 0x1af4, 0x1041, 0x020000, 0x1af4, 0x41, 0x8000);
	f->ops = &no_ops;
	f->slot = 3;
	CHECK(!msix_init(m, f, 3, 0x4000, 0x5000));
	CHECK(!msix_start(m, (struct gic *)1));
}

static void capability(void)
{
	struct pci_function f;
	struct msix m;

	setup(&f, &m);
	CHECK_EQ(f.cfg[m.cap], 0x11);
	CHECK_EQ(f.cfg[m.cap + 2] | f.cfg[m.cap + 3] << 8, 2);	/* table size - 1 */
	CHECK(!msix_enabled(&m));
	/* Vectors come out of reset masked. */
	for (unsigned int v = 0; v < 3; v++) {
		u8 b[4];

		CHECK(msix_bar_access(&m, 0x4000 + v * 16 + 12, b, 4, false));
		CHECK_EQ(b[0] & 1, 1);
	}
	/* Not the table or the PBA: someone else's registers. */
	CHECK(!msix_bar_access(&m, 0x3000, (u8[4]){ 0 }, 4, false));
}

static void masked_vector_keeps_pending_bit(void)
{
	struct pci_function f;
	struct msix m;

	setup(&f, &m);
	control(&f, &m, 0x8000);			/* enable */
	table_write(&m, 1, 0, 0x08090040);
	table_write(&m, 1, 1, 0);
	table_write(&m, 1, 2, 45);
	CHECK_EQ(fake_host.routes, 0);				/* still masked: not yet */
	msix_notify(&m, 1);
	CHECK_EQ(fired(&m, 1), 0);
	CHECK_EQ(pba(&m), 1 << 1);
	table_write(&m, 1, 3, 0);			/* unmask */
	CHECK_EQ(fake_host.routes, 1);
	CHECK_EQ(fake_host.last_addr, 0x08090040);
	CHECK_EQ(fake_host.last_data, 45);
	CHECK_EQ(fake_host.last_devid, 3 << 3);			/* requester ID 00:03.0 */
	CHECK_EQ(fired(&m, 1), 1);			/* delivered by the unmask */
	CHECK_EQ(pba(&m), 0);
	msix_notify(&m, 1);
	CHECK_EQ(fired(&m, 1), 1);			/* unmasked: straight through */
	msix_notify(&m, MSIX_NO_VECTOR);		/* no vector: nothing */
	msix_notify(&m, 7);
}

static void function_mask(void)
{
	struct pci_function f;
	struct msix m;

	setup(&f, &m);
	control(&f, &m, 0xc000);			/* enabled, all masked */
	table_write(&m, 0, 2, 33);
	table_write(&m, 0, 3, 0);
	msix_notify(&m, 0);
	CHECK_EQ(fired(&m, 0), 0);
	CHECK_EQ(pba(&m), 1);
	control(&f, &m, 0x8000);			/* function mask off */
	CHECK_EQ(fired(&m, 0), 1);
	CHECK_EQ(pba(&m), 0);
	/* With MSI-X off there is no interrupt at all (gicvm has no INTx). */
	control(&f, &m, 0);
	msix_notify(&m, 0);
	CHECK_EQ(fired(&m, 0), 0);
	CHECK_EQ(pba(&m), 0);
}

static void live_rewrite_reroutes(void)
{
	struct pci_function f;
	struct msix m;

	setup(&f, &m);
	control(&f, &m, 0x8000);
	table_write(&m, 2, 3, 0);
	CHECK_EQ(fake_host.routes, 1);
	table_write(&m, 2, 2, 50);			/* a driver that does not mask first */
	CHECK_EQ(fake_host.routes, 2);
	CHECK_EQ(fake_host.last_data, 50);
	table_write(&m, 2, 2, 50);			/* same value: nothing to do */
	CHECK_EQ(fake_host.routes, 2);
}

static void bad_accesses(void)
{
	struct pci_function f;
	struct msix m;
	u8 b[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	setup(&f, &m);
	/* Byte and unaligned accesses are ignored and read 0. */
	CHECK(msix_bar_access(&m, 0x4000 + 12, b, 1, true));
	CHECK_EQ(m.e[0].ctrl, 1);
	CHECK(msix_bar_access(&m, 0x4002, b, 4, false));
	CHECK_EQ(b[0], 0);
	/* The PBA is read-only. */
	CHECK(msix_bar_access(&m, 0x5000, (u8[4]){ 0xff, 0xff, 0xff, 0xff }, 4, true));
	CHECK_EQ(pba(&m), 0);
	/* A qword write covers two fields. */
	CHECK(msix_bar_access(&m, 0x4000, (u8[8]){ 1, 0, 0, 0, 2, 0, 0, 0 }, 8, true));
	CHECK_EQ(m.e[0].addr_lo, 1);
	CHECK_EQ(m.e[0].addr_hi, 2);
}

UNIT_TESTS(TEST(capability), TEST(masked_vector_keeps_pending_bit), TEST(function_mask),
	   TEST(live_rewrite_reroutes), TEST(bad_accesses));

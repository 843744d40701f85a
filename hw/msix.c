// SPDX-License-Identifier: GPL-2.0-only
/* MSI-X (PCI Local Bus 3.0, 6.8.2) on top of the GIC's MSI vectors. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "gic/gic.h"
#include "gicvm/msix.h"
#include "gicvm/pci.h"
#include "gicvm/state.h"

#define PCI_CAP_ID_MSIX		0x11
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_MASKALL	0x4000
#define MSIX_ENTRY_MASKED	0x1

static u16 msg_ctrl(const struct msix *m)
{
	return get_le(m->f->cfg + m->cap + 2, 2);
}

bool msix_enabled(const struct msix *m)
{
	return msg_ctrl(m) & MSIX_CTRL_ENABLE;
}

static bool live(const struct msix *m)
{
	return (msg_ctrl(m) & (MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL)) == MSIX_CTRL_ENABLE;
}

int msix_init(struct msix *m, struct pci_function *f, unsigned int nvec,
	      u64 table_off, u64 pba_off)
{
	u8 cap[12] = { PCI_CAP_ID_MSIX };

	if (!nvec || nvec > MSIX_MAX_VECTORS)
		return -1;
	memset(m, 0, sizeof(*m));
	m->f = f;
	m->nvec = nvec;
	m->table_off = table_off;
	m->pba_off = pba_off;
	put_le(cap + 2, nvec - 1, 2);
	/* Table and PBA both in BAR 0 (BIR 0 in the low bits). */
	put_le(cap + 4, table_off, 4);
	put_le(cap + 8, pba_off, 4);
	m->cap = pci_add_cap(f, cap, sizeof(cap));
	if (m->cap < 0)
		return -1;
	f->wmask[m->cap + 3] = (MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL) >> 8;
	for (unsigned int v = 0; v < nvec; v++)
		m->e[v].fd = -1;
	msix_reset(m);
	return 0;
}

int msix_start(struct msix *m, struct gic *gic)
{
	m->gic = gic;
	for (unsigned int v = 0; v < m->nvec; v++) {
		m->e[v].fd = gic_msi_irqfd(gic, &m->e[v].gic_vector);
		if (m->e[v].fd < 0)
			return -1;
	}
	return 0;
}

void msix_reset(struct msix *m)
{
	m->f->cfg[m->cap + 3] &= ~((MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL) >> 8);
	for (unsigned int v = 0; v < m->nvec; v++) {
		struct msix_entry *e = &m->e[v];

		e->addr_lo = e->addr_hi = e->data = 0;
		e->ctrl = MSIX_ENTRY_MASKED;
		e->dirty = true;
	}
	m->pending = 0;
	m->was_live = false;
}

static void route(struct msix *m, struct msix_entry *e)
{
	if (!e->dirty || !m->gic)
		return;
	e->dirty = false;
	gic_msi_route(m->gic, e->gic_vector, (u64)e->addr_hi << 32 | e->addr_lo, e->data,
		      pci_requester_id(m->f));
}

static void fire(struct msix *m, struct msix_entry *e)
{
	if (e->fd >= 0 && gic_signal(m->gic, e->fd))
		pr_warn("MSI-X irqfd write: %s", strerror(errno));
}

/* Deliver whatever is pending on vectors that can now be delivered. */
static void deliver_pending(struct msix *m)
{
	if (!live(m))
		return;
	for (unsigned int v = 0; v < m->nvec; v++) {
		struct msix_entry *e = &m->e[v];

		if (e->ctrl & MSIX_ENTRY_MASKED)
			continue;
		route(m, e);
		if (m->pending & (1ULL << v)) {
			m->pending &= ~(1ULL << v);
			fire(m, e);
		}
	}
}

int msix_vector_fd(struct msix *m, unsigned int v)
{
	if (v >= m->nvec || !live(m) || (m->e[v].ctrl & MSIX_ENTRY_MASKED) || m->e[v].fd < 0)
		return -1;
	route(m, &m->e[v]);
	return m->e[v].fd;
}

void msix_notify(struct msix *m, unsigned int v)
{
	if (v >= m->nvec || !msix_enabled(m))
		return;
	if (!live(m) || (m->e[v].ctrl & MSIX_ENTRY_MASKED)) {
		m->pending |= 1ULL << v;
		return;
	}
	fire(m, &m->e[v]);
}

void msix_cap_written(struct msix *m)
{
	bool now = live(m);

	if (now && !m->was_live)
		deliver_pending(m);
	m->was_live = now;
}

static void table_write(struct msix *m, unsigned int v, unsigned int field, u32 val)
{
	struct msix_entry *e = &m->e[v];
	u32 *word[] = { &e->addr_lo, &e->addr_hi, &e->data, &e->ctrl };

	if (field == 3) {
		bool unmask = (e->ctrl & MSIX_ENTRY_MASKED) && !(val & MSIX_ENTRY_MASKED);

		e->ctrl = val & MSIX_ENTRY_MASKED;
		if (unmask)
			deliver_pending(m);
		return;
	}
	if (*word[field] == val)
		return;
	*word[field] = val;
	e->dirty = true;
	/* A driver that rewrites a live vector without masking it first. */
	if (!(e->ctrl & MSIX_ENTRY_MASKED) && live(m))
		route(m, e);
}

static u32 table_read(struct msix *m, unsigned int v, unsigned int field)
{
	const struct msix_entry *e = &m->e[v];
	const u32 word[] = { e->addr_lo, e->addr_hi, e->data, e->ctrl };

	return word[field];
}

/* One aligned dword of the table or the PBA. */
static void dword_access(struct msix *m, u64 off, u32 *val, bool is_write)
{
	if (off >= m->table_off && off < m->table_off + m->nvec * MSIX_ENTRY_SIZE) {
		unsigned int v = (off - m->table_off) / MSIX_ENTRY_SIZE;
		unsigned int field = (off - m->table_off) % MSIX_ENTRY_SIZE / 4;

		if (is_write)
			table_write(m, v, field, *val);
		else
			*val = table_read(m, v, field);
		return;
	}
	/* The PBA is read-only. */
	if (!is_write)
		*val = off - m->pba_off < 8 ? m->pending >> (8 * (off - m->pba_off)) : 0;
}

bool msix_bar_access(struct msix *m, u64 off, u8 *data, u32 len, bool is_write)
{
	bool in_table = off >= m->table_off && off < m->table_off + m->nvec * MSIX_ENTRY_SIZE;
	bool in_pba = off >= m->pba_off && off < m->pba_off + 8;

	if (!in_table && !in_pba)
		return false;
	/* 6.8.2: dword or aligned qword accesses only; others are ignored. */
	if ((len != 4 && len != 8) || off % len) {
		if (!is_write)
			memset(data, 0, len);
		return true;
	}
	for (u32 i = 0; i < len; i += 4) {
		u32 val = get_le(data + i, 4);

		dword_access(m, off + i, &val, is_write);
		if (!is_write)
			put_le(data + i, val, 4);
	}
	return true;
}

void msix_save(const struct msix *m, struct state *s)
{
	state_put_tag(s, "MSIX");
	state_put(s, m->nvec, 4);
	for (unsigned int v = 0; v < m->nvec; v++) {
		state_put(s, m->e[v].addr_lo, 4);
		state_put(s, m->e[v].addr_hi, 4);
		state_put(s, m->e[v].data, 4);
		state_put(s, m->e[v].ctrl, 4);
	}
	state_put(s, m->pending, 8);
}

int msix_restore(struct msix *m, struct state *s)
{
	state_expect_tag(s, "MSIX");
	if (state_get(s, 4) != m->nvec)
		s->bad = true;
	for (unsigned int v = 0; v < m->nvec && state_ok(s); v++) {
		struct msix_entry *e = &m->e[v];

		e->addr_lo = state_get(s, 4);
		e->addr_hi = state_get(s, 4);
		e->data = state_get(s, 4);
		e->ctrl = state_get_max(s, 4, MSIX_ENTRY_MASKED);
		e->dirty = true;	/* routed when the vector goes live */
	}
	m->pending = state_get(s, 8) & (m->nvec < 64 ? (1ULL << m->nvec) - 1 : ~0ULL);
	/* The capability's enable bits come back with config space: live then. */
	m->was_live = false;
	return state_ok(s) ? 0 : -1;
}

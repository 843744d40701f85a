// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the GDB stub reads and writes: gdb's aarch64 registers (x0-x30, sp,
 * pc, cpsr, v0-v31, fpsr, fpcr) through KVM_GET/SET_ONE_REG, and guest
 * memory by virtual or physical address; plus hex helpers.
 */
#include <linux/kvm.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "arm.h"
#include "gdb_internal.h"
#include "gicvm/vm.h"
#include "vcpu.h"


static const char hexdigits[] = "0123456789abcdef";

void gdb_to_hex(char *out, const void *buf, size_t len)
{
	const u8 *b = buf;

	for (size_t i = 0; i < len; i++) {
		*out++ = hexdigits[b[i] >> 4];
		*out++ = hexdigits[b[i] & 15];
	}
	*out = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int gdb_from_hex(const char *in, void *buf, size_t len)
{
	u8 *b = buf;

	for (size_t i = 0; i < len; i++) {
		int hi = hexval(in[2 * i]), lo = hi < 0 ? -1 : hexval(in[2 * i + 1]);

		if (lo < 0)
			return -1;
		b[i] = hi << 4 | lo;
	}
	return 0;
}

/* gdb's register @n: its KVM id and size in bytes. */
int gdb_reg_of(int n, u64 *id)
{
	size_t nr_sys;
	const struct arm_reg *sys = arm_el1_regs(&nr_sys);

	/* After gdb's own 68, the EL1 system registers of target.xml. */
	if (n >= NR_GDB_REGS) {
		if ((size_t)(n - NR_GDB_REGS) >= nr_sys)
			return -1;
		*id = sys[n - NR_GDB_REGS].id;
		return 8;
	}
	if (n < 31)
		*id = CORE_REG(regs.regs[n]);
	else if (n == 31)
		*id = CORE_REG(regs.sp);
	else if (n == 32)
		*id = CORE_REG(regs.pc);
	else if (n == 33)
		*id = CORE_REG(regs.pstate);
	else if (n < 66)
		*id = CORE_REG_SZ(KVM_REG_SIZE_U128, fp_regs.vregs[n - 34]);
	else if (n == 66)
		*id = CORE_REG_SZ(KVM_REG_SIZE_U32, fp_regs.fpsr);
	else if (n == 67)
		*id = CORE_REG_SZ(KVM_REG_SIZE_U32, fp_regs.fpcr);
	else
		return -1;
	/* cpsr is 32 bits to gdb. */
	return n == 33 || n >= 66 ? 4 : n >= 34 ? 16 : 8;
}

#define FIRST_VREG	34
#define LAST_VREG	65
#define ZREG_BYTES	256	/* KVM's Z register slice: 2048 bits */

/*
 * With SVE on, KVM keeps V0-V31 only as the low 128 bits of Z0-Z31 and
 * refuses the FPSIMD view: go through the Z register then.
 */
static bool is_vreg(int n)
{
	return n >= FIRST_VREG && n <= LAST_VREG;
}

static u64 zreg_of(int n)
{
	return KVM_REG_ARM64_SVE_ZREG(n - FIRST_VREG, 0);
}

int gdb_read_reg(struct vcpu *v, int n, u8 *out)
{
	u64 id, val[ZREG_BYTES / 8] = { 0 };
	int size = gdb_reg_of(n, &id);

	if (size < 0)
		return -1;
	if (vcpu_get_reg(v, id, val) && (!is_vreg(n) || vcpu_get_reg(v, zreg_of(n), val)))
		return -1;
	memcpy(out, val, size);
	return size;
}

static int set_reg_from(struct vcpu *v, u64 id, const void *val)
{
	return ioctl(v->fd, KVM_SET_ONE_REG, &(struct kvm_one_reg){ id, (unsigned long)val });
}

int gdb_write_reg(struct vcpu *v, int n, const u8 *in)
{
	u64 id, val[ZREG_BYTES / 8] = { 0 };
	int size = gdb_reg_of(n, &id);

	if (size < 0)
		return -1;
	memcpy(val, in, size);
	if (n == 33) {		/* keep PSTATE's upper half */
		u64 old;

		if (vcpu_get_reg(v, id, &old))
			return -1;
		val[0] |= old & ~0xffffffffULL;
	}
	if (!set_reg_from(v, id, val))
		return 0;
	if (!is_vreg(n) || vcpu_get_reg(v, zreg_of(n), val))
		return -1;
	memcpy(val, in, size);	/* the low 128 bits of Z, the rest kept */
	return set_reg_from(v, zreg_of(n), val);
}

/*
 * Guest memory at @addr, page by page (pages need not be contiguous):
 * virtual through @v's stage-1 tables, or physical with @phys.
 */
int gdb_access_mem(struct vcpu *v, bool phys, u64 addr, u8 *buf, size_t len, bool write)
{
	while (len) {
		size_t chunk = MIN(len, 4096 - (addr & 4095));
		u64 pa;
		u8 *host;

		if (phys)
			pa = addr;
		else if (guest_va_to_pa(v, addr, &pa))
			return -1;
		host = guest_ram(v->vm, pa, chunk);
		if (!host)
			return -1;
		if (write) {
			memcpy(host, buf, chunk);
			__builtin___clear_cache((char *)host, (char *)host + chunk);
		} else {
			memcpy(buf, host, chunk);
		}
		addr += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}


/* One vector register type for v0-v31, the shape gdb's aarch64 code expects. */
static const char vector_types[] =
	"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
	"<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
	"<vector id=\"v2i\" type=\"int64\" count=\"2\"/>"
	"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
	"<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
	"<vector id=\"v4i\" type=\"int32\" count=\"4\"/>"
	"<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>"
	"<vector id=\"v8i\" type=\"int16\" count=\"8\"/>"
	"<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
	"<vector id=\"v16i\" type=\"int8\" count=\"16\"/>"
	"<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>"
	"<vector id=\"v1i\" type=\"int128\" count=\"1\"/>"
	"<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
	"<field name=\"s\" type=\"v2i\"/></union>"
	"<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
	"<field name=\"s\" type=\"v4i\"/></union>"
	"<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>"
	"<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>"
	"<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>"
	"<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
	"<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/>"
	"<field name=\"q\" type=\"vnq\"/></union>";

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t add(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + n;
}

/* target.xml: gdb's core and fpu features, numbered as gdb_reg_of(), then EL1. */
size_t gdb_target_xml(char *buf, size_t len)
{
	size_t at = 0, nr_sys;
	const struct arm_reg *sys = arm_el1_regs(&nr_sys);

	at = add(buf, len, at, "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
		 "<target><architecture>aarch64</architecture>"
		 "<feature name=\"org.gnu.gdb.aarch64.core\">");
	for (int i = 0; i < 31; i++)
		at = add(buf, len, at, "<reg name=\"x%d\" bitsize=\"64\" regnum=\"%d\"/>", i, i);
	at = add(buf, len, at, "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
		 "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
		 "<reg name=\"cpsr\" bitsize=\"32\"/></feature>"
		 "<feature name=\"org.gnu.gdb.aarch64.fpu\">%s", vector_types);
	for (int i = 0; i < 32; i++)
		at = add(buf, len, at, "<reg name=\"v%d\" bitsize=\"128\" type=\"aarch64v\"/>", i);
	at = add(buf, len, at, "<reg name=\"fpsr\" bitsize=\"32\"/>"
		 "<reg name=\"fpcr\" bitsize=\"32\"/></feature>"
		 "<feature name=\"org.gicvm.aarch64.el1\">");
	for (size_t i = 0; i < nr_sys; i++)
		at = add(buf, len, at, "<reg name=\"%s\" bitsize=\"64\" group=\"system\"/>",
			 sys[i].name);
	return add(buf, len, at, "</feature></target>");
}

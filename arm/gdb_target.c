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
/*
 * gdb's register numbers. Without SVE: x0-x30, sp, pc, cpsr, v0-v31 (34),
 * fpsr (66), fpcr (67). With SVE, v0-v31 become z0-z31 (VL bytes each),
 * then p0-p15 (68), ffr (84) and vg (85). The EL1 system registers follow.
 */
enum {
	REG_CPSR = 33, REG_V0 = 34, REG_FPSR = 66, REG_FPCR = 67,
	REG_P0 = 68, REG_FFR = 84, REG_VG = 85,
};

static unsigned int sve_vq;	/* 128-bit quadwords in a Z register; 0: no SVE */

void gdb_target_set_sve(unsigned int vq)
{
	sve_vq = vq;
}

static int first_sysreg(void)
{
	return sve_vq ? REG_VG + 1 : REG_FPCR + 1;
}

int gdb_reg_of(int n, u64 *id)
{
	size_t nr_sys;
	const struct arm_reg *sys = arm_el1_regs(&nr_sys);

	*id = 0;
	if (n < 0)
		return -1;
	if (n >= first_sysreg()) {
		if ((size_t)(n - first_sysreg()) >= nr_sys)
			return -1;
		*id = sys[n - first_sysreg()].id;
		return 8;
	}
	if (n < 31) {
		*id = CORE_REG(regs.regs[n]);
		return 8;
	}
	switch (n) {
	case 31:
		*id = CORE_REG(regs.sp);
		return 8;
	case 32:
		*id = CORE_REG(regs.pc);
		return 8;
	case REG_CPSR:		/* 32 bits to gdb */
		*id = CORE_REG(regs.pstate);
		return 4;
	case REG_FPSR:
		*id = CORE_REG_SZ(KVM_REG_SIZE_U32, fp_regs.fpsr);
		return 4;
	case REG_FPCR:
		*id = CORE_REG_SZ(KVM_REG_SIZE_U32, fp_regs.fpcr);
		return 4;
	}
	if (n < REG_FPSR) {
		*id = sve_vq ? KVM_REG_ARM64_SVE_ZREG(n - REG_V0, 0)
			     : CORE_REG_SZ(KVM_REG_SIZE_U128, fp_regs.vregs[n - REG_V0]);
		return sve_vq ? 16 * sve_vq : 16;
	}
	if (n < REG_FFR) {
		*id = KVM_REG_ARM64_SVE_PREG(n - REG_P0, 0);
		return 2 * sve_vq;
	}
	if (n == REG_FFR) {
		*id = KVM_REG_ARM64_SVE_FFR(0);
		return 2 * sve_vq;
	}
	return 8;		/* vg: no KVM register, derived from the length */
}

/* Big enough for KVM's largest slice (a 2048-bit Z register). */
#define REG_BUF_U64	(256 / 8)

int gdb_read_reg(struct vcpu *v, int n, u8 *out)
{
	u64 id, val[REG_BUF_U64] = { 0 };
	int size = gdb_reg_of(n, &id);

	if (size < 0)
		return -1;
	if (sve_vq && n == REG_VG)
		val[0] = 2 * sve_vq;	/* vector granules: 64-bit units */
	else if (vcpu_get_reg(v, id, val))
		return -1;
	memcpy(out, val, size);
	return size;
}

int gdb_write_reg(struct vcpu *v, int n, const u8 *in)
{
	u64 id, val[REG_BUF_U64] = { 0 };
	int size = gdb_reg_of(n, &id);

	if (size < 0)
		return -1;
	memcpy(val, in, size);
	if (sve_vq && n == REG_VG)	/* the length is fixed at vCPU creation */
		return val[0] == 2 * sve_vq ? 0 : -1;
	if (n == REG_CPSR) {		/* keep PSTATE's upper half */
		u64 old;

		if (vcpu_get_reg(v, id, &old))
			return -1;
		val[0] |= old & ~0xffffffffULL;
	}
	return ioctl(v->fd, KVM_SET_ONE_REG, &(struct kvm_one_reg){ id, (unsigned long)val });
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

static size_t fpu_feature(char *buf, size_t len, size_t at)
{
	at = add(buf, len, at, "<feature name=\"org.gnu.gdb.aarch64.fpu\">%s", vector_types);
	for (int i = 0; i < 32; i++)
		at = add(buf, len, at, "<reg name=\"v%d\" bitsize=\"128\" type=\"aarch64v\"/>", i);
	return add(buf, len, at, "<reg name=\"fpsr\" bitsize=\"32\"/>"
		   "<reg name=\"fpcr\" bitsize=\"32\"/></feature>");
}

/* SVE: Z registers as unions of element views, P registers as bytes. */
static size_t sve_feature(char *buf, size_t len, size_t at)
{
	static const struct { const char *id, *type; unsigned int per_q; } vecs[] = {
		{ "svevqu", "uint128", 1 }, { "svevqs", "int128", 1 },
		{ "svevdf", "ieee_double", 2 }, { "svevdu", "uint64", 2 }, { "svevds", "int64", 2 },
		{ "svevsf", "ieee_single", 4 }, { "svevsu", "uint32", 4 }, { "svevss", "int32", 4 },
		{ "svevhu", "uint16", 8 }, { "svevhs", "int16", 8 },
		{ "svevbu", "uint8", 16 }, { "svevbs", "int8", 16 },
	};
	unsigned int q = sve_vq;

	at = add(buf, len, at, "<feature name=\"org.gnu.gdb.aarch64.sve\">");
	for (size_t i = 0; i < ARRAY_SIZE(vecs); i++)
		at = add(buf, len, at, "<vector id=\"%s\" type=\"%s\" count=\"%u\"/>",
			 vecs[i].id, vecs[i].type, vecs[i].per_q * q);
	at = add(buf, len, at, "<vector id=\"svep\" type=\"uint8\" count=\"%u\"/>"
		 "<union id=\"svevnq\"><field name=\"u\" type=\"svevqu\"/><field name=\"s\" type=\"svevqs\"/></union>"
		 "<union id=\"svevnd\"><field name=\"f\" type=\"svevdf\"/><field name=\"u\" type=\"svevdu\"/>"
		 "<field name=\"s\" type=\"svevds\"/></union>"
		 "<union id=\"svevns\"><field name=\"f\" type=\"svevsf\"/><field name=\"u\" type=\"svevsu\"/>"
		 "<field name=\"s\" type=\"svevss\"/></union>"
		 "<union id=\"svevnh\"><field name=\"u\" type=\"svevhu\"/><field name=\"s\" type=\"svevhs\"/></union>"
		 "<union id=\"svevnb\"><field name=\"u\" type=\"svevbu\"/><field name=\"s\" type=\"svevbs\"/></union>"
		 "<union id=\"svev\"><field name=\"q\" type=\"svevnq\"/><field name=\"d\" type=\"svevnd\"/>"
		 "<field name=\"s\" type=\"svevns\"/><field name=\"h\" type=\"svevnh\"/>"
		 "<field name=\"b\" type=\"svevnb\"/></union>", 2 * q);
	for (int i = 0; i < 32; i++)
		at = add(buf, len, at, "<reg name=\"z%d\" bitsize=\"%u\" type=\"svev\"/>", i, 128 * q);
	at = add(buf, len, at, "<reg name=\"fpsr\" bitsize=\"32\"/><reg name=\"fpcr\" bitsize=\"32\"/>");
	for (int i = 0; i < 16; i++)
		at = add(buf, len, at, "<reg name=\"p%d\" bitsize=\"%u\" type=\"svep\"/>", i, 16 * q);
	return add(buf, len, at, "<reg name=\"ffr\" bitsize=\"%u\" type=\"svep\"/>"
		   "<reg name=\"vg\" bitsize=\"64\" type=\"int\"/></feature>", 16 * q);
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
		 "<reg name=\"cpsr\" bitsize=\"32\"/></feature>");
	at = sve_vq ? sve_feature(buf, len, at) : fpu_feature(buf, len, at);
	at = add(buf, len, at, "<feature name=\"org.gicvm.aarch64.el1\">");
	for (size_t i = 0; i < nr_sys; i++)
		at = add(buf, len, at, "<reg name=\"%s\" bitsize=\"64\" group=\"system\"/>",
			 sys[i].name);
	return add(buf, len, at, "</feature></target>");
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's binary statistics (KVM_GET_STATS_FD): every counter the kernel
 * exposes for a VM or a vCPU, by name, so new ones (such as the vGIC
 * counters of the kernel series) appear without code changes here.
 */
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gicvm/kvm_stats.h"

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* Call @fn for each statistic with its value (a histogram: its sample count). */
static int each_stat(int fd, void (*fn)(void *ctx, const char *name, u64 v), void *ctx)
{
	struct kvm_stats_header h;
	size_t desc_size;
	u8 *descs;
	int err = -1;

	if (fd < 0 || read_at(fd, &h, sizeof(h), 0) || !h.num_desc || h.num_desc > 4096 ||
	    !h.name_size || h.name_size > 256)
		return -1;
	desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = malloc(desc_size * h.num_desc);
	if (!descs || read_at(fd, descs, desc_size * h.num_desc, h.desc_offset))
		goto out;
	for (u32 i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc *d = (void *)(descs + i * desc_size);
		u64 vals[64], sum = 0;
		u32 n = MIN(d->size, (u16)ARRAY_SIZE(vals));

		d->name[h.name_size - 1] = 0;
		if (!n || read_at(fd, vals, n * sizeof(u64), h.data_offset + d->offset))
			continue;
		for (u32 j = 0; j < n; j++)
			sum += vals[j];
		fn(ctx, d->name, sum);
	}
	err = 0;
out:
	free(descs);
	return err;
}

static void to_report(void *ctx, const char *name, u64 v)
{
	report_u64(ctx, name, v);
}

int kvm_stats_report(int fd, struct report *r)
{
	return each_stat(fd, to_report, r);
}

struct lookup {
	const char *name;
	u64 *value;
	bool found;
};

static void match(void *ctx, const char *name, u64 v)
{
	struct lookup *l = ctx;

	if (!l->found && !strcmp(name, l->name)) {
		*l->value = v;
		l->found = true;
	}
}

int kvm_stats_lookup(int fd, const char *name, u64 *value)
{
	struct lookup l = { name, value, false };

	return each_stat(fd, match, &l) || !l.found ? -1 : 0;
}

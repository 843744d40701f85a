/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading KVM's binary statistics from a VM's or a vCPU's stats fd. */
#ifndef GICVM_KVM_STATS_H
#define GICVM_KVM_STATS_H

#include "gicvm/report.h"

/* Every statistic in @fd, by its kernel name, into @r. */
int kvm_stats_report(int fd, struct report *r);
/* One statistic's (first) value. */
int kvm_stats_lookup(int fd, const char *name, u64 *value);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers the KVM-side files of gic/ share. */
#ifndef GICVM_VGIC_H
#define GICVM_VGIC_H

#include "gicvm/util.h"

struct gic;

int vgic_set_attr(int fd, u32 group, u64 attr, const void *val);
/* v2m: put the MSI frame's registers on the MMIO bus. */
int gicv2m_frame_register(struct gic *gic);

#endif

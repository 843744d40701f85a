/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM UAPI that gicvm uses where the host has it but the build's headers
 * (Debian 12's, Linux 6.1) are older: the values are the kernel's ABI.
 * Include after <linux/kvm.h>.
 */
#ifndef GICVM_KVM_NEWER_H
#define GICVM_KVM_NEWER_H

#include <linux/kvm.h>

/* Linux 6.4: one offset for the VM's virtual and physical counters alike. */
#ifndef KVM_CAP_COUNTER_OFFSET
#define KVM_CAP_COUNTER_OFFSET	227
struct kvm_arm_counter_offset {
	__u64 counter_offset;
	__u64 reserved;
};
#define KVM_ARM_SET_COUNTER_OFFSET _IOW(KVMIO, 0xb5, struct kvm_arm_counter_offset)
#endif

/*
 * Linux 6.16: guests at EL2 (nested virtualization), and the vGIC's
 * maintenance interrupt their own KVM is given.
 */
#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2			240
#define KVM_CAP_ARM_EL2_E2H0		241
#endif
#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2		7
#endif
#ifndef KVM_ARM_VCPU_HAS_EL2_E2H0
#define KVM_ARM_VCPU_HAS_EL2_E2H0	8
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ
#define KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ	9
#endif

#endif

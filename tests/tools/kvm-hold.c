// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-hold: create one KVM VM (no vCPUs) and keep it until killed.
 *
 * The emulated host runs it for its whole life so that KVM's preempt
 * notifier static key is enabled once, at the first VM, and never flipped
 * again. Otherwise each test's first VM enables it and its last disables
 * it, rewriting the scheduler's jump-label sites every time; QEMU 7.2's TCG
 * now and then keeps running a CPU on the old code of the sched-out site,
 * so a vCPU thread switched out is never "put" (its GIC and EL1 state not
 * saved, in VHE the host's TPIDR_EL0 not restored) while the sched-in site
 * loads it again. That showed as lost deactivations, guests waiting for an
 * interrupt and processes dying of SIGSEGV, only under load (#19).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm;

	if (kvm < 0) {
		perror("kvm-hold: /dev/kvm");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		perror("kvm-hold: KVM_CREATE_VM");
		return 1;
	}
	for (;;)
		pause();
}

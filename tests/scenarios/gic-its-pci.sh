# SPDX-License-Identifier: GPL-2.0-only
# timeout: 400
# --gic v3-its --virtio-transport pci: the guest finds virtio-blk on the ECAM
# bridge with a queue per vCPU, each queue interrupts through its own ITS
# MSI (/proc/interrupts), and the blk checksum test passes; kicks are
# ioeventfds, vectors are irqfds.
. "$(dirname "$0")/lib.sh"
blk_rw_images 16

guest_test blk-rw -c 2 -m 512 --gic v3-its --virtio-transport pci \
	-d disk1.img -d disk2.img,direct --stats --loglevel info
grep -q 'GIC v3-its' "$out" || fail "gicvm did not say it chose v3-its"
blk_rw_check
result msi_lines
result pci
for q in 0 1; do
	result msi_lines | grep -q "ITS-PCI-MSIX-0000:00:00.0 .* virtio0-req.$q|" ||
		fail "queue $q of the first disk has no ITS MSI-X vector"
done
grep -qx 'devices.virtio-blk@pci00:00.queues=2' "$out" || fail "the disk does not have 2 queues"
grep -E '^(gicvm|devices)\.' "$out"
grep -qx 'gicvm.notify_mmio_exits=0' "$out" || fail "a queue notification exited to gicvm"
grep -qx 'gicvm.irq_line_calls=0' "$out" || fail "an interrupt went through KVM_IRQ_LINE"
grep -qx 'gicvm.signal_msi_calls=0' "$out" || fail "an interrupt went through KVM_SIGNAL_MSI"
grep -qx 'gicvm.irq_ack_exits=0' "$out" || fail "an MSI-X interrupt cost an exit to gicvm"

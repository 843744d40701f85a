# SPDX-License-Identifier: GPL-2.0-only
# timeout: 400
# Two virtio-blk disks at once: the guest writes 16 MiB of random data to
# the first and flushes, the host finds exactly that in the image; the host
# fills the second with random data and the guest reads the same back;
# a discarded range reads back as zeroes in the guest and in the image.
# --stats: queue kicks never reach gicvm as MMIO exits, no KVM_IRQ_LINE.
# This one runs on virtio-mmio (gic-its-pci repeats the checks on PCI).
. "$(dirname "$0")/lib.sh"
blk_rw_images 16

guest_test blk-rw -m 512 --virtio-transport mmio -d disk1.img -d disk2.img,direct --stats
blk_rw_check
result vdb_id | grep -q "disk2.img" || fail "GET_ID did not name disk 2: $(result vdb_id)"
[ "$(result discard)" = ok ] || fail "DISCARD failed in the guest"
[ "$(result discarded)" = "$(result zeroes)" ] || fail "a discarded range did not read back as zeroes"
[ "$(dd if=disk1.img bs=1M skip=72 count=1 2>/dev/null | sha)" = "$(result zeroes)" ] ||
	fail "the discarded range is not zero in the image"

grep -E '^(gicvm|devices)\.' "$out"
grep -qx 'gicvm.notify_mmio_exits=0' "$out" || fail "a queue notification exited to gicvm"
grep -qx 'gicvm.irq_line_calls=0' "$out" || fail "an interrupt went through KVM_IRQ_LINE"
set -- $(sed -n 's/^devices.virtio-blk@3000000.kicks=//p' "$out") \
	$(sed -n 's/^devices.virtio-blk@3000000.interrupts=//p' "$out")
[ "${1:-0}" -gt 0 ] && [ "${2:-0}" -gt 0 ] || fail "no ioeventfd kicks or irqfd interrupts counted"
echo "ok: 16 MiB written and verified, 16 MiB read; $1 kicks, $2 interrupts, all in-kernel"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# driven-by: tests/host/run-scenarios.sh, in an emulated host with a GICv2
# (-M virt,gic-version=2), where KVM offers only a vGICv2: --gic v3 and
# v3-its are refused with a clear error, auto picks v2m, and both --gic v2
# (virtio-mmio, wired SPIs) and --gic v2m (virtio-pci, MSI-X through the
# v2m frame's SPIs) pass the blk checksum test, and a GICv2 guest in
# EOImode 1 keeps its active interrupts in the LRs (guest/vgic2.c), and a
# snapshot of a v2m guest restores.
. "$(dirname "$0")/lib.sh"
expect_error "--gic v3 on a GICv2 host" "cannot create a GICv3" run --gic v3 -k "$GUEST_IMAGE"
expect_error "--gic v3-its on a GICv2 host" "cannot create a GICv3" run --gic v3-its -k "$GUEST_IMAGE"
expect_error "9 vCPUs on a GICv2" "at most 8" run -c 9 --gic v2 -k "$GUEST_IMAGE"

GIC_EXPECT=GIC-0 boot_agent 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --rng --loglevel info
grep -q 'gicvm: info: GIC v2m:' "$out" || fail "auto did not choose v2m"
[ "$(agent_value msi)" -ge 1 ] || fail "virtio-rng has no MSI vector through v2m"
[ "$(agent_value ipi_min)" -gt 0 ] || fail "a CPU took no IPIs"
echo "ok: auto chose v2m; $line"

blk_test() {
	blk_rw_images 8
	guest_test blk-rw -c 2 -m 512 -d disk1.img -d disk2.img "$@" --stats
	blk_rw_check "$*"
	grep -qx 'gicvm.irq_line_calls=0' "$out" || fail "an interrupt went through KVM_IRQ_LINE"
}
blk_test --gic v2
[ -z "$(result pci)" ] || fail "--gic v2 put the disks on PCI: $(result pci)"
echo "ok: --gic v2: blk checksums over virtio-mmio"
blk_test --gic v2m
result msi_lines | grep -q 'v2m.*virtio.-req' || fail "--gic v2m: no v2m MSIs for the queues: $(result msi_lines)"
echo "ok: --gic v2m: blk checksums over virtio-pci; $(result msi_lines)"

# A GICv2 guest in EOImode 1 (guest/vgic2.c, AArch32): 3 SPIs active and 4
# waiting, more than the 4 LRs, deactivated with GICC_DIR, which KVM does
# not trap: the active ones must keep their LRs (the host series keeps the
# old order for a GICv2 guest), or a deactivation would be lost. It resets
# (status 2) if anything went wrong, and says what.
out=vgic2.out
"$GICVM" run --aarch32 --gic v2 -k "$GUEST_TEST_DIR/test-vgic2.img" --reboot exit --stats \
	< /dev/null > "$out" 2>&1
rc=$?
tr -d '\r' < "$out" | grep '^gicvm-\(vgic2\|firmware\):'
[ $rc = 0 ] || fail "the GICv2 guest's EOImode 1 test: status $rc"
overflow=$(vcpu_stat vgic_lr_overflow)
[ "$overflow" -gt 0 ] || fail "7 SPIs in flight never overflowed the LRs (vgic_lr_overflow $overflow)"
echo "ok: GICv2, EOImode 1, 3 SPIs active and 4 waiting: $overflow flushes left some out"

# A snapshot on a GICv2 (--gic v2m: the disk on virtio-pci, its MSI-X
# through the v2m frame's SPIs): the clone carries on with its disk
# checksums right and its disk interrupts coming (tests/scenarios/snapshot.sh
# does the same, and more, on a GICv3).
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
dd if=/dev/zero of=snap-disk.img bs=1M count=8 2>/dev/null
out=$PWD/snap-v2.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v2m -d snap-disk.img --name v2-orig \
	-p "$GUEST_QUIET gicvm.test=snapshot" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "GUEST-SNAP n=2 " $pid || { show "$out"; fail "the GICv2 guest did not start its rounds"; }
"$GICVM" snapshot --name v2-orig --stop snap > snap.txt 2>&1 || { cat snap.txt; fail "snapshot on GICv2 failed"; }
wait $pid || fail "the GICv2 guest did not stop cleanly after its snapshot"
n0=$(last_round "$out")
cp snap-disk.img clone.img
out=$PWD/snap-v2-clone.out
"$GICVM" run --restore snap -d clone.img --name v2-clone < /dev/null > "$out" 2>&1 &
pid=$!
clone_round $((n0 + 2)) $pid v2-clone || fail "the GICv2 clone did not carry on"
"$GICVM" stop --name v2-clone > /dev/null && wait $pid || fail "the GICv2 clone did not stop cleanly"
rounds=$(tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=')
echo "$rounds" | grep -v 'io=ok' && fail "the GICv2 clone's disk I/O went wrong"
irq_first=$(field "$(echo "$rounds" | head -n 1)" blkirq)
irq_last=$(field "$(echo "$rounds" | tail -n 1)" blkirq)
[ "$irq_last" -gt "$irq_first" ] || fail "the GICv2 clone took no disk interrupts"
echo "ok: GICv2 (v2m): snapshot after round $n0, the clone carried on: $(echo "$rounds" | tail -n 1)"

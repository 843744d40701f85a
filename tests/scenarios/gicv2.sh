# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# driven-by: tests/host/run-scenarios.sh, in an emulated host with a GICv2
# (-M virt,gic-version=2), where KVM offers only a vGICv2: --gic v3 and
# v3-its are refused with a clear error, auto picks v2m, and both --gic v2
# (virtio-mmio, wired SPIs) and --gic v2m (virtio-pci, MSI-X through the
# v2m frame's SPIs) pass the blk checksum test.
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
	blk_rw_images 16
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

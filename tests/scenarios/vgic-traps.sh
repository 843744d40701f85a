# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# gicvm on the host kernel series (kernel/patches/) under the host's
# kvm-arm.vgic_v3_{group0,group1,common,dir}_trap parameters, as the host was
# booted: run-scenarios.sh's trap matrix boots it with the common-group and
# (in protected mode) the DIR parameter alone in make check, every one of
# the 16 combinations in make reliability (the main run is the all-off one).
# - Under each combination: a 2-vCPU guest with the ITS and virtio-rng on
#   PCI boots to the test agent (timer, IPIs, the console's irqfd, MSIs),
#   and the hyp fast path emulated the register classes the parameters trap
#   (none when none is set). The guest uses EOImode 0, so it never writes
#   DIR: none may be emulated or reach KVM.
# - Under each combination, an AArch32 guest's DIRs (cp15) are emulated.
# - In the main run (all off), an idle 2-vCPU guest leaves nothing out of
#   the LRs: no overflow, no EOI replayed, no LR-entry-not-present or
#   no-pending maintenance. (Disk I/O on this kernel is every disk
#   scenario's: gic-its-pci's on PCI with the ITS, virtio-blk's on mmio.)
. "$(dirname "$0")/lib.sh"

trap_param() {
	v=$(tr ' ' '\n' < /proc/cmdline | sed -n "s/^kvm-arm\.vgic_v3_$1_trap=//p")
	case $v in 1|y|Y|on) echo 1 ;; *) echo 0 ;; esac
}
g0=$(trap_param group0) g1=$(trap_param group1) common=$(trap_param common) dir=$(trap_param dir)
echo "host traps: group0=$g0 group1=$g1 common=$common dir=$dir"

expect_stat() {
	v=$(vcpu_stat "$1")
	[ "$v" "$2" "$3" ] || fail "$1 is $v, expected $2 $3 (traps: g0=$g0 g1=$g1 c=$common d=$dir)"
}

boot_agent 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its --virtio-transport pci \
	--rng --stats
grep -q '^kvm_vcpu\.vcpu0\.vgic_trap_ack=' "$out" ||
	fail "the host kernel has no vGIC stats (is the series in kernel/patches applied?)"
grep '^kvm_vcpu\.vcpu0\.vgic_' "$out"

if [ "$g0$g1$common$dir" = 0000 ]; then
	for s in ack eoi dir priority control; do
		expect_stat vgic_trap_$s = 0
	done
fi
if [ "$g1" = 1 ]; then
	expect_stat vgic_trap_ack -gt 0
	expect_stat vgic_trap_eoi -gt 0
fi
# PMR and CTLR are common registers; Linux writes the PMR when a CPU starts.
[ "$common" = 1 ] && expect_stat vgic_trap_priority -gt 0
expect_stat vgic_trap_dir = 0
expect_stat vgic_dir_exits = 0

# An AArch32 guest (guest/vgic32.c) in EOImode 1 holds 8 SPIs active, more
# than the 4 LRs, and deactivates them with ICC_DIR's cp15 encoding: the
# DIRs trap (TDIR, for the active ones left out of the LRs), and the kernel
# must emulate them, not answer with an undefined instruction; those that
# hit an LR stay in the hyp fast path even with no trap parameter set. It
# resets (status 2) if anything went wrong, and says what.
out=a32.out
"$GICVM" run --aarch32 -k "$GUEST_TEST_DIR/test-vgic32.img" --reboot exit --stats \
	< /dev/null > "$out" 2>&1
rc=$?
tr -d '\r' < "$out" | grep '^gicvm-\(vgic32\|firmware\):'
grep '^kvm_vcpu\.vcpu0\.vgic_\(lr_overflow\|trap_dir\|dir_\)' "$out"
[ $rc = 0 ] || fail "the AArch32 guest's vGIC test: status $rc"
expect_stat vgic_lr_overflow -gt 0
expect_stat vgic_dir_exits -gt 0
expect_stat vgic_trap_dir -gt 0
# One vCPU: no interrupt it deactivates can be in another vCPU's LRs, so
# no DIR may stop the guest.
expect_stat vgic_dir_halts = 0
echo "ok: AArch32, EOImode 1, 8 SPIs active at once: $(vcpu_stat vgic_trap_dir) DIRs" \
	"handled in hyp, $(vcpu_stat vgic_dir_exits) in the kernel"

# The idle guest once, in the main run.
if grep -q gicvm.trap_matrix /proc/cmdline; then
	echo "ok: traps g0=$g0 g1=$g1 c=$common d=$dir: fast path ack=$(vcpu_stat vgic_trap_ack)" \
		"eoi=$(vcpu_stat vgic_trap_eoi) priority=$(vcpu_stat vgic_trap_priority)" \
		"control=$(vcpu_stat vgic_trap_control)"
	exit 0
fi
guest_params="gicvm.idle=3"
guest_test idle -c 2 --stats
for s in vgic_lr_overflow vgic_eoicount_replayed vgic_dir_exits \
	vgic_mi_lr_entry_not_present vgic_mi_no_pending; do
	expect_stat $s = 0
done
echo "ok: no traps: the fast path emulated nothing; idle guest: nothing left out of the LRs"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: tests/host/run-scenarios.sh (the nested host)
# Nested virtualization, gicvm all the way down, in a host booted with
# kvm-arm.mode=nested on a CPU with FEAT_NV2 (the nested test bed):
# - a gicvm --nested guest (L1) boots the project kernel at EL2 on the
#   host's own files (--rootfs /), and its KVM comes up there;
# - the gicvm in there runs guest/nested.c (L2) on L1's KVM and the nested
#   vGIC: L2 takes its timer's interrupts, an SGI, IPIs between its two
#   vCPUs, 8 SPIs past the 4 list registers, and an MSI of virtio-rng on
#   PCI translated by L1's ITS (an irqfd of the gicvm in L1), each once;
#   the guest hypervisor's KVM took maintenance interrupts (PPI 9) to
#   refill its LRs, which the gicvm in L1 counts in its summary
#   (host.vgic_maintenance_irqs) as /proc/interrupts does;
# - a --e2h0 guest (a non-VHE guest hypervisor) boots the project kernel
#   at EL2 without VHE on both vCPUs and runs a command, its EL2 registers
#   in `gicvm debug --dump`; its KVM is not started (kvm-arm.mode=none):
#   on this bed, L1's KVM setting up its nVHE hyp (an HVC into vEL2 with
#   E2H=0) leaves the vCPU inside L0's KVM_RUN for good (L0's KVM or
#   QEMU's NV emulation, not gicvm: see README).
. "$(dirname "$0")/lib.sh"

grep -q 'kvm-arm.mode=nested' /proc/cmdline || fail "the host was not booted with kvm-arm.mode=nested"

# The same L2 program on this host's KVM first: what it prints when right.
l2_options="-c 2 -m 64 -f /guests/test-nested.img --rng --virtio-transport pci --gic v3-its"
"$GICVM" run $l2_options --timeout 60 > l0.out 2>&1
rc=$?
cat l0.out
[ $rc = 0 ] || fail "test-nested.img on the host itself: status $rc"
grep -q '^gicvm-nested: el=1 timer=3 sgi=1 ipi=2 spis=8 msi=1 ' l0.out ||
	fail "test-nested.img on the host: no success line"

# What every L1 says first: the EL its CPUs started at, and whether it
# found VHE.
l1_cpu=$(cat <<'EOS'
echo "L1-EL: $(dmesg | grep -o 'CPU: All CPU(s) started at EL[0-9]' | head -n 1)"
echo "L1-VHE: $(dmesg | grep -c 'CPU features: detected: Virtualization Host Extensions')"
EOS
)

# What L1 runs then: its KVM's mode, L2, and L1's maintenance interrupts
# around it.
l1_script=$(cat <<'EOS'
maint() { awk '/ vgic$/ { n = 0; for (i = 2; i <= NF - 4; i++) n += $i; print n }' /proc/interrupts; }
echo "L1-KVM: $(dmesg | grep -o 'kvm \[[0-9]*\]: .*mode initialized successfully' | head -n 1)"
before=$(maint)
gicvm run $l2_options --timeout 120 --json-summary /tmp/l2.json
echo "L2-status: $?"
echo "L1-maint: ${before:-none} $(maint)"
echo "L2-summary: $(cat /tmp/l2.json)"
EOS
)

# l1_run NAME MODE [gicvm run options...]: L1 with $l1_script, output in
# NAME.out; its KVM must say it came up in MODE.
l1_run() {
	name=$1 mode=$2
	shift 2
	start=$(date +%s)
	"$GICVM" run "$@" -c 2 -m 512 -k "$GUEST_IMAGE" --timeout 200 --rootfs / \
		-- sh -c "$l1_cpu
l2_options='$l2_options'; $l1_script" > "$name.out" 2>&1
	rc=$?
	echo "$name: L1 ran $(( $(date +%s) - start )) s, status $rc"
	cat "$name.out"
	[ $rc = 0 ] || fail "$name: L1 ended with status $rc"
	grep -q '^L1-EL: CPU: All CPU(s) started at EL2' "$name.out" || fail "$name: L1's kernel did not start at EL2"
	grep -qx 'L1-VHE: 0' "$name.out" && fail "$name: L1's kernel did not find VHE"
	grep -q "^L1-KVM: kvm \[[0-9]*\]: $mode mode initialized" "$name.out" ||
		fail "$name: L1's KVM did not come up in $mode mode"
	grep -q '^gicvm-nested: el=1 timer=3 sgi=1 ipi=2 spis=8 msi=1 ' "$name.out" ||
		fail "$name: L2 did not take all its interrupts"
	grep -q '^L2-status: 0' "$name.out" || fail "$name: L2's gicvm did not end with 0"
	set -- $(sed -n 's/^L1-maint: //p' "$name.out")
	[ "${1:-none}" != none ] && [ "${2:-0}" -gt "$1" ] ||
		fail "$name: L1's KVM took no maintenance interrupt (vgic line: ${1:-none} -> ${2:-none})"
	sed -n 's/^L2-summary: //p' "$name.out" > "$name.json"
	counted=$(json_get host.vgic_maintenance_irqs "$name.json")
	[ "${counted:-0}" -gt 0 ] && [ "$counted" -le $(( $2 - $1 )) ] ||
		fail "$name: L1's gicvm counted '$counted' maintenance interrupts, /proc/interrupts $(( $2 - $1 ))"
	echo "ok: $name: L2 took every interrupt, the MSI among them; L1 took $(( $2 - $1 ))" \
		"maintenance interrupts, $counted of them while L2 ran (its gicvm's summary)"
}
l1_run vhe VHE --nested

# --e2h0: EL2 without VHE; both vCPUs up (PSCI by SMC); the EL2 registers
# in the dump, read while it runs.
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
"$GICVM" run --e2h0 -c 2 -m 512 -k "$GUEST_IMAGE" -p kvm-arm.mode=none --timeout 100 \
	--name e2h0 --rootfs / -- sh -c "$l1_cpu
echo L1-CPUS: \$(nproc); sleep 4" > e2h0.out 2>&1 < /dev/null &
pid=$!
out=e2h0.out
wait_for_line '^L1-CPUS: ' $pid || { cat e2h0.out; fail "e2h0: L1 did not get to its command"; }
"$GICVM" debug --dump --json --name e2h0 > dump.json || fail "e2h0: gicvm debug --dump failed"
wait $pid
rc=$?
cat e2h0.out
[ $rc = 0 ] || fail "e2h0: L1 ended with status $rc"
grep -q '^L1-EL: CPU: All CPU(s) started at EL2' e2h0.out || fail "e2h0: L1's kernel did not start at EL2"
grep -qx 'L1-VHE: 0' e2h0.out || fail "e2h0: L1's kernel found VHE"
grep -qx 'L1-CPUS: 2' e2h0.out || fail "e2h0: L1 did not bring up both vCPUs"
hcr=$(json_get 0.hcr_el2 dump.json)
[ -n "$hcr" ] || fail "e2h0: the dump lacks the EL2 registers: $(head -c 300 dump.json)"
[ $(( (hcr >> 34) & 1 )) = 0 ] || fail "e2h0: L1's HCR_EL2 $hcr has E2H set"
echo "ok: e2h0: L1 started at EL2 without VHE, 2 vCPUs; its HCR_EL2 $hcr (E2H clear)"

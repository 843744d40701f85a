# SPDX-License-Identifier: GPL-2.0-only
# timeout: 900
# driven-by: make reliability (run-scenarios.sh --nested: the nested host)
# The long nested run: in a --nested guest (L1), gicvm boots the default
# guest (L2, Linux with the test agent) with 2 vCPUs and virtio-rng on
# virtio-pci, so its MSI-X vectors go through L1's ITS, on L1's nested
# vGIC: the agent must see timer interrupts, IPIs on every vCPU, the
# console's interrupts and MSIs from the ITS. About 3 minutes under TCG.
. "$(dirname "$0")/lib.sh"

grep -q 'kvm-arm.mode=nested' /proc/cmdline || fail "the host was not booted with kvm-arm.mode=nested"
"$GICVM" run --nested -c 2 -m 1024 -k "$GUEST_IMAGE" --timeout 800 --rootfs / -- \
	gicvm run -c 2 --rng --virtio-transport pci -p gicvm.agent=boot > l1.out 2>&1
rc=$?
cat l1.out
[ $rc = 0 ] || fail "L1 ended with status $rc"
line=$(tr -d '\r' < l1.out | grep 'gicvm-agent: cpus=' | tail -n 1)
[ -n "$line" ] || fail "L2's agent did not report"
echo "$line" | grep -q 'cpus=2 gic=GICv3 ' || fail "L2 does not see 2 vCPUs on a GICv3: $line"
[ "$(agent_value timer_delta)" -gt 0 ] || fail "L2's timer interrupts did not advance: $line"
[ "$(agent_value ipi_min)" -gt 0 ] || fail "a vCPU of L2 took no IPI: $line"
[ "$(agent_value uart_irqs)" -gt 0 ] || fail "L2's console interrupt never came: $line"
[ "$(agent_value msi)" -gt 0 ] || fail "L2 has no MSI vectors: $line"
echo "$line" | grep -q 'msi_chip=ITS' || fail "L2's MSIs do not come from the ITS: $line"
echo "ok: L2 took timer, IPI, console and ITS MSI interrupts: $line"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 1500
# driven-by: make reliability (run-scenarios.sh --nested: the nested host)
# The long nested run: in a --nested guest (L1), gicvm boots the default
# guest (L2, Linux) twice, with 2 vCPUs and its devices on virtio-pci, so
# their MSI-X vectors go through L1's ITS, on L1's nested vGIC:
# - with the test agent and virtio-rng: it must see timer interrupts, IPIs
#   on every vCPU, the console's interrupts and MSIs from the ITS;
# - with two disks (images in a directory of this host's shared writable
#   with L1: its root is an overlay whose writes stay in L1): it writes
#   4 MiB of random data to one and flushes, and reads the other; the
#   images hold what it wrote, and it read what was there.
# About 6 minutes under TCG.
. "$(dirname "$0")/lib.sh"

grep -q 'kvm-arm.mode=nested' /proc/cmdline || fail "the host was not booted with kvm-arm.mode=nested"
# Outside /tmp, which L1 gets fresh: its gicvm opens the disks here.
work=/home/nested-msi.$$
mkdir -p $work && cd $work || fail "cannot make $work"
trap 'rm -rf $work' EXIT
blk_rw_images 4
l2_blk="gicvm run -c 2 -m 256 --virtio-transport pci -d $work/disk1.img -d $work/disk2.img"
"$GICVM" run --nested -c 2 -m 1024 -k "$GUEST_IMAGE" --timeout 1300 --rootfs / --fs "$work" -- sh -c "
	gicvm run -c 2 --rng --virtio-transport pci -p 'quiet gicvm.agent=boot'
	echo L2-agent-status: \$?
	$l2_blk -p 'quiet gicvm.test=blk-rw $guest_params'
	echo L2-blk-status: \$?" > l1.out 2>&1
rc=$?
out=$PWD/l1.out
cat l1.out
[ $rc = 0 ] || fail "L1 ended with status $rc"
grep -q '^L2-agent-status: 0' l1.out || fail "L2 with the agent did not power off cleanly"
grep -q '^L2-blk-status: 0' l1.out || fail "L2 with the disks did not power off cleanly"
blk_rw_check L2
line=$(tr -d '\r' < l1.out | grep 'gicvm-agent: cpus=' | tail -n 1)
[ -n "$line" ] || fail "L2's agent did not report"
echo "$line" | grep -q 'cpus=2 gic=GICv3 ' || fail "L2 does not see 2 vCPUs on a GICv3: $line"
[ "$(agent_value timer_delta)" -gt 0 ] || fail "L2's timer interrupts did not advance: $line"
[ "$(agent_value ipi_min)" -gt 0 ] || fail "a vCPU of L2 took no IPI: $line"
[ "$(agent_value uart_irqs)" -gt 0 ] || fail "L2's console interrupt never came: $line"
[ "$(agent_value msi)" -gt 0 ] || fail "L2 has no MSI vectors: $line"
echo "$line" | grep -q 'msi_chip=ITS' || fail "L2's MSIs do not come from the ITS: $line"
echo "ok: L2 took timer, IPI, console and ITS MSI interrupts: $line"
echo "ok: L2's disks on virtio-pci: 4 MiB written, flushed and in the image, 16 MiB read right"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# Snapshots of other kinds of guest (the snapshot scenario has the clones,
# snapshot-reboot those around a reboot in place): a guest whose disk is on
# virtio-pci (MSI-X through the ITS) carries on; an interrupt active and
# another pending at the snapshot are delivered once after it
# (guest/snapirq.c); a VM with a device that cannot be saved is refused by
# name and runs on.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
dd if=/dev/zero of=disk.img bs=1M count=8 2>/dev/null

# virtio-pci: the disk's MSI-X vectors through the ITS, saved (its tables
# in guest RAM) and restored; the clone's disk interrupts keep coming.
out=$PWD/pci.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its --virtio-transport pci \
	-d disk.img --name snap-pci -p "$GUEST_QUIET gicvm.test=snapshot" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "GUEST-SNAP n=2 " $pid || { show "$out"; fail "the pci guest did not start its rounds"; }
"$GICVM" snapshot --name snap-pci --stop snap-pci > snap.txt 2>&1 || { cat snap.txt; fail "snapshot of the pci guest failed"; }
wait $pid || fail "the pci guest did not stop cleanly after its snapshot"
np=$(last_round "$out")
cp disk.img pci-clone.img
out=$PWD/pci-clone.out
"$GICVM" run --restore snap-pci -d pci-clone.img --name snap-pci-c < /dev/null > "$out" 2>&1 &
p=$!
clone_round $((np + 2)) $p snap-pci-c || fail "the pci clone did not carry on"
"$GICVM" stop --name snap-pci-c > /dev/null && wait $p || fail "the pci clone did not stop cleanly"
first=$(tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | head -n 1)
last=$(snap_line "$out" $((np + 2)))
echo "pci clone: $first"
echo "pci clone: $last"
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "pci clone: disk I/O went wrong"
[ "$(field "$last" blkirq)" -gt "$(field "$first" blkirq)" ] || fail "pci clone: no MSIs after the restore"
echo "ok: a virtio-pci guest (MSI-X through the ITS) carried on from round $np"

# An interrupt active and another pending across the snapshot
# (guest/snapirq.c): the first's EOI lets the second in, once.
out=$PWD/irq.out
"$GICVM" run -f "$GUEST_TEST_DIR/test-snapirq.img" --gic v3 --name snap-irq < /dev/null > "$out" 2>&1 &
pid=$!
wait_for_line "gicvm-snapirq: ready" $pid || { show "$out"; fail "the interrupt test did not get ready"; }
"$GICVM" snapshot --name snap-irq --stop snap-irq > snap.txt 2>&1 || { cat snap.txt; fail "snapshot of the interrupt test failed"; }
wait $pid || fail "the interrupt test did not stop cleanly after its snapshot"
grep -q 'gicvm-snapirq: SPI' "$out" && fail "the interrupt test went on before its restore"
sleep 1	# time the snapshot sits: a physical counter left behind would show it
echo go | "$GICVM" run --restore snap-irq --timeout 60 > irq-clone.out 2>&1
rc=$?
show irq-clone.out
[ $rc = 0 ] || fail "the restored interrupt test exited $rc"
grep -q "gicvm-snapirq: SPI 32 EOId, SPI 33 delivered once; the counters went on together" irq-clone.out ||
	fail "the active and pending interrupts, or the counters, did not survive the restore"

# A device that cannot be saved: the snapshot is refused, naming it, and
# the VM runs on.
out=$PWD/balloon.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --virtio-transport mmio --balloon \
	--name snap-bal -p "$GUEST_QUIET gicvm.test=idle gicvm.idle=600" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "gicvm-test: running idle" $pid || { show "$out"; fail "the balloon guest did not start"; }
"$GICVM" snapshot --name snap-bal bal-snap > bal.txt 2>&1 && fail "a VM with a balloon was saved"
cat bal.txt
grep -q "device virtio-balloon[a-z-]* cannot be saved" bal.txt || fail "the refusal does not name the balloon"
[ ! -e bal-snap/state ] && [ ! -e bal-snap/state.tmp ] || fail "a refused snapshot left files"
"$GICVM" stop --name snap-bal > /dev/null && wait $pid || fail "the balloon guest did not run on and stop cleanly"
echo "ok: a device that cannot be saved is refused by name"


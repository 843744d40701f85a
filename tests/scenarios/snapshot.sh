# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# Snapshot and restore: a 2-vCPU guest (GICv3 with its ITS, virtio-blk on
# virtio-mmio, the 8250 console) counts rounds of disk I/O; `gicvm snapshot
# --stop` saves it and ends it; three clones restored at once, one on the
# snapshot's own disk and two on copies, carry on counting: the disk
# checksums hold (virtio-mmio SPIs), uptime neither jumps nor steps back
# (the timer and the counter), IPIs keep coming, and a line typed on a
# clone's console reaches the guest (the UART's level line). A snapshot of
# a restored clone restores too, so does one taken after a reboot in
# place, and one of a guest whose disk is on virtio-pci (MSI-X through the
# ITS); an interrupt active and another pending at the snapshot are
# delivered once after it. Bad snapshots, and a restore onto the disk
# written since, are refused with one line.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
dd if=/dev/zero of=disk.img bs=1M count=8 2>/dev/null

# snap_line FILE N: the round-N line of FILE, whole ("" if none yet).
snap_line() {
	tr -d '\r' < "$1" | grep "^GUEST-SNAP n=$2 .* blkirq=" | tail -n 1
}
last_round() {
	tr -d '\r' < "$1" | sed -n 's/^GUEST-SNAP n=\([0-9]*\) .*/\1/p' | tail -n 1
}
# show FILE: its last lines (the kernel's log too: a guest that hung says where).
show() {
	tr -d '\r' < "$1" | tail -n 40
}
field() {
	echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"
}

out=$PWD/orig.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its --virtio-transport mmio \
	-d disk.img --name snap-orig --json-summary orig.json -p gicvm.test=snapshot \
	> "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "GUEST-SNAP n=3 " $pid || { show "$out"; fail "the guest did not start its rounds"; }
"$GICVM" snapshot --name snap-orig --stop snap > snap.txt 2>&1 || { cat snap.txt; fail "gicvm snapshot failed"; }
cat snap.txt
wait $pid
rc=$?
[ $rc = 0 ] || { show "$out"; fail "the snapshotted VM exited $rc, not 0"; }
[ -s snap/state ] && [ -s snap/memory ] && [ ! -e snap/state.tmp ] || fail "snap/ lacks state or memory"
n0=$(last_round "$out")
up0=$(field "$(snap_line "$out" $n0)" up)
echo "snapshot after round $n0 (uptime $up0 s); memory file: $(du -k snap/memory | cut -f1) KiB on disk of $(($(stat -c %s snap/memory) >> 10))"
[ "$(du -k snap/memory | cut -f1)" -lt $((256 * 1024)) ] || fail "the memory file is not sparse"
grep -q '"exit_reason": "poweroff"' orig.json || fail "orig.json: not a clean stop"

# Three clones at once: the first on the snapshot's own disk (unchanged
# since), the others each on a copy of it.
cp disk.img clone2.img && cp disk.img clone3.img
for c in 1 2 3; do
	disk=
	[ $c = 1 ] || disk="-d clone$c.img"
	mkfifo in$c
	"$GICVM" run --restore snap $disk --name snap-c$c --json-summary c$c.json \
		< in$c > c$c.out 2>&1 &
	eval pid$c=$!
	eval "exec $((c + 3))> in$c"
done
for c in 1 2 3; do
	out=$PWD/c$c.out
	eval p=\$pid$c
	wait_for_line "GUEST-SNAP n=$((n0 + 3)) .* blkirq=" $p || { show "$out"; fail "clone $c did not carry on"; }
	echo "typed-in-clone-$c" >&$((c + 3))
done
for c in 1 2 3; do
	out=$PWD/c$c.out
	eval p=\$pid$c
	wait_for_line "GUEST-SNAP typed=typed-in-clone-$c" $p || { show "$out"; fail "clone $c: console input did not arrive"; }
	first=$(tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | head -n 1)
	last=$(snap_line "$out" $((n0 + 3)))
	echo "clone $c: first $first"
	echo "clone $c: later $last"
	[ "$(field "$first" n)" -ge "$n0" ] && [ "$(field "$first" n)" -le $((n0 + 1)) ] ||
		fail "clone $c started over or skipped rounds: $first"
	tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "clone $c: disk I/O went wrong"
	tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep 'time=backwards' && fail "clone $c: uptime stepped back"
	# No jump: the first round after restore follows the last one before it.
	upf=$(field "$first" up)
	awk -v a="$up0" -v b="$upf" 'BEGIN { exit !(b >= a && b < a + 30) }' ||
		fail "clone $c: uptime went from $up0 to $upf across the restore"
	[ "$(field "$last" ipi)" -gt "$(field "$first" ipi)" ] || fail "clone $c: no IPIs after the restore"
	[ "$(field "$last" blkirq)" -gt "$(field "$first" blkirq)" ] || fail "clone $c: no disk interrupts"
done
grep -h 'restored from snap' c1.out > /dev/null || true

# Without --stop the VM runs on after its snapshot.
"$GICVM" snapshot --name snap-c2 snap-live > live.txt 2>&1 || { cat live.txt; fail "snapshot of a running clone failed"; }
grep -q 'saved:.*ms$' live.txt || { cat live.txt; fail "the running clone's snapshot did not say what it saved"; }
nl=$(last_round c2.out)
out=$PWD/c2.out
wait_for_line "GUEST-SNAP n=$((nl + 2)) .* blkirq=" $pid2 || { show "$out"; fail "clone 2 did not run on after a snapshot without --stop"; }
echo "ok: clone 2 ran on after a snapshot at round $nl"

# A snapshot of a restored VM, restored in turn.
"$GICVM" snapshot --name snap-c1 --stop snap2 > snap2.txt 2>&1 || { cat snap2.txt; show c1.out; fail "snapshot of a clone failed"; }
wait $pid1 || fail "clone 1 did not stop cleanly after its snapshot"
n1=$(last_round c1.out)
for c in 2 3; do
	"$GICVM" stop --name snap-c$c > /dev/null || fail "cannot stop clone $c"
	eval wait \$pid$c || fail "clone $c exited non-zero on stop"
done
cp disk.img clone1b.img
out=$PWD/c1b.out
"$GICVM" run --restore snap2 -d clone1b.img --name snap-c1b < /dev/null > "$out" 2>&1 &
p=$!
wait_for_line "GUEST-SNAP n=$((n1 + 2)) .* blkirq=" $p || { show "$out"; fail "the clone's clone did not carry on"; }
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "clone of clone: disk I/O went wrong"
"$GICVM" stop --name snap-c1b > /dev/null && wait $p || fail "the clone's clone did not stop cleanly"
echo "ok: snapshot at round $n0, three clones carried on to $((n0 + 3)); a clone's snapshot at round $n1 carried on"

# virtio-pci: the disk's MSI-X vectors through the ITS, saved (its tables
# in guest RAM) and restored; the clone's disk interrupts keep coming.
out=$PWD/pci.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its --virtio-transport pci \
	-d disk.img --name snap-pci -p gicvm.test=snapshot > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "GUEST-SNAP n=2 " $pid || { show "$out"; fail "the pci guest did not start its rounds"; }
"$GICVM" snapshot --name snap-pci --stop snap-pci > snap.txt 2>&1 || { cat snap.txt; fail "snapshot of the pci guest failed"; }
wait $pid || fail "the pci guest did not stop cleanly after its snapshot"
np=$(last_round "$out")
cp disk.img pci-clone.img
out=$PWD/pci-clone.out
"$GICVM" run --restore snap-pci -d pci-clone.img --name snap-pci-c < /dev/null > "$out" 2>&1 &
p=$!
wait_for_line "GUEST-SNAP n=$((np + 3)) .* blkirq=" $p || { show "$out"; fail "the pci clone did not carry on"; }
"$GICVM" stop --name snap-pci-c > /dev/null && wait $p || fail "the pci clone did not stop cleanly"
first=$(tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | head -n 1)
last=$(snap_line "$out" $((np + 3)))
echo "pci clone: $first"
echo "pci clone: $last"
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "pci clone: disk I/O went wrong"
[ "$(field "$last" blkirq)" -gt "$(field "$first" blkirq)" ] || fail "pci clone: no MSIs after the restore"
echo "ok: a virtio-pci guest (MSI-X through the ITS) carried on from round $np"

# A snapshot taken after a reboot in place restores too; and a clone
# restored before its guest's reboot reboots in place (its kernel loaded
# again, its RAM no longer the snapshot's file).
# second_boot_round2 PID: until $out has round 2 of the guest's second boot.
second_boot_round2() {
	for i in $(seq 1 600); do
		[ "$(tr -d '\r' < "$out" | grep -c '^GUEST-SNAP n=2 .* blkirq=')" -ge 2 ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}
rb_guest() {	# NAME: the guest (resets after round 3) on rb-NAME.img, in rb-NAME.out
	dd if=/dev/zero of=rb-$1.img bs=1M count=8 2>/dev/null
	out=$PWD/rb-$1.out
	"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --virtio-transport mmio -d rb-$1.img \
		--name snap-$1 --loglevel info -p "gicvm.test=snapshot gicvm.snap_reboot" \
		> "$out" 2>&1 < /dev/null &
	pid=$!
}
rb_guest after
second_boot_round2 $pid || { show "$out"; fail "the guest did not reboot in place and count again"; }
grep -q 'gicvm: info: reboot 1:' "$out" || fail "gicvm did not reboot the guest in place"
"$GICVM" snapshot --name snap-after --stop snap-rb > snap.txt 2>&1 || { cat snap.txt; fail "snapshot after a reboot failed"; }
wait $pid || fail "the rebooted guest did not stop cleanly after its snapshot"
nr=$(last_round "$out")
out=$PWD/rb-clone.out
"$GICVM" run --restore snap-rb --name snap-rb-c < /dev/null > "$out" 2>&1 &
p=$!
wait_for_line "GUEST-SNAP n=$((nr + 2)) .* blkirq=" $p || { show "$out"; fail "the clone of a rebooted guest did not carry on"; }
"$GICVM" stop --name snap-rb-c > /dev/null && wait $p || fail "the clone of a rebooted guest did not stop cleanly"
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "the clone of a rebooted guest: disk I/O went wrong"
echo "ok: a snapshot taken after a reboot in place carried on from round $nr"
rb_guest before
wait_for_line "GUEST-SNAP n=1 .* blkirq=" $pid || { show "$out"; fail "the guest to reboot did not start its rounds"; }
"$GICVM" snapshot --name snap-before --stop snap-rb2 > snap.txt 2>&1 || { cat snap.txt; fail "snapshot before a reboot failed"; }
wait $pid || fail "the guest to reboot did not stop cleanly after its snapshot"
grep -q 'GUEST-SNAP rebooting' "$out" && fail "the guest rebooted before its snapshot"
out=$PWD/rb-clone2.out
"$GICVM" run --restore snap-rb2 --loglevel info --name snap-rb-c2 < /dev/null > "$out" 2>&1 &
p=$!
second_boot_round2 $p || { show "$out"; fail "the restored guest did not reboot and count again"; }
grep -q 'gicvm: info: reboot 1:' "$out" || fail "gicvm did not reboot the restored guest in place"
"$GICVM" stop --name snap-rb-c2 > /dev/null && wait $p || fail "the restored, rebooted guest did not stop cleanly"
echo "ok: a restored guest rebooted in place and ran again"

# An interrupt active and another pending across the snapshot
# (guest/snapirq.c): the first's EOI lets the second in, once.
out=$PWD/irq.out
"$GICVM" run -f "$GUEST_TEST_DIR/test-snapirq.img" --gic v3 --name snap-irq < /dev/null > "$out" 2>&1 &
pid=$!
wait_for_line "gicvm-snapirq: ready" $pid || { show "$out"; fail "the interrupt test did not get ready"; }
"$GICVM" snapshot --name snap-irq --stop snap-irq > snap.txt 2>&1 || { cat snap.txt; fail "snapshot of the interrupt test failed"; }
wait $pid || fail "the interrupt test did not stop cleanly after its snapshot"
grep -q 'gicvm-snapirq: SPI' "$out" && fail "the interrupt test went on before its restore"
echo go | "$GICVM" run --restore snap-irq --timeout 60 > irq-clone.out 2>&1
rc=$?
show irq-clone.out
[ $rc = 0 ] || fail "the restored interrupt test exited $rc"
grep -q 'gicvm-snapirq: SPI 32 EOId, SPI 33 delivered once' irq-clone.out ||
	fail "the active and pending interrupts did not survive the restore"

# A device that cannot be saved: the snapshot is refused, naming it, and
# the VM runs on.
out=$PWD/balloon.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --virtio-transport mmio --balloon \
	--name snap-bal -p "gicvm.test=idle gicvm.idle=600" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "gicvm-test: running idle" $pid || { show "$out"; fail "the balloon guest did not start"; }
"$GICVM" snapshot --name snap-bal bal-snap > bal.txt 2>&1 && fail "a VM with a balloon was saved"
cat bal.txt
grep -q "device virtio-balloon[a-z-]* cannot be saved" bal.txt || fail "the refusal does not name the balloon"
[ ! -e bal-snap/state ] && [ ! -e bal-snap/state.tmp ] || fail "a refused snapshot left files"
"$GICVM" stop --name snap-bal > /dev/null && wait $pid || fail "the balloon guest did not run on and stop cleanly"
echo "ok: a device that cannot be saved is refused by name"

# Bad snapshots: one line, exit 1, nothing started.
mkdir bad
cp snap/state bad/state && ln -s ../snap/memory bad/memory
printf 'X' | dd of=bad/state bs=1 seek=20 conv=notrunc 2>/dev/null
expect_error "a snapshot with a changed byte in its header" "header is corrupt" run --restore bad
size=$(stat -c %s snap/state)
head -c $((size / 2)) snap/state > bad/state
expect_error "a truncated snapshot" "truncated" run --restore bad
cp snap/state bad/state && printf '\002' | dd of=bad/state bs=1 seek=8 conv=notrunc 2>/dev/null
expect_error "a snapshot of another format version" "format version 2" run --restore bad
cp snap/state bad/state && rm bad/memory && head -c 4096 snap/memory > bad/memory
expect_error "a truncated memory file" "truncated or another snapshot's" run --restore bad
rm bad/memory
expect_error "a snapshot without its memory" "cannot open" run --restore bad
expect_error "no snapshot at all" "cannot open" run --restore nowhere
expect_error "another vCPU count" "-c and -m cannot change" run --restore snap -c 1
expect_error "another GIC" "cannot change" run --restore snap --gic v3
cp snap/state bad/state && ln -sf ../snap/memory bad/memory
printf 'X' | dd of=bad/state bs=1 seek=300 conv=notrunc 2>/dev/null
expect_error "a changed byte in a section" "is corrupt" run --restore bad
expect_error "its own disk, written since the snapshot" "changed since the snapshot" run --restore snap
cp clone2.img short.img && truncate -s 4M short.img
out=$PWD/short.out
"$GICVM" run --restore snap -d short.img < /dev/null > short.out 2>&1
[ $? = 1 ] || { cat short.out; fail "a disk of another size was not refused"; }
grep -q "sectors, the snapshot's had" short.out || { cat short.out; fail "no word on the disk's size"; }
echo "ok: bad snapshots refused"

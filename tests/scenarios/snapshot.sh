# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# Snapshot and restore: a 2-vCPU guest (GICv3 with its ITS, virtio-blk on
# virtio-mmio, virtio-net on a tap, the 8250 console) counts rounds of disk
# I/O; `gicvm snapshot --stop` saves it and ends it; three clones restored
# at once, one on the snapshot's own disk and tap and two on copies and
# taps of their own, carry on counting: the disk checksums hold
# (virtio-mmio SPIs), uptime neither jumps nor steps back (the timer and
# the counter), IPIs keep coming, the first pings the host over its tap
# (made anew), and a line typed on a clone's console reaches the guest
# (the UART's level line). A clone saved without --stop runs on, and its
# snapshot restores in turn. Bad snapshots, and a restore onto the disk
# written since, are refused with one line. (snapshot-kinds: other
# guests' snapshots.)
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
dd if=/dev/zero of=disk.img bs=1M count=8 2>/dev/null

# up_tap NAME: once gicvm made tap NAME, the host's end of the test link,
# always with the same MAC address: a clone's guest still has the old
# tap's in its ARP cache, and a new tap drops frames for another address.
up_tap() {
	for i in $(seq 1 100); do
		[ -e /sys/class/net/$1 ] && break
		sleep 0.2
	done
	ip link set $1 address 02:00:00:00:30:01 && ip addr add 169.254.30.1/24 dev $1 &&
		ip link set $1 up || fail "no tap $1 to set up"
}

out=$PWD/orig.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its --virtio-transport mmio \
	-d disk.img -n mode=tap,tapif=snt0 --name snap-orig --json-summary orig.json \
	-p "$GUEST_QUIET gicvm.test=snapshot gicvm.snap_net=169.254.30" > "$out" 2>&1 < /dev/null &
pid=$!
up_tap snt0
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
	disk=		# clone 1 keeps the disk and tap snt0; the others get their own
	[ $c = 1 ] || disk="-d clone$c.img -n mode=tap,tapif=snt$c"
	mkfifo in$c
	"$GICVM" run --restore snap $disk --name snap-c$c --json-summary c$c.json \
		< in$c > c$c.out 2>&1 &
	eval pid$c=$!
	eval "exec $((c + 3))> in$c"
	[ $c != 1 ] || up_tap snt0	# a new tap of the same name: the host's end again
done
for c in 1 2 3; do
	out=$PWD/c$c.out
	eval p=\$pid$c
	clone_round $((n0 + 2)) $p snap-c$c || fail "clone $c did not carry on"
	echo "typed-in-clone-$c" >&$((c + 3))
done
# typed_arrives C: the line typed on clone C's console shows up within 20 s;
# typed again, twice at most, if it does not.
typed_arrives() {
	for try in 1 2 3; do
		for i in $(seq 1 40); do
			grep -q "GUEST-SNAP typed=typed-in-clone-$1" "$out" && return 0
			sleep 0.5
		done
		echo "clone $1: console line $try lost; typing it again"
		echo "typed-in-clone-$1" >&$(($1 + 3))
	done
	return 1
}
for c in 1 2 3; do
	out=$PWD/c$c.out
	eval p=\$pid$c
	typed_arrives $c || { show "$out"; fail "clone $c: console input did not arrive (typed 3 times)"; }
	first=$(tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | head -n 1)
	last=$(snap_line "$out" $((n0 + 2)))
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
[ "$(field "$(snap_line "$PWD/orig.out" $n0)" net)" = ok ] || fail "the guest could not ping the host before its snapshot"
[ "$(field "$(snap_line c1.out $((n0 + 2)))" net)" = ok ] || fail "clone 1 could not ping the host over its new tap"
grep -h 'restored from snap' c1.out > /dev/null || true

# Without --stop the VM runs on after its snapshot.
"$GICVM" snapshot --name snap-c2 snap-live > live.txt 2>&1 || { cat live.txt; fail "snapshot of a running clone failed"; }
grep -q 'saved:.*ms$' live.txt || { cat live.txt; fail "the running clone's snapshot did not say what it saved"; }
nl=$(last_round c2.out)
out=$PWD/c2.out
clone_round $((nl + 2)) $pid2 snap-c2 || fail "clone 2 did not run on after a snapshot without --stop"
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
clone_round $((n1 + 2)) $p snap-c1b || fail "the clone's clone did not carry on"
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "clone of clone: disk I/O went wrong"
"$GICVM" stop --name snap-c1b > /dev/null && wait $p || fail "the clone's clone did not stop cleanly"
echo "ok: snapshot at round $n0, three clones carried on to $((n0 + 2)); a clone's snapshot at round $n1 carried on"

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

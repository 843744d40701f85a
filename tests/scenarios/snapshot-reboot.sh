# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# driven-by: make reliability (make check's time budget; snapshot-kinds
# and snapshot have the other snapshots)
# Snapshots around a reboot in place: one saved after the guest rebooted
# in place carries on, and one saved (paused) before its reboot reboots in
# place once restored.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run

# One guest that resets itself after round 3, saved twice: paused before
# its reboot (the disk copied meanwhile, as users should), and after it
# with --stop. The second snapshot's clone carries on; the first's
# reboots in place (its kernel loaded again, its RAM no longer the
# snapshot's file) and counts again.
# second_boot_round2 PID: until $out has round 2 of the guest's second boot.
second_boot_round2() {
	for i in $(seq 1 600); do
		[ "$(tr -d '\r' < "$out" | grep -c '^GUEST-SNAP n=2 .* blkirq=')" -ge 2 ] && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}
dd if=/dev/zero of=rb.img bs=1M count=8 2>/dev/null
out=$PWD/rb.out
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --virtio-transport mmio -d rb.img \
	--name snap-rb --loglevel info -p "$GUEST_QUIET gicvm.test=snapshot gicvm.snap_reboot" \
	> "$out" 2>&1 < /dev/null &
pid=$!
wait_for_line "GUEST-SNAP n=1 .* blkirq=" $pid || { show "$out"; fail "the guest to reboot did not start its rounds"; }
"$GICVM" pause --name snap-rb > /dev/null || fail "cannot pause the guest"
"$GICVM" snapshot --name snap-rb snap-before > snap.txt 2>&1 || { cat snap.txt; fail "snapshot before a reboot failed"; }
cp rb.img rb-before.img
"$GICVM" list | grep -q "^snap-rb .*paused" || fail "the snapshot did not leave the paused VM paused"
"$GICVM" resume --name snap-rb > /dev/null || fail "cannot resume the guest"
grep -q 'GUEST-SNAP rebooting' "$out" && fail "the guest rebooted before its first snapshot"
second_boot_round2 $pid || { show "$out"; fail "the guest did not reboot in place and count again"; }
grep -q 'gicvm: info: reboot 1:' "$out" || fail "gicvm did not reboot the guest in place"
"$GICVM" snapshot --name snap-rb --stop snap-after > snap.txt 2>&1 || { cat snap.txt; fail "snapshot after a reboot failed"; }
wait $pid || fail "the rebooted guest did not stop cleanly after its snapshot"
nr=$(last_round "$out")
out=$PWD/rb-after.out
"$GICVM" run --restore snap-after --name snap-rb-a < /dev/null > "$out" 2>&1 &
p=$!
clone_round $((nr + 2)) $p snap-rb-a || fail "the clone of a rebooted guest did not carry on"
"$GICVM" stop --name snap-rb-a > /dev/null && wait $p || fail "the clone of a rebooted guest did not stop cleanly"
tr -d '\r' < "$out" | grep '^GUEST-SNAP n=.* blkirq=' | grep -v 'io=ok' && fail "the clone of a rebooted guest: disk I/O went wrong"
echo "ok: a snapshot taken after a reboot in place carried on from round $nr"
out=$PWD/rb-before.out
"$GICVM" run --restore snap-before -d rb-before.img --loglevel info --name snap-rb-b \
	< /dev/null > "$out" 2>&1 &
p=$!
second_boot_round2 $p || { show "$out"; fail "the restored guest did not reboot and count again"; }
grep -q 'gicvm: info: reboot 1:' "$out" || fail "gicvm did not reboot the restored guest in place"
"$GICVM" stop --name snap-rb-b > /dev/null && wait $p || fail "the restored, rebooted guest did not stop cleanly"
echo "ok: a restored guest rebooted in place and ran again"


# SPDX-License-Identifier: GPL-2.0-only
# timeout: 400
# --balloon: `gicvm balloon inflate 64` takes 64 MiB from the guest (its
# MemTotal drops by that much, and gicvm says the guest gave them), deflate
# gives them back; the guest's statistics reach the host; and memory the
# guest frees is reported and given back to the host: the guest RAM gicvm
# holds (stat's ram_resident_kib) shrinks by most of the 96 MiB the guest
# wrote and then freed.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
out=$PWD/balloon.out
"$GICVM" run -m 256 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --balloon --name bal \
	-p "gicvm.test=balloon quiet" > "$out" 2>&1 < /dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
wait_for_result memtotal_0 $pid || { cat "$out"; fail "the guest did not start"; }
m0=$(result memtotal_0)

"$GICVM" balloon --name bal > stats.out || { cat stats.out; fail "gicvm balloon"; }
cat stats.out
# The driver sent its statistics (bytes) when it started: total memory is
# the guest's then (before the kernel freed its init memory and initrd).
total=$(sed -n 's/^total-memory=//p' stats.out)
[ -n "$total" ] && [ $((total / 1024)) -ge $((m0 - 16 * 1024)) ] && [ $((total / 1024)) -le "$m0" ] ||
	fail "no statistics from the guest (total-memory '$total', MemTotal $m0 KiB)"

"$GICVM" balloon --name bal inflate 64 | grep -q 'target 64 MiB' || fail "inflate 64"
wait_for_result memtotal_inflated $pid || fail "the guest did not inflate"
[ $(($m0 - $(result memtotal_inflated))) -ge $((64 * 1024)) ] ||
	fail "MemTotal went from $m0 to $(result memtotal_inflated) KiB, not 64 MiB less"
for i in $(seq 1 40); do
	"$GICVM" balloon --name bal | grep -q 'the guest has given 64 MiB' && break
	sleep 0.5
done
"$GICVM" balloon --name bal | grep -q 'the guest has given 64 MiB' || fail "gicvm does not see 64 MiB given"
"$GICVM" balloon --name bal deflate 64 | grep -q 'target 0 MiB' || fail "deflate 64"
wait_for_result memtotal_deflated $pid || fail "the guest did not deflate"
[ "$(result memtotal_deflated)" -ge "$m0" ] || fail "MemTotal did not come back to $m0"
echo "ok: inflate and deflate by 64 MiB: MemTotal $m0 -> $(result memtotal_inflated) -> $(result memtotal_deflated) KiB"

ram_kib() { "$GICVM" stat --json --name bal > s.json && json_get gicvm.ram_resident_kib s.json; }
wait_for_result filled $pid || fail "the guest did not fill its tmpfs"
full=$(ram_kib)
wait_for_result freed $pid || fail "the guest did not free its tmpfs"
for i in $(seq 1 60); do
	now=$(ram_kib)
	[ $((full - now)) -ge $((64 * 1024)) ] && break
	sleep 1
done
reported=$(json_get 'devices.virtio-balloon@*.reported_pages' s.json)
echo "guest RAM held by gicvm: $full KiB full, $now KiB after the guest freed 96 MiB ($reported pages reported)"
[ $((full - now)) -ge $((64 * 1024)) ] || fail "free page reporting gave back only $((full - now)) KiB"
"$GICVM" stop --name bal > /dev/null || fail "gicvm stop"
wait $pid
trap - EXIT
echo "ok: free page reporting gave $((full - now)) KiB back to the host"

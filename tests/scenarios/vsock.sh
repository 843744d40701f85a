# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# virtio-vsock through the kernel's vhost-vsock, host side Debian's socat,
# guest side guest/gicvm-vsock: four guest->host connections at once, a
# host->guest transfer the guest asks for and one the host starts, all
# checksummed; again after a reboot in place (the device reset, the driver
# renegotiating, the same CID). A second VM asking for the CID in use, a
# reserved CID and a missing /dev/vhost-vsock are refused with one line.
. "$(dirname "$0")/lib.sh"
cid=7001
dd if=/dev/zero of=boot.img bs=1M count=1 2>/dev/null
dd if=/dev/urandom of=h2g.bin bs=1M count=2 2>/dev/null
h2g=$(sha < h2g.bin)
: > g2h.sums
socat -u VSOCK-LISTEN:5001,fork,reuseaddr SYSTEM:'sha256sum >> g2h.sums' &
sink=$!
socat -U VSOCK-LISTEN:5002,fork,reuseaddr OPEN:h2g.bin &
source=$!
trap 'kill $sink $source 2>/dev/null' EXIT

out=$PWD/vsock.out json=$PWD/vsock.json
"$GICVM" run -c 2 -m 256 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -d boot.img --vsock $cid \
	--json-summary "$json" -p "$GUEST_QUIET gicvm.test=vsock" > "$out" 2>&1 < /dev/null &
pid=$!
for boot in 1 2; do
	wait_for_result vsock_listening=$boot $pid
	pushed=failed
	for i in $(seq 1 30); do
		socat -u OPEN:h2g.bin VSOCK-CONNECT:$cid:5003 2>/dev/null && { pushed=ok; break; }
		sleep 1
	done
	echo "boot $boot: host->guest connection $pushed"
	if [ $boot = 1 ]; then
		expect_error "a second VM with CID $cid" "in use" \
			run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --vsock $cid
	fi
done
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
cat "$out"
[ $rc = 0 ] || fail "gicvm exited with status $rc"
for boot in 1 2; do
	[ "$(result g2h_ok_$boot)" = 4 ] || fail "boot $boot: $(result g2h_ok_$boot) of 4 guest->host connections worked"
	[ "$(result h2g_fetched_$boot)" = "$h2g" ] || fail "boot $boot: the file the guest fetched differs"
	[ "$(result h2g_pushed_$boot)" = "$h2g" ] || fail "boot $boot: the file the host pushed differs"
	for s in $(result g2h_sums_$boot); do
		grep -q "^$s " g2h.sums || fail "boot $boot: the host did not receive a file the guest sent ($s)"
	done
done
[ "$(wc -l < g2h.sums)" = 8 ] || fail "the host received $(wc -l < g2h.sums) files, not 8"
kicks=$(json_get 'devices.virtio-vsock@*.kicks' "$json")
echo "vsock: gicvm served $kicks kicks (the event queue's, and any before DRIVER_OK)"
# A few per boot; the data through gicvm would take hundreds.
[ -n "$kicks" ] && [ "$kicks" -le 16 ] || fail "gicvm served $kicks kicks: data went through it"

expect_error "a reserved CID" "--vsock wants" run -k "$GUEST_IMAGE" --vsock 2
mv /dev/vhost-vsock /dev/vhost-vsock.away
expect_error "no /dev/vhost-vsock" "/dev/vhost-vsock" run -k "$GUEST_IMAGE" --vsock $cid
mv /dev/vhost-vsock.away /dev/vhost-vsock
echo "ok: vsock both ways, 4 connections at once, checksums, across a reboot; refusals clear"

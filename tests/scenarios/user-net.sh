# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# -n mode=user: gicvm starts Debian's passt, all as an ordinary user (uid
# 1000) with no tap and no capability. The guest gets its address by DHCP
# and reaches the host's loopback through the gateway's address: a file
# each way over TCP, checksummed. Then passt is killed (SIGKILL) mid-run: one clear
# line, the guest sees its link go down, gicvm exits 0 when the guest powers
# off. Without passt in PATH: one line, exit 1, before the guest starts.
. "$(dirname "$0")/lib.sh"
# passt copies the host's address and default route, and this host has no
# NIC: a dummy interface with a documentation address (TEST-NET-1) and a
# default route through it. Nothing leaves the emulated host.
ip link set lo up
ip link add unet0 type dummy || fail "cannot make a dummy interface"
ip addr add 192.0.2.2/24 dev unet0
ip link set unet0 up
ip route add default via 192.0.2.1 dev unet0
kvm_mode=$(stat -c %a /dev/kvm)
cleanup() {
	kill $giver $taker 2>/dev/null
	ip link del unet0
	chmod "$kvm_mode" /dev/kvm
	rm -rf $home
}
trap cleanup EXIT
dd if=/dev/urandom of=h2g.bin bs=1M count=2 2>/dev/null
h2g=$(sha < h2g.bin)
socat -U TCP-LISTEN:8083,bind=127.0.0.1,reuseaddr,fork OPEN:h2g.bin &
giver=$!
socat -u TCP-LISTEN:8082,bind=127.0.0.1,reuseaddr,fork OPEN:g2h.bin,creat,trunc &
taker=$!
chmod 0666 /dev/kvm
home=/tmp/u1000-net
mkdir -p $home && chown 1000:1000 $home

out=$PWD/user-net.out json=$home/user-net.json
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-n mode=user --json-summary "$json" -p gicvm.test=user-net > "$out" 2>&1 < /dev/null
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
cat "$out"
[ $rc = 0 ] || fail "gicvm exited with status $rc"
result address | grep -q '^192.0.2.2/24 gateway=192.0.2.1$' ||
	fail "the guest's DHCP address is not passt's copy of the host's: $(result address)"
[ "$(result h2g)" = "$h2g" ] || fail "host->guest: the guest received other bytes"
[ "$(result g2h_done)" = yes ] || fail "guest->host: the transfer failed"
[ "$(result g2h_sent)" = "$(sha < g2h.bin)" ] || fail "guest->host: the host received other bytes"
[ "$(json_get 'devices.virtio-net@*.guest_errors' "$json")" = 0 ] || fail "guest errors counted"

echo "+ passt killed mid-run"
out=$PWD/user-net-dies.out
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-n mode=user -p "gicvm.test=user-net gicvm.passt_dies" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_result ready $pid
killed=0
for p in /proc/[0-9]*; do
	case "$(tr '\0' ' ' < $p/cmdline 2>/dev/null)" in
	*/ld.so*/passt\ *) kill -KILL "${p#/proc/}" && killed=$((killed + 1)) ;;
	esac
done
[ $killed -gt 0 ] || fail "no passt process to kill"
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
cat "$out"
[ $rc = 0 ] || fail "gicvm exited with status $rc after passt died"
[ "$(result carrier)" = 1 ] || fail "the link was not up before passt died"
[ "$(result carrier_after)" = 0 ] || fail "the guest's link did not go down"
[ "$(grep -c 'passt.*closed its connection' "$out")" = 1 ] || fail "not one line about passt going away"

(PATH=/nowhere; expect_error "no passt" "needs passt" run -k "$GUEST_IMAGE" -n mode=user) || exit 1
expect_error "no passt at the socket" "cannot connect to passt" run -k "$GUEST_IMAGE" \
	-n mode=user,socket=$PWD/none.sock
echo "ok: user networking as uid 1000: DHCP, TCP both ways to the host's loopback; passt's death seen"

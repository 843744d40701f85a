# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# -n mode=user: gicvm starts Debian's passt, all as an ordinary user (uid
# 1000) with no tap and no capability. The guest gets its address by DHCP
# and reaches the host's loopback through the gateway's address: a file
# each way over TCP, checksummed. Without passt in PATH, or without passt
# at the socket given: one line, exit 1, before the guest starts. (passt
# killed mid-run is user-net-dies.) A --rootfs guest gets its address by
# DHCP at boot (ip=dhcp; --no-dhcp leaves it out).
. "$(dirname "$0")/lib.sh"
user_net_host
out=$PWD/user-net.out json=$home/user-net.json
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-n mode=user --json-summary "$json" -p "$GUEST_QUIET gicvm.test=user-net" > "$out" 2>&1 < /dev/null
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

# A --rootfs guest (gicvm's own init) configures its NIC by DHCP at boot.
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" --rootfs / \
	-n mode=user -- ip -4 -o addr show < /dev/null > rootfs-ip.out 2>&1 ||
	{ cat rootfs-ip.out; fail "the --rootfs command failed"; }
grep -q 'inet 192.0.2.2/24' rootfs-ip.out || { cat rootfs-ip.out; fail "a --rootfs guest had no DHCP address"; }

(PATH=/nowhere; expect_error "no passt" "needs passt" run -k "$GUEST_IMAGE" -n mode=user) || exit 1
expect_error "no passt at the socket" "cannot connect to passt" run -k "$GUEST_IMAGE" \
	-n mode=user,socket=$PWD/none.sock
echo "ok: user networking as uid 1000: DHCP (also for --rootfs), TCP both ways to the host's loopback; refusals clear"

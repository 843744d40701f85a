# Guest side of the user-net scenario: an address by DHCP from passt, then
# TCP through the gateway's address to the host's loopback (port 8083 sends
# a file, 8082 takes ours), checksums reported. With gicvm.passt_dies the
# host ends passt once we are ready: report when the link goes down.
cat > /tmp/dhcp.sh <<'EOS'
#!/bin/sh
case $1 in
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	;;
esac
EOS
chmod +x /tmp/dhcp.sh
ip link set eth0 up
udhcpc -i eth0 -n -q -t 20 -s /tmp/dhcp.sh > /tmp/dhcp.out 2>&1 || cat /tmp/dhcp.out
gw=$(ip route | awk '/^default/ { print $3 }')
echo "GUEST-RESULT address=$(ip -4 addr show dev eth0 | awk '/inet / { print $2 }') gateway=$gw"
# A bound on each transfer: a stream whose end never comes fails the
# checksum in a minute instead of stalling the scenario (seen once in ~30
# runs under load: passt left a connection's FIN unsent after the guest ran
# out of receive buffers).
echo "GUEST-RESULT h2g=$(timeout 60 gicvm-vsock connect-tcp "$gw" 8083 < /dev/null | sha256sum | cut -d' ' -f1)"
dd if=/dev/urandom of=/tmp/g2h bs=1M count=2 2>/dev/null
echo "GUEST-RESULT g2h_sent=$(sha256sum < /tmp/g2h | cut -d' ' -f1)"
timeout 60 gicvm-vsock connect-tcp "$gw" 8082 < /tmp/g2h > /dev/null && echo "GUEST-RESULT g2h_done=yes"
echo "GUEST-RESULT carrier=$(cat /sys/class/net/eth0/carrier)"
echo "GUEST-RESULT ready"
if grep -q gicvm.passt_dies /proc/cmdline; then
	for i in $(seq 1 60); do
		[ "$(cat /sys/class/net/eth0/carrier)" = 0 ] && break
		sleep 1
	done
	echo "GUEST-RESULT carrier_after=$(cat /sys/class/net/eth0/carrier)"
fi

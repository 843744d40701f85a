# SPDX-License-Identifier: GPL-2.0-only
# timeout: 500
# virtio-net over a tap in the emulated host (a link-local test link that
# exists only inside it): ping both ways, then 32 MiB over TCP each way with
# the checksum taken by the sender and by the receiver. With 2 vCPUs on
# PCI the device is multiqueue: two pairs on a multiqueue tap, each queue
# with its own MSI-X vector.
. "$(dirname "$0")/lib.sh"
guest=169.254.10.2
mkdir -p www
dd if=/dev/urandom of=www/h2g.bin bs=1M count=32 2>/dev/null
h2g=$(sha < www/h2g.bin)
httpd -p 8080 -h www || fail "cannot start the host's httpd"

out=$PWD/net.out
"$GICVM" run -c 2 -m 512 --virtio-transport pci -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -n mode=tap,tapif=gtap0 \
	-p gicvm.test=net > "$out" 2>&1 < /dev/null &
pid=$!
for i in $(seq 1 100); do
	[ -e /sys/class/net/gtap0 ] && break
	sleep 0.2
done
[ -e /sys/class/net/gtap0 ] || { cat "$out"; fail "gicvm made no tap gtap0"; }
ip addr add 169.254.10.1/24 dev gtap0
ip link set gtap0 up

for i in $(seq 1 300); do
	grep -q 'GUEST-RESULT ready' "$out" && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
ping -c 3 -W 2 $guest > ping.out 2>&1 && host_ping=ok || host_ping=failed
cat ping.out
wget -q -O g2h.bin http://$guest:8080/g2h.bin || echo "wget from the guest failed"
g2h=$(sha < g2h.bin)
touch www/done
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
cat "$out"
[ $rc = 0 ] || fail "gicvm exited with status $rc"
[ "$(result ping_host)" = ok ] || fail "the guest could not ping the host"
[ $host_ping = ok ] || fail "the host could not ping the guest"
[ "$(result g2h_sent)" = "$g2h" ] || fail "guest->host: the host received other bytes than the guest sent"
[ "$(ls -l g2h.bin | awk '{print $5}')" = 33554432 ] || fail "guest->host: not 32 MiB"
[ "$(result h2g_received)" = "$h2g" ] || fail "host->guest: the guest received other bytes than the host sent"
for q in input.0 output.0 input.1 output.1; do
	result net_msi | grep -q "virtio0-$q" || fail "no MSI-X vector for queue $q: $(result net_msi)"
done
echo "ok: pings both ways; 32 MiB each way with matching checksums; $(result net_msi)"

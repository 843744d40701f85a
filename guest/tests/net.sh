# Guest side of the net scenario (169.254.10.0/24, a link-local test link on
# the emulated host's tap): ping the host, serve 32 MiB over HTTP, fetch
# 32 MiB from the host, report checksums; stay up until the host is done.
host=169.254.10.1
ip addr add 169.254.10.2/24 dev eth0
ip link set eth0 up
for i in $(seq 1 60); do
	ping -c 1 -W 1 $host > /dev/null 2>&1 && break
done
if ping -c 3 -W 2 $host > /tmp/ping; then
	echo "GUEST-RESULT ping_host=ok"
else
	echo "GUEST-RESULT ping_host=failed"
	cat /tmp/ping
fi
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/g2h.bin bs=1M count=32 2>/dev/null
echo "GUEST-RESULT g2h_sent=$(sha256sum < /tmp/www/g2h.bin | cut -d' ' -f1)"
httpd -p 8080 -h /tmp/www
echo "GUEST-RESULT h2g_received=$(wget -q -O - http://$host:8080/h2g.bin | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT ready"
# The host makes /done appear when it has fetched and checked our file.
for i in $(seq 1 300); do
	wget -q -O /dev/null http://$host:8080/done 2>/dev/null && break
	sleep 1
done
echo "GUEST-RESULT host_done=$i"
# How the device interrupts: with multiqueue, input.N/output.N per pair.
echo "GUEST-RESULT net_msi=$(grep -o 'virtio[0-9]*-\(input\|output\)\.[0-9]*' /proc/interrupts | sort | tr '\n' ' ')"

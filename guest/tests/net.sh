# Guest side of the net scenarios (gicvm.net_prefix=169.254.N, by default
# 169.254.10: a link-local test link on the emulated host's tap): ping the
# host, serve gicvm.net_mib (32) MiB over HTTP, fetch the host's file,
# report checksums; stay up until the host is done.
prefix=169.254.10 mib=32
for arg in $(cat /proc/cmdline); do
	case $arg in
	gicvm.net_prefix=*) prefix=${arg#gicvm.net_prefix=} ;;
	gicvm.net_mib=*) mib=${arg#gicvm.net_mib=} ;;
	esac
done
host=$prefix.1
ip addr add $prefix.2/24 dev eth0
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
dd if=/dev/urandom of=/tmp/www/g2h.bin bs=1M count=$mib 2>/dev/null
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

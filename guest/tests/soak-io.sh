# Guest side of the many-guests soak: for gicvm.soak=SECONDS, in rounds,
# write 8 MiB of fresh random data to vda and read it back, fetch the
# host's file over the tap and check it (gicvm.h2g=SHA256); then report.
secs=60 h2g= me=0
for arg in $(cat /proc/cmdline); do
	case $arg in
	gicvm.soak=*) secs=${arg#gicvm.soak=} ;;
	gicvm.h2g=*) h2g=${arg#gicvm.h2g=} ;;
	gicvm.guest=*) me=${arg#gicvm.guest=} ;;
	esac
done
ip addr add 169.254.$((40 + me)).2/24 dev eth0
ip link set eth0 up
host=169.254.$((40 + me)).1
end=$(( $(cut -d. -f1 /proc/uptime) + secs ))
rounds=0 bad=0 disk_bad=0 net_bad=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	dd if=/dev/urandom of=/tmp/data bs=1M count=8 2>/dev/null
	sum=$(sha256sum < /tmp/data | cut -d' ' -f1)
	dd if=/tmp/data of=/dev/vda bs=1M conv=fsync 2>/dev/null
	echo 3 > /proc/sys/vm/drop_caches
	[ "$(head -c 8388608 /dev/vda | sha256sum | cut -d' ' -f1)" = "$sum" ] ||
		disk_bad=$((disk_bad + 1))
	got=$(timeout 60 wget -q -O - http://$host:8091/h2g.bin 2>/tmp/wget.err | sha256sum | cut -d" " -f1)
	if [ "$got" != "$h2g" ]; then
		[ $net_bad = 0 ] && echo "soak: first failed fetch: $(cat /tmp/wget.err)"
		net_bad=$((net_bad + 1))
	fi
	bad=$((disk_bad + net_bad))
	rounds=$((rounds + 1))
done
echo "GUEST-RESULT soak rounds=$rounds bad=$bad disk_bad=$disk_bad net_bad=$net_bad disk=$sum"

# Guest side of the snapshot scenario: runs until it is stopped, one line
# a round: its number, the uptime (timer interrupts move it; it must
# never step back), the IPIs taken so far, a 64 KiB block written to vda
# at the round's slot with fsync and read back from the disk (caches
# dropped), checked by checksum, with gicvm.snap_net a ping of the host,
# and any line typed on the console (the
# UART's input interrupt). A restored clone carries on counting. With
# gicvm.snap_reboot it resets itself once, after round 3.
echo 1 > /proc/sys/kernel/printk	# drop_caches' notes off the console
# gicvm.snap_reboot: reset once (a reboot in place) after round 3, marked
# on the disk.
reboot_once() {
	grep -q gicvm.snap_reboot /proc/cmdline || return 0
	[ "$(dd if=/dev/vda bs=1M skip=6 count=1 2>/dev/null | head -c 6)" != booted ] || return 0
	echo booted | dd of=/dev/vda bs=1M seek=6 conv=fsync 2>/dev/null
	echo "GUEST-SNAP rebooting"
	reboot -f
}
# gicvm.snap_net=PREFIX: eth0 is PREFIX.2, and each round pings PREFIX.1.
net_prefix=
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.snap_net=*) net_prefix=${arg#gicvm.snap_net=} ;; esac
done
if [ -n "$net_prefix" ]; then
	ip addr add $net_prefix.2/24 dev eth0
	ip link set eth0 up
fi
n=0
up_last=0
while :; do
	n=$((n + 1))
	slot=$((n % 64))
	dd if=/dev/urandom of=/tmp/blk bs=64k count=1 2>/dev/null
	dd if=/tmp/blk of=/dev/vda bs=64k seek=$slot count=1 conv=fsync 2>/dev/null
	echo 3 > /proc/sys/vm/drop_caches
	if [ "$(dd if=/dev/vda bs=64k skip=$slot count=1 2>/dev/null | sha256sum)" = \
	     "$(sha256sum < /tmp/blk)" ]; then io=ok; else io=bad; fi
	up=$(cut -d' ' -f1 /proc/uptime)
	# uptime in hundredths, to compare as integers
	up100=$(echo "$up" | tr -d .)
	[ "$up100" -ge "$up_last" ] && time=ok || time=backwards
	up_last=$up100
	ipi=$(awk '/^ *IPI[0-9]+:/ { for (i = 2; i <= 3; i++) s += $i } END { print s + 0 }' /proc/interrupts)
	blkirq=$(awk '/virtio/ { for (i = 2; i <= 3; i++) s += $i } END { print s + 0 }' /proc/interrupts)
	# The last round's ping (in the background: a host that does not
	# answer must not slow the rounds down).
	net=none
	if [ -n "$net_prefix" ]; then
		net=$(cat /tmp/net 2>/dev/null || echo down)
		(ping -c 1 -W 1 $net_prefix.1 > /dev/null 2>&1 && echo ok || echo down) > /tmp/net &
	fi
	echo "GUEST-SNAP n=$n up=$up time=$time io=$io ipi=$ipi net=$net blkirq=$blkirq"
	if read -t 1 line; then
		echo "GUEST-SNAP typed=$line"
	fi
	[ $n != 3 ] || reboot_once
done

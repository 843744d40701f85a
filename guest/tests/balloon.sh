# Guest side of the balloon scenario. MemTotal as the host inflates the
# balloon by 64 MiB and deflates it again; then 96 MiB written to a tmpfs
# and removed, for free page reporting to give back. It never powers off:
# the host stops it.
memtotal() { sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
# wait_memtotal CMP KIB NAME: until MemTotal CMP KIB (up to 120 s), then say so.
wait_memtotal() {
	for i in $(seq 1 240); do
		[ "$(memtotal)" "$1" "$2" ] && break
		sleep 0.5
	done
	echo "GUEST-RESULT $3=$(memtotal)"
}
m0=$(memtotal)
echo "GUEST-RESULT memtotal_0=$m0"
wait_memtotal -le $((m0 - 60 * 1024)) memtotal_inflated
wait_memtotal -ge "$m0" memtotal_deflated
mkdir -p /tmp/fill && mount -t tmpfs -o size=128m fill /tmp/fill
dd if=/dev/urandom of=/tmp/fill/data bs=1M count=96 2>/dev/null
echo "GUEST-RESULT filled=yes"
sleep 3
rm /tmp/fill/data
echo "GUEST-RESULT freed=yes"
sleep 600

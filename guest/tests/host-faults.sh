# Guest side of the host-faults scenario. vdb's image is truncated by the
# host while we run: read its end until that fails. vdc's image lives on a
# host filesystem with 2 MiB free: write 8 MiB to it. Both must end in I/O
# errors here, not in a dead VM; then vda must still read.
echo "GUEST-RESULT ready"
last=$(( $(cat /sys/block/vdb/size) / 8 - 1 ))		# its last 4 KiB block
truncated=no
for i in $(seq 1 600); do
	if ! dd if=/dev/vdb of=/dev/null bs=4096 skip=$last count=1 iflag=direct 2>/dev/null; then
		truncated=yes
		break
	fi
	sleep 0.1
done
echo "GUEST-RESULT truncated_read_failed=$truncated"
if dd if=/dev/zero of=/dev/vdc bs=1M count=8 oflag=direct 2>/tmp/dd.err; then
	echo "GUEST-RESULT full_write_failed=no"
else
	echo "GUEST-RESULT full_write_failed=yes"
fi
echo "GUEST-RESULT io_errors=$(dmesg | grep -c 'I/O error')"
echo "GUEST-RESULT vda_read=$(sha256sum < /dev/vda | cut -d' ' -f1)"

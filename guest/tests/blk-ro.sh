# Guest side of the read-only disk scenario: every way of writing fails.
echo "GUEST-RESULT ro_flag=$(cat /sys/block/vda/ro)"
if dd if=/dev/zero of=/dev/vda bs=4096 count=1 conv=fsync 2>/dev/null; then
	echo "GUEST-RESULT open_write=succeeded"
else
	echo "GUEST-RESULT open_write=refused"
fi
# Lift the guest's own read-only flag so the write reaches the device.
blockdev --setrw /dev/vda
if dd if=/dev/zero of=/dev/vda bs=4096 count=1 oflag=direct 2>/tmp/err; then
	echo "GUEST-RESULT device_write=succeeded"
else
	echo "GUEST-RESULT device_write=refused $(cat /tmp/err | tail -n 1)"
fi
echo "GUEST-RESULT read=$(head -c 4096 /dev/vda | sha256sum | cut -d' ' -f1)"

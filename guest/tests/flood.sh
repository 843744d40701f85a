# Guest side of the flood scenario: take the virtio-rng and the
# virtio-console (hvc0, the kernel's console: results go to the 8250 from
# then on) away from their kernel drivers and keep both rings full for
# ever (gicvm-hostile flood), while the disk (vda, the kernel's) is read
# whole three times, from the device each time (the page cache dropped);
# each read's checksum is reported. The guest never powers off: gicvm
# must be stopped.

# fn ID: the sysfs directory of the PCI function of virtio device ID.
fn() {
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device")" = "$1" ] && dirname "$(readlink -f "$d")"
	done
}
rng=$(fn 0x0004) console=$(fn 0x0003)
[ -n "$rng" ] && [ -n "$console" ] || { echo "GUEST-RESULT flood=no-device"; exit 1; }
exec > /dev/ttyS0 2>&1
echo "GUEST-RESULT disk_read_0=$(sha256sum < /dev/vda | cut -d' ' -f1)"
# The devices use the pages gicvm-hostile found by their physical
# addresses: they must stay where they are (mlock alone lets compaction move them).
echo 0 > /proc/sys/vm/compact_unevictable_allowed
echo 1 > /proc/sys/vm/nr_hugepages	# the console's 2 MiB of zeros
for kind in rng console; do
	eval dir=\$$kind
	echo "$(basename "$dir")" > /sys/bus/pci/drivers/virtio-pci/unbind ||
		echo "GUEST-RESULT unbind_$kind=failed"
	gicvm-hostile flood $kind "$dir" &
done
sleep 1
for i in 1 2 3; do
	echo 3 > /proc/sys/vm/drop_caches
	echo "GUEST-RESULT disk_read_$i=$(sha256sum < /dev/vda | cut -d' ' -f1)"
done
wait

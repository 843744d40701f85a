# Guest side of the flood scenario: take the virtio-rng function away from
# its kernel driver and keep its ring full for ever (gicvm-hostile flood),
# while the disk (vda, the kernel's) is read whole three times, from the
# device each time (the page cache dropped); each read's checksum is
# reported. The guest never powers off: gicvm must be stopped.
fn=
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/device")" = 0x0004 ] && fn=$(dirname "$(readlink -f "$d")")
done
[ -n "$fn" ] || { echo "GUEST-RESULT flood=no-rng"; exit 1; }
echo "GUEST-RESULT disk_read_0=$(sha256sum < /dev/vda | cut -d' ' -f1)"
echo "$(basename "$fn")" > /sys/bus/pci/drivers/virtio-pci/unbind || echo "GUEST-RESULT unbind=failed"
# The device writes to the pages gicvm-hostile found by their physical
# addresses: they must stay where they are (mlock alone lets compaction move them).
echo 0 > /proc/sys/vm/compact_unevictable_allowed
gicvm-hostile flood "$fn" &
sleep 1
for i in 1 2 3; do
	echo 3 > /proc/sys/vm/drop_caches
	echo "GUEST-RESULT disk_read_$i=$(sha256sum < /dev/vda | cut -d' ' -f1)"
done
wait

# Guest side of the hostile-vhost scenario: take the virtio-vsock function
# away from its kernel driver, let gicvm-hostile give gicvm bad rings to
# hand to vhost-vsock and cycle good ones through hand-over and reset, give
# the function back, and show vsock still works: send a file to the host's
# port 5009 and report its checksum.
fn=
for d in /sys/bus/virtio/devices/*; do
	[ "$(cat "$d/device")" = 0x0013 ] && fn=$(dirname "$(readlink -f "$d")")
done
[ -n "$fn" ] || { echo "GUEST-RESULT hostile_exit=no-vsock"; exit 1; }
echo "$(basename "$fn")" > /sys/bus/pci/drivers/virtio-pci/unbind || echo "GUEST-RESULT unbind=failed"
gicvm-hostile vhost "$fn"
echo "GUEST-RESULT hostile_exit=$?"
echo "$(basename "$fn")" > /sys/bus/pci/drivers/virtio-pci/bind || echo "GUEST-RESULT bind=failed"
dd if=/dev/urandom of=/tmp/after bs=1M count=1 2>/dev/null
echo "GUEST-RESULT after_sent=$(sha256sum < /tmp/after | cut -d' ' -f1)"
gicvm-vsock connect 2 5009 < /tmp/after > /dev/null && echo "GUEST-RESULT after_done=yes"

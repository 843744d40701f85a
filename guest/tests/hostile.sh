# Guest side of the hostile-guest scenario: take vdb away from its kernel
# driver, let gicvm-hostile attack it through /dev/mem, then show vda (still
# the kernel's) works: read it whole and report its checksum.
dev=$(readlink -f /sys/block/vdb/device)	# .../3000200.virtio/virtio1
base=0x$(basename "$(dirname "$dev")" | cut -d. -f1)
echo "$(basename "$dev")" > /sys/bus/virtio/drivers/virtio_blk/unbind ||
	echo "GUEST-RESULT unbind=failed"
gicvm-hostile "$base"
echo "GUEST-RESULT hostile_exit=$?"
echo "GUEST-RESULT vda_read=$(sha256sum < /dev/vda | cut -d' ' -f1)"

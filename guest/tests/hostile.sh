# Guest side of the hostile-guest scenario: take vdb away from its kernel
# driver, let gicvm-hostile attack it through /dev/mem (over virtio-mmio, or
# with gicvm.hostile=pci over virtio-pci), then show vda (still the
# kernel's) works: read it whole and report its checksum.
transport=mmio
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.hostile=*) transport=${arg#gicvm.hostile=} ;; esac
done
dev=$(readlink -f /sys/block/vdb/device)	# .../3000200.virtio/virtio1 or .../0000:00:02.0/virtio1
if [ "$transport" = pci ]; then
	fn=$(dirname "$dev")
	echo "$(basename "$fn")" > /sys/bus/pci/drivers/virtio-pci/unbind ||
		echo "GUEST-RESULT unbind=failed"
	gicvm-hostile pci "$fn"
else
	base=0x$(basename "$(dirname "$dev")" | cut -d. -f1)
	echo "$(basename "$dev")" > /sys/bus/virtio/drivers/virtio_blk/unbind ||
		echo "GUEST-RESULT unbind=failed"
	gicvm-hostile mmio "$base"
fi
echo "GUEST-RESULT hostile_exit=$?"
echo "GUEST-RESULT vda_read=$(sha256sum < /dev/vda | cut -d' ' -f1)"

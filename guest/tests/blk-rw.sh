# Guest side of the blk scenarios: write gicvm.blk_mib=N (64) MiB of random
# data to vda and flush it, read 16 MiB back from vdb; print both checksums.
set -e
mib=64
for arg in $(cat /proc/cmdline); do
	case $arg in gicvm.blk_mib=*) mib=${arg#gicvm.blk_mib=} ;; esac
done
dd if=/dev/urandom of=/tmp/data bs=1M count="$mib" 2>/dev/null
echo "GUEST-RESULT vda_written=$(sha256sum < /tmp/data | cut -d' ' -f1)"
dd if=/tmp/data of=/dev/vda bs=1M conv=fsync 2>/dev/null
rm /tmp/data
echo "GUEST-RESULT vda_readback=$(head -c $((mib << 20)) /dev/vda | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT vdb_read=$(head -c 16777216 /dev/vdb | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT vdb_id=$(cat /sys/block/vdb/serial 2>/dev/null)"
# DISCARD: 1 MiB of data at 72 MiB, then discarded, reads back as zeroes.
dd if=/dev/urandom of=/dev/vda bs=1M seek=72 count=1 conv=fsync 2>/dev/null
blkdiscard -o $((72 << 20)) -l $((1 << 20)) /dev/vda && echo "GUEST-RESULT discard=ok"
echo "GUEST-RESULT discarded=$(dd if=/dev/vda bs=1M skip=72 count=1 2>/dev/null | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT zeroes=$(head -c 1048576 /dev/zero | sha256sum | cut -d' ' -f1)"
# How the disks are attached and interrupt (for the transport scenarios).
echo "GUEST-RESULT pci=$(ls /sys/bus/pci/devices 2>/dev/null | tr '\n' ' ')"
echo "GUEST-RESULT msi_lines=$(grep virtio /proc/interrupts | grep MSI | sed 's/  */ /g' | tr '\n' '|')"

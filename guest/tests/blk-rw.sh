# Guest side of the blk scenario: write 64 MiB of random data to vda and
# flush it, read 16 MiB back from vdb; print both checksums.
set -e
dd if=/dev/urandom of=/tmp/data bs=1M count=64 2>/dev/null
echo "GUEST-RESULT vda_written=$(sha256sum < /tmp/data | cut -d' ' -f1)"
dd if=/tmp/data of=/dev/vda bs=1M conv=fsync 2>/dev/null
rm /tmp/data
echo "GUEST-RESULT vda_readback=$(head -c 67108864 /dev/vda | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT vdb_read=$(head -c 16777216 /dev/vdb | sha256sum | cut -d' ' -f1)"
echo "GUEST-RESULT vdb_id=$(cat /sys/block/vdb/serial 2>/dev/null)"

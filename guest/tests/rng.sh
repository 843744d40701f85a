# Guest side of the rng scenario: 256 KiB from the virtio-rng device
# (64 bytes a request: the hwrng core asks for a cache line at a time).
echo "GUEST-RESULT rng_current=$(cat /sys/class/misc/hw_random/rng_current)"
dd if=/dev/hwrng of=/tmp/r bs=4096 count=64 2>/dev/null
echo "GUEST-RESULT bytes=$(wc -c < /tmp/r)"
echo "GUEST-RESULT gzipped=$(gzip -c /tmp/r | wc -c)"
echo "GUEST-RESULT distinct_first_bytes=$(head -c 4096 /tmp/r | od -An -tu1 -w1 -v | sort -u | wc -l)"

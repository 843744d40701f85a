# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# --rng: the guest's hwrng is virtio and gives 256 KiB that is not constant
# (it does not compress, and its first 4096 bytes take most byte values).
. "$(dirname "$0")/lib.sh"
guest_test rng --rng
result rng_current | grep -q virtio || fail "the guest's hwrng is not virtio: $(result rng_current)"
[ "$(result bytes)" = 262144 ] || fail "read $(result bytes) bytes, not 256 KiB"
[ "$(result gzipped)" -gt 260000 ] || fail "the data compresses: $(result gzipped) bytes gzipped"
[ "$(result distinct_first_bytes)" -gt 200 ] || fail "too few distinct byte values"
echo "ok: 256 KiB of incompressible data from virtio-rng"

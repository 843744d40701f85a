# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# A read-only disk: the guest sees it read-only, and even a write forced
# past the guest's own flag fails with an I/O error; the image is unchanged.
. "$(dirname "$0")/lib.sh"
dd if=/dev/urandom of=ro.img bs=1M count=4 2>/dev/null
before=$(sha < ro.img)
guest_test blk-ro -d ro.img,ro
[ "$(result ro_flag)" = 1 ] || fail "the guest does not see the disk read-only"
[ "$(result open_write)" = refused ] || fail "a write through the read-only flag succeeded"
result device_write | grep -q '^refused' || fail "the device accepted a write"
[ "$(result read)" = "$(head -c 4096 ro.img | sha)" ] || fail "reads do not work"
[ "$(sha < ro.img)" = "$before" ] || fail "the read-only image changed"
echo "ok: read-only disk refused writes, image unchanged"

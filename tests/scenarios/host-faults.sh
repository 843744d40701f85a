# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# Faults on the host side of a disk become I/O errors in the guest, not a
# crash: an image truncated while the guest uses it (reads past the new end
# fail), and an image on a host filesystem that fills up (writes get
# ENOSPC). gicvm keeps running, the guest powers off normally, and a third
# disk reads back intact.
. "$(dirname "$0")/lib.sh"
dd if=/dev/urandom of=good.img bs=1M count=2 2>/dev/null
good=$(sha < good.img)
dd if=/dev/urandom of=shrinks.img bs=1M count=8 2>/dev/null
mkdir small
mount -t tmpfs -o size=2m tmpfs small || fail "cannot mount a small tmpfs"
truncate -s 16M small/fills.img

out=$PWD/faults.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -d good.img -d shrinks.img \
	-d small/fills.img --json-summary s.json -p "$GUEST_QUIET gicvm.test=host-faults" > "$out" 2>&1 < /dev/null &
pid=$!
for i in $(seq 1 300); do
	grep -q 'GUEST-RESULT ready' "$out" && break
	sleep 0.2
done
truncate -s 1M shrinks.img
wait $pid
rc=$?
umount small
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt" && mv "$out.txt" "$out"
cat "$out" s.json
[ $rc = 0 ] || fail "gicvm exited with status $rc, not 0 (power-off)"
[ "$(result truncated_read_failed)" = yes ] || fail "reading past the truncated image did not fail"
[ "$(result full_write_failed)" = yes ] || fail "writing to a full host filesystem did not fail"
[ "$(result io_errors)" -gt 0 ] || fail "the guest logged no I/O errors"
[ "$(result vda_read)" = "$good" ] || fail "the healthy disk read back wrong"
echo "ok: truncation and a full filesystem gave the guest $(result io_errors) I/O errors; gicvm ran on"

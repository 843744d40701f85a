# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# A hostile guest: guest/gicvm-hostile drives a virtio-mmio disk from
# userspace with read-only register writes, wrong-size accesses, bad queue
# set-ups, descriptor loops, buffers outside RAM, 4 GiB lengths, wrapping
# addresses and indices, nested indirect tables and malformed requests, and
# touches addresses where no device is. gicvm must keep running, refuse every
# attack, log them rate-limited, and the disk must work after a reset, while
# the other disk (the guest kernel's) keeps working throughout.
. "$(dirname "$0")/lib.sh"
dd if=/dev/urandom of=good.img bs=1M count=4 2>/dev/null
good=$(sha < good.img)
{ printf gicvm-hostile-victim; dd if=/dev/zero bs=1M count=1 2>/dev/null; } > victim.img

guest_test hostile -m 256 --virtio-transport mmio -d good.img -d victim.img \
	--json-summary s.json
cat s.json
grep 'gicvm-hostile: ' "$out" | grep -q 'ACCEPTED\|TOOK EFFECT' &&
	fail "an attack was accepted: $(grep 'ACCEPTED\|TOOK EFFECT' "$out")"
summary=$(grep 'gicvm-hostile: tried=' "$out")
[ -n "$summary" ] || fail "gicvm-hostile did not finish"
tried=$(echo "$summary" | sed 's/.*tried=\([0-9]*\).*/\1/')
refused=$(echo "$summary" | sed 's/.*refused=\([0-9]*\).*/\1/')
[ "$tried" -ge 40 ] || fail "only $tried attacks tried"
[ "$refused" = "$tried" ] || fail "$refused of $tried attacks refused: $(grep 'gicvm-hostile: ' "$out")"
echo "$summary" | grep -q 'device_ok=yes' || fail "the attacked disk did not work after a reset"
[ "$(result hostile_exit)" = 0 ] || fail "gicvm-hostile failed"
[ "$(result vda_read)" = "$good" ] || fail "the other disk read back wrong"
# Refused and counted; logged, but at most once a second per thread.
errors=$(grep -o '"virtio-blk@3000200": {[^}]*}' s.json | grep -o '"guest_errors": [0-9]*' | sed 's/.*: //')
[ "${errors:-0}" -ge 15 ] || fail "the attacked disk counted ${errors:-no} guest errors"
logged=$(grep -c 'guest error' "$out")
[ "$logged" -ge 1 ] && [ "$logged" -le 20 ] || fail "$logged guest-error lines logged for $errors errors"
echo "ok: $tried attacks tried, $refused refused; $errors guest errors counted, $logged logged;" \
	"the attacked disk works after reset, the other one throughout"

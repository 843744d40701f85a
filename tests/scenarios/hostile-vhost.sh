# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# A hostile driver against a device whose queues gicvm hands to a kernel
# backend (virtio-vsock on vhost-vsock): rings below RAM, wrapping, or on
# the device's registers leave the device needing a reset and nothing
# reaches vhost; twenty rounds of good rings handed over and taken back by
# reset; then the kernel's driver gets the function back and a file crosses
# to the host's socat intact. gicvm counts the guest errors and exits 0.
. "$(dirname "$0")/lib.sh"
: > after.sum
socat -u VSOCK-LISTEN:5009,reuseaddr SYSTEM:'sha256sum > after.sum' &
sink=$!
trap 'kill $sink 2>/dev/null' EXIT
guest_test hostile-vhost -c 2 --virtio-transport pci --vsock 7009 --json-summary s.json
[ "$(result hostile_exit)" = 0 ] || fail "gicvm-hostile: exit $(result hostile_exit)"
grep -q 'gicvm-hostile: vhost: 20 of 20' "$out" || fail "not every hand-over and reset worked"
[ "$(result after_done)" = yes ] || fail "vsock did not work after the attacks"
for i in $(seq 1 20); do [ -s after.sum ] && break; sleep 0.5; done
[ "$(cut -d' ' -f1 after.sum)" = "$(result after_sent)" ] || fail "the host received other bytes"
handovers=$(json_get 'devices.virtio-vsock@*.backend_handovers' s.json)
# 20 rounds of 2 queues, and the kernel driver's before and after.
[ "${handovers:-0}" -ge 44 ] || fail "only '$handovers' queue hand-overs to vhost"
errors=$(json_get 'devices.virtio-vsock@*.guest_errors' s.json)
[ "${errors:-0}" -ge 3 ] || fail "gicvm counted $errors guest errors, not the 3 bad rings"
echo "ok: 3 bad rings refused before vhost, $handovers queue hand-overs, vsock fine after;" \
	"$errors guest errors"

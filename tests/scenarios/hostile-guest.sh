# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# A hostile guest: guest/gicvm-hostile drives a virtio disk from userspace,
# once over virtio-mmio and once over virtio-pci, with read-only register
# writes, wrong-size accesses, bad queue set-ups, descriptor loops, buffers
# outside RAM, 4 GiB lengths, wrapping addresses and indices, nested
# indirect tables and malformed requests, and touches addresses where no
# device is; on PCI also vectors and queues that do not exist, MSI-X
# pending-bit writes, and its BAR moved outside the window and decoding
# turned off. gicvm must keep running, refuse every attack, log them
# rate-limited, and the disk must work after a reset, while the other disk
# (the guest kernel's) keeps working throughout.
. "$(dirname "$0")/lib.sh"
dd if=/dev/urandom of=good.img bs=1M count=4 2>/dev/null
good=$(sha < good.img)
{ printf gicvm-hostile-victim; dd if=/dev/zero bs=1M count=1 2>/dev/null; } > victim.img

# attack TRANSPORT MIN_ATTACKS DEVICE_KEY: one run, its checks; $errors, $summary.
attack() {
	guest_params="gicvm.hostile=$1"
	guest_test hostile -m 256 --virtio-transport "$1" -d good.img -d victim.img \
		--json-summary "$1.json"
	cat "$1.json"
	grep 'gicvm-hostile: ' "$out" | grep -q 'ACCEPTED\|TOOK EFFECT\|BROKE\|LOST' &&
		fail "$1: an attack was accepted: $(grep 'ACCEPTED\|TOOK EFFECT\|BROKE\|LOST' "$out")"
	summary=$(grep 'gicvm-hostile: .*tried=' "$out")
	[ -n "$summary" ] || fail "$1: gicvm-hostile did not finish"
	tried=$(echo "$summary" | sed 's/.*tried=\([0-9]*\).*/\1/')
	refused=$(echo "$summary" | sed 's/.*refused=\([0-9]*\).*/\1/')
	[ "$tried" -ge "$2" ] || fail "$1: only $tried attacks tried"
	[ "$refused" = "$tried" ] || fail "$1: $refused of $tried attacks refused: $(grep 'gicvm-hostile: ' "$out")"
	echo "$summary" | grep -q 'device_ok=yes' || fail "$1: the attacked disk did not work after a reset"
	[ "$(result hostile_exit)" = 0 ] || fail "$1: gicvm-hostile failed"
	[ "$(result vda_read)" = "$good" ] || fail "$1: the other disk read back wrong"
	# Refused and counted; logged, but at most once a second per thread.
	errors=$(grep -o "\"$3\": {[^}]*}" "$1.json" | grep -o '"guest_errors": [0-9]*' | sed 's/.*: //')
	[ "${errors:-0}" -ge 15 ] || fail "$1: the attacked disk counted ${errors:-no} guest errors"
	logged=$(grep -c 'guest error' "$out")
	[ "$logged" -ge 1 ] && [ "$logged" -le 20 ] || fail "$1: $logged guest-error lines logged for $errors errors"
	echo "ok: $1: $tried attacks tried, $refused refused; $errors guest errors counted, $logged logged;" \
		"the attacked disk works after reset, the other one throughout"
}

attack mmio 40 virtio-blk@3000200
attack pci 55 virtio-blk@pci00:01
# The BAR came back to where the guest had it and its queue's ioeventfd with
# it: of the kicks, only the deliberate odd ones (queue 7) exited to gicvm.
kicks=$(grep -o '"virtio-blk@pci00:01": {[^}]*}' pci.json | grep -o '"kicks": [0-9]*' | sed 's/.*: //')
missed=$(json_number notify_mmio_exits pci.json)
echo "pci: $kicks kicks by ioeventfd, $missed notifications exited"
[ "${kicks:-0}" -ge 15 ] && [ "${missed:-99}" -le 2 ] ||
	fail "kicks after the BAR moved back did not go through the ioeventfd ($kicks kicks, $missed exits)"

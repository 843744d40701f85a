# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# virtio-fs through Debian's virtiofsd, started by gicvm (--fs): the guest
# mounts the share by its tag, reads a file the host wrote and writes one
# the host reads, checksummed both ways, and a read-only share refuses its
# writes; on virtio-pci (MSI-X irqfds) and on virtio-mmio (gicvm relays the
# interrupts). Every queue goes to the backend. virtiofsd killed under a
# mounted share: one line, and the guest's accesses fail with EIO rather
# than hang. Refused with one line: a
# missing virtiofsd, a share that is not a directory, two shares with one
# tag, and kvmtool's --9p.
. "$(dirname "$0")/lib.sh"
mkdir -p share ro
dd if=/dev/urandom of=share/h2g.bin bs=1M count=4 2>/dev/null
echo "read-only note" > ro/note
h2g=$(sha < share/h2g.bin)
ro_before=$(ls -l ro | sha)

for transport in pci mmio; do
	rm -rf share/g2h.bin share/newdir
	json=$PWD/fs-$transport.json
	guest_test fs --virtio-transport $transport --fs "$PWD/share" --fs "$PWD/ro,tag=ro,ro" \
		--json-summary "$json"
	[ "$(result mounted)" = 1 ] || fail "$transport: the guest could not mount the share"
	[ "$(result h2g)" = "$h2g" ] || fail "$transport: the guest read something else"
	[ "$(result g2h)" = "$(sha < share/g2h.bin)" ] ||
		fail "$transport: the host holds something else than the guest wrote"
	[ "$(cat share/newdir/file)" = hello ] || fail "$transport: the guest's new directory is missing"
	[ "$(result ro_read)" = "read-only note" ] || fail "$transport: the read-only share is unreadable"
	[ "$(result ro_write)" = refused ] || fail "$transport: the read-only share took a write"
	[ "$(ls -l ro | sha)" = "$ro_before" ] || fail "$transport: the read-only share changed"
	[ "$(result unmounted)" = 1 ] || fail "$transport: the guest could not unmount the share"
	handovers=$(json_get 'devices.virtio-fs@*.backend_handovers' "$json")
	echo "$transport: queues handed to virtiofsd: $handovers"
	[ "${handovers:-0}" -ge 2 ] || fail "$transport: the queues did not go to the backend"
done

# virtiofsd killed under a mounted share: gicvm says so once and runs on,
# and the guest's next accesses fail at once with EIO instead of hanging.
out=$PWD/fs-dies.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --fs "$PWD/share" \
	-p "$GUEST_QUIET gicvm.test=fs gicvm.fs_dies" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_result ready $pid || { cat "$out"; fail "the guest never got ready"; }
kill_program virtiofsd $pid	# only ours: run-command may run beside
finish_output $pid
[ $rc = 0 ] || fail "gicvm exited with status $rc after virtiofsd died"
[ "$(grep -c 'backend went away' "$out")" = 1 ] || fail "not one line about virtiofsd going away"
result dead_access | grep -q '^1 .*Input/output error' || fail "an access after the backend died: $(result dead_access)"
[ "$(result dead_again)" = 1 ] || fail "a second access did not fail at once"
[ "$(result dead_hung)" = 0 ] || fail "$(result dead_hung) accesses hung after the backend died"

export GICVM_VIRTIOFSD=/nonexistent/virtiofsd
expect_error "no virtiofsd" "needs virtiofsd" run -k "$GUEST_IMAGE" --fs "$PWD/share"
unset GICVM_VIRTIOFSD
expect_error "a share that is no directory" "not a directory" \
	run -k "$GUEST_IMAGE" --fs "$PWD/share/h2g.bin"
expect_error "one tag twice" "--fs wants" \
	run -k "$GUEST_IMAGE" --fs "$PWD/share" --fs "$PWD/ro"
expect_error "kvmtool's 9p" "--fs DIR,tag=TAG" run -k "$GUEST_IMAGE" --9p "$PWD/share,hostfs"
echo "ok: virtio-fs both ways on pci and mmio, read-only refused, a dead backend gives EIO, bad shares refused"

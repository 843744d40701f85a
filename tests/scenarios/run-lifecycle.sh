# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# --timeout stops the guest with 124; SIGTERM stops it cleanly (143) and
# removes its socket; after a SIGKILL the same name can be used at once;
# --json-summary tells how a run ended.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run

# A guest that would wait forever at its shell (stdin stays open).
mkfifo t1.in
# Not quiet: its early log shows the kernel ran, however far it got.
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --timeout 8 --name t1 \
	--json-summary t1.json < t1.in > t1.out 2>&1 &
pid=$!
exec 3> t1.in
wait $pid
rc=$?
exec 3>&-
[ $rc = 124 ] || { tail -n 30 t1.out; fail "--timeout: exit $rc, expected 124"; }
cat t1.json
grep -q '"exit_reason": "timeout", "exit_status": 124' t1.json || fail "summary lacks the timeout"
# The guest was running when the timeout stopped it (how far it got in 8
# seconds depends on the machine: under TCG, sometimes not to its shell).
grep -q 'Booting Linux' t1.out || { tail -n 30 t1.out; fail "the guest kernel never started"; }
grep -q '"exits_mmio": [1-9]' t1.json || fail "summary lacks exit counts"
secs=$(sed -n 's/.*"guest_wall_seconds": "\([0-9]*\).*/\1/p' t1.json)
[ -n "$secs" ] && [ "$secs" -ge 8 ] || fail "stopped after ${secs:-?} s, before the 8 s timeout"

start_vm() {
	# A fresh log: the old one may say 'gicvm guest:' before this gicvm runs.
	rm -f "$1.out"
	mkfifo "$1.in"
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -p "$GUEST_QUIET" --name "$1" \
		< "$1.in" > "$1.out" 2>&1 &
	pid=$!
	exec 3> "$1.in"
	for i in $(seq 1 200); do
		grep -q 'gicvm guest:' "$1.out" 2>/dev/null && return 0
		sleep 0.5
	done
	cat "$1.out"
	fail "$1 did not come up"
}

start_vm t2
kill -TERM $pid
wait $pid
rc=$?
exec 3>&-
[ $rc = 143 ] || fail "SIGTERM: exit $rc, expected 143"
grep -q 'stopping on signal 15' t2.out || fail "no word about SIGTERM"
[ ! -e run/gicvm/t2.sock ] || fail "the socket outlived a SIGTERM"

start_vm t3
kill -KILL $pid
wait $pid
exec 3>&-
[ -e run/gicvm/t3.sock ] || fail "expected a stale socket after SIGKILL"
rm t3.in
start_vm t3
"$GICVM" list | tee list.out
grep -q "^t3 *$pid " list.out || fail "the second t3 (pid $pid) is not listed"
"$GICVM" stop --name t3 > /dev/null
wait $pid || fail "the second t3 did not stop cleanly"
exec 3>&-
echo "ok: timeout 124, SIGTERM 143, a name reused after SIGKILL"

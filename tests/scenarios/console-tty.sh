# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# --tty 0: the guest console is on a new pty, not on gicvm's stdin and
# stdout. A client attaches, leaves, attaches again and types a command
# that the guest's shell runs. A guest that writes a megabyte with no
# client attached is not held up: what the pty cannot hold is dropped.
. "$(dirname "$0")/lib.sh"

export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run

# pty_of PID: the pty `gicvm list --json` says gicvm (PID) put the console on.
pty_of() {
	for i in $(seq 1 100); do
		"$GICVM" list --json > list.json 2>/dev/null
		p=$(json_get vms.0.console_pty list.json)
		[ -n "$p" ] && [ -c "$p" ] && { echo "$p"; return 0; }
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}

"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -p "$GUEST_QUIET" --tty 0 \
	< /dev/null > stdout.out 2> stderr.out &
pid=$!
tty=$(pty_of $pid) || { cat stderr.out list.json; fail "gicvm list named no pty"; }
grep -qx "gicvm: the guest console is on $tty" stderr.out || { cat stderr.out; fail "stderr did not name $tty"; }
echo "the console is on $tty"

# The first client stays until the shell's prompt, then leaves.
cat "$tty" > first.out 2>/dev/null &
reader=$!
for i in $(seq 1 200); do
	grep -q 'gicvm guest:' first.out && tail -c 40 first.out | grep -q '/ # ' && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.5
done
kill $reader 2>/dev/null
grep -q 'gicvm guest:' first.out || { cat stderr.out first.out; fail "no boot on the pty"; }

# The second types a command.
cat "$tty" > second.out 2>/dev/null &
reader=$!
echo 'echo typed-$((6 * 7)); poweroff -f' > "$tty"
wait $pid
rc=$?
sleep 0.5
kill $reader 2>/dev/null	# gone already if it read the pty's end
[ $rc = 0 ] || { cat stderr.out second.out; fail "gicvm ended with $rc, not 0"; }
grep -q 'typed-42' second.out || { cat second.out; fail "the command typed on the pty did not run"; }
grep -q 'gicvm guest:' stdout.out && fail "the console went to stdout as well as to the pty"

# Nobody attached: a megabyte to hvc0, then the guest powers off.
timeout -s KILL 200 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --console virtio --tty 0 \
	-p "gicvm.test=chatty quiet" --json-summary chatty.json < /dev/null > /dev/null 2> chatty.err
rc=$?
[ $rc = 0 ] || { cat chatty.err; fail "with no client on the pty, gicvm ended with $rc, not 0"; }
[ "$(json_get exit_reason chatty.json)" = poweroff ] || { cat chatty.json; fail "the guest did not power off"; }
# hvc0 sends a page a request at most: a megabyte is 256 of them or more.
kicks=$(json_get 'devices.virtio-console*.kicks' chatty.json)
echo "virtio-console kicks for a megabyte nobody read: $kicks"
[ "${kicks:-0}" -ge 256 ] || { cat chatty.json; fail "the megabyte did not go through hvc0"; }
echo "ok: the console moved to a pty, clients came and went, and output nobody read was dropped"

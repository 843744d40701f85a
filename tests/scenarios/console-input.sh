# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# Typing into the console reaches the guest: the default guest's shell reads
# a command from gicvm's stdin (8250 receive path and its irqfd interrupt),
# runs it and powers off.
. "$(dirname "$0")/lib.sh"
mkfifo in
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" < in > out 2>&1 &
pid=$!
exec 3> in

# Wait for the shell's prompt ("/ # ", then line editing's cursor query):
# input sent before the tty is open would be flushed.
for i in $(seq 1 200); do
	grep -q 'gicvm guest:' out && tail -c 40 out | grep -q '/ # ' && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.5
done
cat out
grep -q 'gicvm guest:' out || fail "the guest's shell never started"
echo 'echo typed-$((6 * 7)); poweroff -f' >&3
wait $pid
rc=$?
exec 3>&-
cat out
[ $rc = 0 ] || fail "gicvm exited with status $rc, not 0"
grep -q 'typed-42' out || fail "the command typed on stdin did not run in the guest"
echo "console input reached the guest's shell"

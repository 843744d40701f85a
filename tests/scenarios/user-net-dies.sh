# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# passt killed (SIGKILL) while a user-net guest runs: one clear line, the
# guest sees its link go down, gicvm exits 0 when the guest powers off,
# and the I/O thread does not spin on the dead socket meanwhile.
. "$(dirname "$0")/lib.sh"
user_net_host
out=$PWD/user-net-dies.out
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-n mode=user --json-summary "$home/s.json" -p "$GUEST_QUIET gicvm.test=user-net gicvm.passt_dies" \
	> "$out" 2>&1 < /dev/null &
pid=$!
wait_for_result ready $pid || { cat "$out"; fail "the guest never got ready"; }
kill_program passt
finish_output $pid
[ $rc = 0 ] || fail "gicvm exited with status $rc after passt died"
[ "$(result carrier)" = 1 ] || fail "the link was not up before passt died"
[ "$(result carrier_after)" = 0 ] || fail "the guest's link did not go down"
[ "$(grep -c 'passt.*closed its connection' "$out")" = 1 ] || fail "not one line about passt going away"
# The dead socket is out of the I/O loop: it does not wake it again and
# again (it did 100,000 times in the guest's last seconds, hanging up).
wakeups=$(json_get gicvm.io_wakeups "$home/s.json")
echo "I/O-thread wake-ups in all: $wakeups"
[ -n "$wakeups" ] && [ "$wakeups" -lt 5000 ] || fail "the I/O thread woke $wakeups times"

echo "ok: passt killed: one line, the link down, gicvm exited 0"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# driven-by: make reliability
# passt killed (SIGKILL) while a user-net guest runs: one clear line, the
# guest sees its link go down, gicvm exits 0 when the guest powers off.
# Not in make check: under TCG its second guest now and then stalls
# before it is ready (2 runs of about 10 this session; cause not found).
. "$(dirname "$0")/lib.sh"
user_net_host
out=$PWD/user-net-dies.out
HOME=$home XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-n mode=user -p "gicvm.test=user-net gicvm.passt_dies" > "$out" 2>&1 < /dev/null &
pid=$!
wait_for_result ready $pid || { cat "$out"; fail "the guest never got ready"; }
killed=0
for p in /proc/[0-9]*; do
	case "$(tr '\0' ' ' < $p/cmdline 2>/dev/null)" in
	*/ld.so*/passt\ *) kill -KILL "${p#/proc/}" && killed=$((killed + 1)) ;;
	esac
done
[ $killed -gt 0 ] || fail "no passt process to kill"
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
cat "$out"
[ $rc = 0 ] || fail "gicvm exited with status $rc after passt died"
[ "$(result carrier)" = 1 ] || fail "the link was not up before passt died"
[ "$(result carrier_after)" = 0 ] || fail "the guest's link did not go down"
[ "$(grep -c 'passt.*closed its connection' "$out")" = 1 ] || fail "not one line about passt going away"

echo "ok: passt killed: one line, the link down, gicvm exited 0"

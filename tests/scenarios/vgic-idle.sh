# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: kernel/measure.sh
# A 2-vCPU default guest that idles, and a window of gicvm.idle_for=SECONDS
# (from the host's command line; 10) in the middle of its idling, marked on
# the host's console ("vgic-idle: window open", "... closed") for
# kernel/measure.sh, which counts QEMU's ICH_* trace events between the
# marks. The closing line says how many guest exits the window held (KVM's
# debugfs), so the counts can be taken per exit.
. "$(dirname "$0")/lib.sh"
secs=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^gicvm\.idle_for=//p')
secs=${secs:-10}
exits=/sys/kernel/debug/kvm/exits
[ -r $exits ] || fail "no $exits (debugfs) to count guest exits with"

# The guest idles 6 s longer than the window: it opens a second after the
# guest's test starts, and nothing of the boot or the power-off is in it.
out=$PWD/guest-idle.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -c 2 \
	-p "$GUEST_QUIET gicvm.test=idle gicvm.idle=$((secs + 6))" > "$out" 2>&1 < /dev/null &
pid=$!
until grep -q 'gicvm-test: running idle' "$out"; do
	kill -0 $pid 2> /dev/null || { cat "$out"; fail "the guest stopped before idling"; }
	sleep 1
done
sleep 1
e0=$(cat $exits)
echo "vgic-idle: window open" > /dev/console
sleep "$secs"
e1=$(cat $exits)
echo "vgic-idle: window closed: $((e1 - e0)) guest exits in $secs s" > /dev/console
wait $pid
rc=$?
[ $rc = 0 ] || { cat "$out"; fail "gicvm exited with status $rc, not 0 (power-off)"; }
grep -q 'gicvm-test: idle exited' "$out" || fail "the guest's idle test did not finish"
echo "ok: $((e1 - e0)) guest exits in a $secs s window of idling"

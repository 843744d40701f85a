# SPDX-License-Identifier: GPL-2.0-only
# timeout: 500
# driven-by: tests/host/gdb-test.sh
# The guest half of the gdb test (tests/host/gdb-test.sh drives gdb from
# outside, through QEMU's port forwarding): gicvm serves --gdb on the
# emulated host's NIC and holds the guest until gdb attaches; after gdb
# detaches the guest must boot on and power off. While gdb is attached, a
# BRK of the guest's own reaches the guest as SIGTRAP.
. "$(dirname "$0")/lib.sh"
ip link show eth0 > /dev/null 2>&1 || fail "no NIC: this scenario runs from tests/host/gdb-test.sh"
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
out=$PWD/gdb-guest.out
# With SVE on, KVM shows V0-V31 only inside Z0-Z31: the stub must cope.
sve=
grep -q sve /proc/cpuinfo && sve="--sve-max-vl 256"
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gdb tcp:0.0.0.0:1234 --gdb-wait $sve \
	-p "$GUEST_QUIET gicvm.test=brk" > "$out" 2>&1 < /dev/null &
pid=$!
# Tell the driver outside (it reads the console) that the stub is listening.
for i in $(seq 1 100); do
	grep -q 'waiting for a debugger' "$out" && break
	sleep 0.2
done
echo "gicvm-gdb: listening" > /dev/console
# And when the guest sleeps in userspace, so it can press Ctrl-C then.
(
	for i in $(seq 1 1200); do
		if grep -q 'GUEST-RESULT cpus=' "$out"; then
			echo "gicvm-gdb: guest asleep" > /dev/console
			break
		fi
		sleep 0.5
	done
) &
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\['
[ $rc = 0 ] || fail "gicvm exited $rc"
grep -q 'GUEST-RESULT cpus=2' "$out" || fail "the guest did not boot to userspace under gdb"
grep -q 'GUEST-RESULT brk=trapped' "$out" || fail "the guest's own BRK did not reach it"
grep -q 'gicvm-test: brk exited' "$out" || fail "the guest did not run on after gdb detached"
echo "ok: the guest's BRK was re-injected; it ran to power-off after gdb detached"

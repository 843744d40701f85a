# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# list / pause / resume / debug --dump / stat --json / stop against a
# running guest (the default guest's shell, waiting on a stdin that stays
# open), each checked; its vCPU threads are pinned by --vcpu-affinity.
# Its GDB stub (--gdb unix:PATH) answers only its owner, and a debugger
# that hangs up while the guest runs leaves no breakpoint behind.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
mkfifo in
"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -p "$GUEST_QUIET" --name ctl-vm --vcpu-affinity 1 \
	--gdb unix:$PWD/gdb.sock < in > vm.out 2>&1 &
pid=$!
exec 3> in
for i in $(seq 1 200); do
	grep -q 'gicvm guest:' vm.out && break
	sleep 0.5
done
grep -q 'gicvm guest:' vm.out || { cat vm.out; fail "the guest did not come up"; }

[ "$(stat -c %a run/gicvm/ctl-vm.sock)" = 600 ] || fail "the control socket is not mode 0600"
# --vcpu-affinity 1: both vCPU threads may run on host CPU 1 only.
n=0
for t in /proc/$pid/task/*; do
	grep -q '^gicvm-vcpu' "$t/comm" || continue
	grep -q 'Cpus_allowed_list:[[:space:]]*1$' "$t/status" || fail "a vCPU thread is not pinned to CPU 1"
	n=$((n + 1))
done
[ $n = 2 ] || fail "found $n vCPU threads, not 2"
"$GICVM" list | tee list.out
grep -q "^ctl-vm *$pid *2 *256 *running" list.out || fail "list does not show the VM"
"$GICVM" list --json | tee list.json
grep -q "\"name\": \"ctl-vm\", \"pid\": $pid, \"cpus\": 2" list.json || fail "list --json"

# Another uid is refused even when the file mode would let it connect (a
# link to the socket in its own private directory); its client too refuses
# a server of another uid.
chmod 755 . run run/gicvm
chmod 666 run/gicvm/ctl-vm.sock
mkdir -p u1000/gicvm && chmod 700 u1000/gicvm && ln -s $PWD/run/gicvm/ctl-vm.sock u1000/gicvm/
chown -R 1000:1000 u1000
if XDG_RUNTIME_DIR=$PWD/u1000 run-as 1000 "$GICVM" stat --name ctl-vm > foreign.out 2>&1; then
	cat foreign.out
	fail "a client of another uid got an answer"
fi
cat foreign.out
grep -q 'refused a client of uid 1000' vm.out || fail "gicvm did not log the refused peer"
grep -q 'served by uid 0, not this user' foreign.out || fail "the client believed another uid's server"
chmod 600 run/gicvm/ctl-vm.sock
# A socket directory open to others is not used, by the client either.
"$GICVM" list > open.out 2>&1
grep -q 'run/gicvm is not a private directory of uid 0 (owner 0, mode 0755)' open.out ||
	{ cat open.out; fail "the client used a directory open to others"; }
chmod 700 . run run/gicvm

# stop SIGKILLs the pid the kernel reports for the socket's owner, never
# the one an answer names: a fake server naming a bystander's pid.
sleep 300 &
bystander=$!
socat UNIX-LISTEN:run/gicvm/fake.sock,fork SYSTEM:"echo pid=$bystander" &
fake=$!
for i in $(seq 1 50); do [ -S run/gicvm/fake.sock ] && break; sleep 0.1; done
"$GICVM" stop --name fake --grace 1 > fake.out 2>&1
cat fake.out
kill -0 $bystander 2>/dev/null || fail "stop killed the pid a server's answer named"
grep -q "killed fake (pid $fake)" fake.out || fail "stop did not go after the socket's owner"
kill $bystander 2>/dev/null
rm -f run/gicvm/fake.sock

"$GICVM" pause --name ctl-vm | grep -q paused || fail "pause"
"$GICVM" list | grep -q "ctl-vm .* paused" || fail "list does not show it paused"
a=$("$GICVM" stat --name ctl-vm | grep '^kvm_vcpu.vcpu0.exits=')
sleep 2
b=$("$GICVM" stat --name ctl-vm | grep '^kvm_vcpu.vcpu0.exits=')
echo "paused: $a then $b"
[ -n "$a" ] && [ "$a" = "$b" ] || fail "a paused vCPU kept running ($a, $b)"

# A client trickling its line a byte every 2 s holds the I/O loop a second
# at most: another client's request is answered meanwhile.
{ for c in s t a t; do printf $c; sleep 2; done; } |
	socat -t 10 - UNIX-CONNECT:run/gicvm/ctl-vm.sock > /dev/null 2>&1 &
trickler=$!
sleep 1
timeout 5 "$GICVM" list > trickle.out 2>&1 ||
	{ kill $trickler; fail "a trickling client held the I/O loop: $(cat trickle.out)"; }
grep -q ctl-vm trickle.out || fail "no answer beside a trickling client"
kill $trickler 2>/dev/null

"$GICVM" balloon --name ctl-vm inflate 8 > noballoon.out 2>&1 && fail "balloon without --balloon succeeded"
grep -q 'no balloon (run it with --balloon)' noballoon.out || { cat noballoon.out; fail "balloon without one"; }

"$GICVM" debug --dump --name ctl-vm | tee dump.out
grep -q '^vCPU 1:' dump.out || fail "no dump for vCPU 1"
for r in x0 x30 sp pc pstate elr_el1 spsr_el1 esr_el1 far_el1 sctlr_el1 ttbr1_el1 tcr_el1; do
	grep -q " $r " dump.out || fail "the dump lacks $r"
done
# The guest kernel runs with the MMU on: SCTLR_EL1.M is set.
sctlr=$(sed -n 's/.*sctlr_el1 *\([0-9a-f]*\).*/\1/p' dump.out | head -n 1)
[ $(( 0x$sctlr & 1 )) = 1 ] || fail "sctlr_el1 $sctlr: the MMU looks off"
"$GICVM" debug --dump --json --name ctl-vm | grep -q '"pc": "0x' || fail "debug --dump --json"

"$GICVM" resume --name ctl-vm | grep -q running || fail "resume"
sleep 1
c=$("$GICVM" stat --name ctl-vm | grep '^kvm_vcpu.vcpu0.exits=')
echo "resumed: $c"
[ "$c" != "$b" ] || fail "the vCPU did not run again after resume"

# gdb_pkt DATA: one packet of the GDB remote protocol.
gdb_pkt() {
	printf '$%s#%02x' "$1" "$(printf %s "$1" | od -An -tu1 -v |
		awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s % 256 }')"
}
# guest_echo N: the guest's shell answers (its vCPUs run).
guest_echo() {
	echo "echo gdb-\$((6 * $1))" >&3
	for i in $(seq 1 60); do
		grep -q "^gdb-$((6 * $1))" vm.out && return 0
		sleep 0.5
	done
	fail "the guest's shell stopped answering ($2)"
}
[ "$(stat -c %a gdb.sock)" = 600 ] || fail "the GDB socket is not mode 0600"
chmod 755 .
chmod 666 gdb.sock
gdb_pkt '?' | run-as 1000 socat -t 2 - UNIX-CONNECT:$PWD/gdb.sock > gdb-foreign.out 2> gdb-foreign.err
chmod 700 .
chmod 600 gdb.sock
[ ! -s gdb-foreign.out ] || fail "the GDB stub answered uid 1000: $(cat gdb-foreign.out)"
grep -q 'gdb: refused a connection from another user' vm.out || fail "the stub did not log the refusal"
# A breakpoint where vCPU 0 was paused (its idle loop, run again and
# again), the guest continued, and the debugger gone at once.
pc=$(sed -n 's/.* pc *\([0-9a-f]*\).*/\1/p' dump.out | head -n 1)
{ gdb_pkt "Z0,$pc,4"; sleep 1; gdb_pkt c; } | socat -t 0.2 - UNIX-CONNECT:$PWD/gdb.sock > gdb-owner.out
grep -q 'OK#9a' gdb-owner.out || fail "the stub did not plant a breakpoint at $pc: $(cat gdb-owner.out)"
guest_echo 7 "after gdb hung up"
sleep 2
guest_echo 8 "a second time after gdb hung up"
echo "ok: the GDB socket answers only its owner; a hang-up leaves no breakpoint at $pc"

"$GICVM" stat --json --name ctl-vm > stat.json
for k in '"gicvm": {' '"exits_mmio": ' '"host": {' '"vgic_maintenance_irqs": ' '"kvm_vm": {' '"kvm_vcpu": {' '"vcpu1": {' '"exits": ' '"wfi_exit_stat": '; do
	grep -q "$k" stat.json || fail "stat --json lacks $k"
done

"$GICVM" stop --name ctl-vm > stop.out 2>&1 || fail "stop exited $?"
cat stop.out
wait $pid
rc=$?
exec 3>&-
[ $rc = 0 ] || fail "gicvm exited $rc after stop"
grep -q "stopped ctl-vm" stop.out || fail "stop did not report"
[ ! -e run/gicvm/ctl-vm.sock ] || fail "the socket outlived the VM"
[ ! -e gdb.sock ] || fail "the GDB socket outlived the VM"
"$GICVM" list | grep -q ctl-vm && fail "list still shows the VM"
echo "ok: list, pause, resume, debug --dump, stat --json and stop"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# gdb against gicvm's GDB stub, driven from this (x86) side: the emulated
# host gets a NIC whose port 1234 QEMU forwards to a loopback port here;
# inside it, the gdb-serve scenario runs gicvm --gdb --gdb-wait. The script
# breaks at start_kernel (a hardware breakpoint, address from System.map),
# single-steps, reads registers and memory (virtual and, with "monitor
# phys on", physical), watches jiffies_64, breaks at
# kernel_init (a software breakpoint), lets the guest run, interrupts it
# (Ctrl-C) and detaches; the guest powers off.
# Appends PASS/FAIL lines to $RESULTS.
set -u
. "$(dirname "$0")/emulated-host.sh"
logdir=$B/test-logs
results=${RESULTS:-$logdir/results}
port=$((20000 + $$ % 20000))
map=$B/kernel/System.map
addr() { awk -v s="$1" '$3 == s { print $1; exit }' "$map"; }

fail() {
	echo "FAIL gdb-stub ($*)" >> "$results"
	echo "gdb-stub: $*"
}

command -v gdb-multiarch > /dev/null || { fail "gdb-multiarch is not installed"; exit 0; }
start_kernel=$(addr start_kernel)
kernel_init=$(addr kernel_init)
jiffies=$(addr jiffies_64)
[ -n "$start_kernel" ] && [ -n "$kernel_init" ] && [ -n "$jiffies" ] || { fail "symbols missing from System.map"; exit 0; }

log=$logdir/host-gdb.log
QEMU_TIMEOUT=600 QEMU_STALL_WATCH=$log \
	QEMU_NIC="-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:1234 -device virtio-net-pci,netdev=n0,romfile=" \
	qemu_host "$B/kernel/Image" "quiet gicvm.scenarios=gdb-serve" < /dev/null > "$log" 2>&1 &
qemu=$!

cat > "$logdir/gdb.cmds" <<GDB
set architecture aarch64
set pagination off
set confirm off
set remotetimeout 60
target remote 127.0.0.1:$port
printf "PC0=%lx\n", \$pc
monitor phys on
printf "PHYS=%08x\n", *(unsigned int *)0x80000000
monitor phys off
info threads
hbreak *0x$start_kernel
continue
printf "PC1=%lx\n", \$pc
printf "INSN=%x\n", *(unsigned int *)\$pc
stepi
stepi
stepi
printf "PC2=%lx\n", \$pc
printf "X0=%lx SP=%lx\n", \$x0, \$sp
printf "V31=%lx\n", \$v31.d.u[0]
printf "SCTLR=%lx TCR=%lx\n", \$sctlr_el1, \$tcr_el1
printf "VG=%d\n", \$vg
printf "Z0=%lx P0=%x\n", \$z0.d.u[0], \$p0[0]
delete
watch *(long *)0x$jiffies
continue
printf "JIFFIES=%lx\n", *(long *)0x$jiffies
delete
break *0x$kernel_init
continue
printf "PC3=%lx\n", \$pc
delete
continue
printf "PC4=%lx\n", \$pc
info threads
detach
GDB

# Wait for the stub: the emulated host boots, then gicvm starts listening.
out=$logdir/gdb.out
: > "$out"
for i in $(seq 1 300); do
	grep -q 'gicvm-gdb: listening' "$log" && break
	kill -0 $qemu 2>/dev/null || break
	sleep 0.5
done
# No timeout(1) wrapper: it would turn our SIGINT into a SIGTERM for gdb.
# gdb ends when the emulated host does (QEMU_TIMEOUT bounds that).
gdb-multiarch -nx -batch -x "$logdir/gdb.cmds" > "$out" 2>&1 &
gdbpid=$!
# The last "continue" runs until we press Ctrl-C, as a person would, once
# the guest sleeps in userspace (guest/tests/brk.sh; the console says so).
for i in $(seq 1 1200); do
	grep -q 'gicvm-gdb: guest asleep' "$log" && break
	kill -0 $gdbpid 2>/dev/null || break
	sleep 0.5
done
sleep 2
kill -INT $gdbpid 2>/dev/null
wait $gdbpid
wait $qemu
cat "$out" | sed 's/^/    gdb: /'
tr -d '\r' < "$log" | sed -n 's/^\(PASS\|FAIL\) \(.*\)/\1 \2/p' >> "$results"
grep -q '^PASS gdb-serve' "$log" || tr -d '\r' < "$log" | grep '^    |'
show_stall "$log"

val() { sed -n "s/^$1=\\([0-9a-f]*\\).*/\\1/p" "$out" | head -n 1; }
[ "$(val PC0)" = 80000000 ] || { fail "--gdb-wait did not hold the guest at its first instruction (pc $(val PC0))"; exit 0; }
first=$(od -An -tx4 -N4 "$B/kernel/Image" | tr -d ' ')
[ "$(val PHYS)" = "$first" ] || { fail "physical read at 0x80000000 gave $(val PHYS), not $first"; exit 0; }
[ "$(val PC1)" = "$start_kernel" ] || { fail "no stop at start_kernel (pc $(val PC1))"; exit 0; }
[ -n "$(val INSN)" ] || { fail "reading memory at pc failed"; exit 0; }
[ -n "$(val PC2)" ] && [ "$(val PC2)" != "$start_kernel" ] || { fail "stepi did not move the pc"; exit 0; }
[ -n "$(val V31)" ] || { fail "no SIMD register v31 (with SVE on)"; exit 0; }
# The emulated CPU has SVE and gdb-serve asks for 256 bits: vg = 4 granules.
[ "$(sed -n 's/^VG=//p' "$out")" = 4 ] || { fail "SVE: vg is not 4 for --sve-max-vl 256"; exit 0; }
grep -q '^Z0=[0-9a-f]* P0=' "$out" || { fail "SVE: z0/p0 not readable"; exit 0; }
[ -n "$(val SCTLR)" ] && [ $(( 0x$(val SCTLR) & 1 )) = 1 ] ||
	{ fail "sctlr_el1 '$(val SCTLR)': no system registers, or the MMU looks off"; exit 0; }
grep -q 'Hardware watchpoint 2: \*(long \*)0x' "$out" && grep -q 'New value' "$out" ||
	{ fail "the jiffies watchpoint did not trigger"; exit 0; }
[ "$(val PC3)" = "$kernel_init" ] || { fail "no stop at the kernel_init breakpoint (pc $(val PC3))"; exit 0; }
grep -q '2 *Thread 2' "$out" || { fail "gdb does not see vCPU 1 as thread 2"; exit 0; }
grep -q 'received signal SIGINT' "$out" && [ -n "$(val PC4)" ] ||
	{ fail "interrupting the running guest (Ctrl-C) did not stop it"; exit 0; }
grep -q 'detached' "$out" || { fail "detach failed"; exit 0; }
echo "PASS gdb-stub (start_kernel, 3 steps, jiffies watch, kernel_init, Ctrl-C, detach)" >> "$results"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# A quiet boot stays quiet: with `quiet` in -p the kernel's early log is
# not printed through the 8250 one character (one userspace exit) at a
# time, because gicvm puts its earlycon after the user's parameters. The
# guest's own lines (the agent's report) are all the UART carries. The
# guest has 6 GiB in a host of 3 GiB: RAM is given on demand, as kvmtool
# gives it. --debug-mmio logs every userspace MMIO access: as many lines
# as --json-summary counts MMIO exits.
. "$(dirname "$0")/lib.sh"
out=$PWD/quiet.out json=$PWD/quiet.json
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -m 6G -p "quiet gicvm.agent=boot" \
	--debug-mmio --json-summary "$json" > "$out" 2> mmio.log < /dev/null ||
	{ cat "$out" mmio.log; fail "the quiet boot failed"; }
cat "$out"
traced=$(grep -c '^gicvm: mmio: ' mmio.log)
[ "$traced" = "$(json_get gicvm.exits_mmio "$json")" ] ||
	fail "--debug-mmio logged $traced accesses, the summary counts $(json_get gicvm.exits_mmio "$json")"
grep -q '^gicvm: mmio: write 0x1000000 len 1 <- 0x[0-9a-f]* (uart8250)$' mmio.log ||
	fail "--debug-mmio logged no UART write: $(head -n 3 mmio.log)"
echo "ok: --debug-mmio logged all $traced MMIO exits"
grep -q 'gicvm-agent: cpus=1 ' "$out" || fail "the guest agent did not report"
host_mib=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
echo "a 6144 MiB guest booted in a host of $host_mib MiB"
grep -q 'Booting Linux' "$out" && fail "the early log was printed despite quiet"
uart=$(json_get gicvm.mmio_exits.uart8250 "$json")
chars=$(wc -c < "$out")
echo "UART exits: $uart for $chars bytes of output"
[ -n "$uart" ] && [ "$uart" -lt $((chars * 4 + 500)) ] ||
	fail "$uart UART exits for $chars bytes of output: more was printed than shown"
echo "ok: a quiet boot printed no early log ($uart UART exits)"

# SPDX-License-Identifier: GPL-2.0-only
# Helpers for scenarios: boot a guest, check what it said. Sourced, not run.
set -u

fail() {
	echo "FAILED: $*"
	exit 1
}

# console_lines FILE: a guest's console output, carriage returns dropped,
# each of its kernel's messages on a line of its own. A message the kernel
# prints while a program's line is half written (a stall report on a
# loaded machine) lands in the middle of that line, and the line's rest
# comes after it: the two halves are joined again, so a result line parses
# and a kernel line still starts with its timestamp.
console_lines() {
	tr -d '\r' < "$1" | awk '
	match($0, /\[ *[0-9]+\.[0-9]+\] /) {
		if (RSTART > 1)
			cut = cut substr($0, 1, RSTART - 1)
		print substr($0, RSTART)
		next
	}
	{ print cut $0; cut = "" }
	END { if (cut != "") print cut }'
}

# tidy_console: $out as console_lines gives it.
tidy_console() {
	console_lines "$out" > "$out.txt" && mv "$out.txt" "$out"
}

# The default guest boots with `quiet`: otherwise the kernel's log goes out
# through the 8250 one character (one exit to gicvm) at a time, which under
# emulation takes half of a short guest's run (quiet-boot checks what quiet
# leaves on the UART). Errors still print. GUEST_QUIET= keeps the whole log.
GUEST_QUIET=${GUEST_QUIET-quiet}

# boot_agent NCPUS [gicvm run options...]: boot with the test agent, expect a
# clean power-off, and check the agent's report (the GIC's name in the guest
# is $GIC_EXPECT, by default GICv3). Output in $out, the report in $line.
# stdin is /dev/null: its end must not stop the VM.
boot_agent() {
	ncpus=$1
	shift
	out=$PWD/boot-$$.out
	echo "+ gicvm run -c $ncpus $* -p '$GUEST_QUIET gicvm.agent=boot'"
	"$GICVM" run -c "$ncpus" "$@" -p "$GUEST_QUIET gicvm.agent=boot" > "$out" 2>&1
	rc=$?
	cat "$out"
	[ $rc = 0 ] || fail "gicvm exited with status $rc, not 0 (power-off)"
	line=$(grep 'gicvm-agent: cpus=' "$out" | tail -n 1)
	[ -n "$line" ] || fail "the guest agent did not report"
	echo "$line" | grep -q "cpus=$ncpus " || fail "guest sees the wrong vCPU count: $line"
	echo "$line" | grep -q "gic=${GIC_EXPECT:-GICv3} " ||
		fail "guest's interrupt controller is not ${GIC_EXPECT:-GICv3}: $line"
	delta=$(echo "$line" | sed -n 's/.*timer_delta=\([0-9-]*\).*/\1/p')
	[ -n "$delta" ] && [ "$delta" -gt 0 ] || fail "arch timer interrupts did not advance: $line"
	uart=$(echo "$line" | sed -n 's/.*uart_irqs=\([0-9-]*\).*/\1/p')
	[ -n "$uart" ] && [ "$uart" -gt 0 ] || fail "the console's irqfd interrupt never arrived: $line"
	echo "ok: $line"
}

# agent_value KEY: a number from the agent's report line ($line).
agent_value() {
	echo "$line" | sed -n "s/.* $1=\([0-9-]*\).*/\1/p"
}

# expect_error "DESCRIPTION" "TEXT ON STDERR" gicvm-args...: gicvm must exit 1
# (not crash) and say TEXT on one line of stderr.
expect_error() {
	what=$1 text=$2
	shift 2
	"$GICVM" "$@" > err.out 2> err.txt < /dev/null
	rc=$?
	if [ $rc != 1 ]; then
		cat err.out err.txt
		fail "$what: exit status $rc, expected 1"
	fi
	grep -q -- "$text" err.txt || { cat err.txt; fail "$what: stderr lacks '$text'"; }
	[ "$(wc -l < err.txt)" -le 2 ] || { cat err.txt; fail "$what: more than a line or two of error"; }
	echo "ok: $what -> $(head -n 1 err.txt)"
}

# guest_test NAME [gicvm run options...]: run guest/tests/NAME.sh in the
# default guest (with more kernel parameters from $guest_params, if set),
# expect a clean power-off. Output in $out.
guest_test() {
	name=$1
	shift
	out=$PWD/guest-$name.out
	params="$GUEST_QUIET gicvm.test=$name${guest_params:+ $guest_params}"
	echo "+ gicvm run $* -p '$params'"
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" "$@" -p "$params" \
		> "$out" 2>&1 < /dev/null
	rc=$?
	tidy_console
	grep -v '^\[' "$out"
	[ $rc = 0 ] || fail "gicvm exited with status $rc, not 0 (power-off)"
	grep -q "gicvm-test: $name exited" "$out" || fail "the guest test $name did not finish"
}

# blk_rw_images [MIB]: the two disks guest/tests/blk-rw.sh works on, which
# writes MIB (64) MiB to the first ($guest_params tells it); $host_disk2 is
# the checksum of the second as the host wrote it.
blk_rw_images() {
	blk_mib=${1:-64}
	guest_params="gicvm.blk_mib=$blk_mib"
	dd if=/dev/zero of=disk1.img bs=1M count=80 2>/dev/null
	dd if=/dev/urandom of=disk2.img bs=1M count=16 2>/dev/null
	host_disk2=$(sha < disk2.img)
}

# blk_rw_check [LABEL]: after guest_test blk-rw, what the guest wrote to
# disk 1 is in the image and read back the same, and the guest read disk 2
# as the host wrote it.
blk_rw_check() {
	label=${1:+$1: }
	written=$(result vda_written)
	[ -n "$written" ] || fail "${label}guest reported no checksum"
	[ "$(head -c $((blk_mib << 20)) disk1.img | sha)" = "$written" ] ||
		fail "${label}the image does not hold what the guest wrote"
	[ "$(result vda_readback)" = "$written" ] || {
		blk_errors
		fail "${label}guest read back something else (sha256 $(result vda_readback), not $written)"
	}
	[ "$(result vdb_read)" = "$host_disk2" ] || {
		blk_errors
		fail "${label}guest read something else from disk 2 (sha256 $(result vdb_read), not $host_disk2)"
	}
}

# blk_errors: what the guest's kernel said of its disks' requests, if it
# said anything (a read that failed hashes short; the log's tail shows
# the stats, not these).
blk_errors() {
	tr -d '\r' < "$out" | grep -i 'I/O error\|blk_update\|virtio_blk\|vd[a-z]: ' | head -n 20
}

# result KEY: the value the guest test printed as "GUEST-RESULT KEY=value".
result() {
	tr -d '\r' < "$out" | sed -n "s/^GUEST-RESULT $1=//p" | tail -n 1
}

# vcpu_stat NAME: the KVM vCPU stat NAME summed over the vCPUs, from
# gicvm --stats in $out (0 where there is none).
vcpu_stat() {
	grep "^kvm_vcpu\.vcpu[0-9]*\.$1=" "$out" | awk -F= '{ n += $2 } END { print n + 0 }'
}

# json_number KEY FILE: the first number named KEY in a --json-summary.
json_number() {
	grep -o "\"$1\": [0-9]*" "$2" | head -n 1 | sed 's/.*: //'
}

sha() {
	sha256sum | cut -d' ' -f1
}

# shell_command "COMMAND" [gicvm run options...]: boot the default guest to
# its shell, type COMMAND on gicvm's stdin once the prompt is up, expect a
# clean power-off (COMMAND should end with poweroff -f). Output in $out.
shell_command() {
	cmd=$1
	shift
	out=$PWD/shell.out
	rm -f in "$out"
	mkfifo in
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -p "$GUEST_QUIET" "$@" < in > "$out" 2>&1 &
	pid=$!
	exec 3> in
	# Wait for the prompt ("/ # ", then line editing's cursor query):
	# input sent before the tty is open would be flushed.
	for i in $(seq 1 200); do
		grep -q 'gicvm guest:' "$out" 2>/dev/null && tail -c 40 "$out" | grep -q '/ # ' && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.5
	done
	grep -q 'gicvm guest:' "$out" || { cat "$out"; fail "the guest's shell never started"; }
	echo "$cmd" >&3
	wait $pid
	rc=$?
	exec 3>&-
	tidy_console
	grep -v '^\[' "$out"
	[ $rc = 0 ] || fail "gicvm exited with status $rc, not 0"
}

# json_get PATH FILE: one value of a --json-summary (tests/tools/json-get.c:
# keys joined by '.', a key ending in '*' matches keys it begins); empty if
# the path is not there.
json_get() {
	json-get "$2" "$1" 2>/dev/null
}

# wait_for_line PATTERN PID: until $out has a line grep finds PATTERN in,
# gicvm (PID) ended, or 300 s passed; looked at twice a second.
wait_for_line() {
	for i in $(seq 1 600); do
		grep -q "$1" "$out" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.5
	done
	return 1
}

# wait_for_result KEY[=VALUE] PID: until the guest printed "GUEST-RESULT
# KEY..." in $out (as wait_for_line).
wait_for_result() {
	wait_for_line "GUEST-RESULT $1" "$2"
}

# net_run TAP PREFIX MIB [gicvm run options...]: boot guest/tests/net.sh on
# a tap TAP, a link PREFIX.0/24 with the host at .1 and the guest at .2;
# ping both ways and move MIB MiB each way over HTTP, checksummed by the
# sender and the receiver. Expects a clean power-off. Output in $out,
# gicvm's --json-summary in $json.
net_run() {
	tap=$1 prefix=$2 mib=$3
	shift 3
	guest=$prefix.2
	mkdir -p www
	dd if=/dev/urandom of=www/h2g.bin bs=1M count="$mib" 2>/dev/null
	h2g=$(sha < www/h2g.bin)
	out=$PWD/net-$tap.out json=$PWD/net-$tap.json
	echo "+ gicvm run $*"
	"$GICVM" run -m 512 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" "$@" --json-summary "$json" \
		-p "$GUEST_QUIET gicvm.test=net gicvm.net_prefix=$prefix gicvm.net_mib=$mib" \
		> "$out" 2>&1 < /dev/null &
	pid=$!
	for i in $(seq 1 100); do
		[ -e /sys/class/net/$tap ] && break
		sleep 0.2
	done
	[ -e /sys/class/net/$tap ] || { cat "$out"; fail "gicvm made no tap $tap"; }
	ip addr add $prefix.1/24 dev $tap
	ip link set $tap up
	httpd -p $prefix.1:8080 -h www || fail "cannot start the host's httpd"
	wait_for_result ready $pid
	ping -c 3 -W 2 $guest > ping.out 2>&1 && host_ping=ok || host_ping=failed
	cat ping.out
	wget -q -O g2h.bin http://$guest:8080/g2h.bin || echo "wget from the guest failed"
	g2h=$(sha < g2h.bin)
	touch www/done
	wait $pid
	rc=$?
	console_lines "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
	cat "$out"
	[ $rc = 0 ] || fail "gicvm exited with status $rc"
	[ "$(result ping_host)" = ok ] || fail "the guest could not ping the host"
	[ $host_ping = ok ] || fail "the host could not ping the guest"
	[ "$(result g2h_sent)" = "$g2h" ] || fail "guest->host: the host received other bytes than the guest sent"
	[ "$(wc -c < g2h.bin)" = $((mib << 20)) ] || fail "guest->host: not $mib MiB"
	[ "$(result h2g_received)" = "$h2g" ] || fail "host->guest: the guest received other bytes than the host sent"
	rm -f www/done
}

# kill_program NAME [PARENT]: SIGKILL every process running Debian's NAME
# through the emulated host's wrappers (ld.so NAME ...), or only PARENT's
# descendants (virtiofsd's sandbox forks); fail if there was none.
kill_program() {
	killed=0 parents=" ${2:-} "
	for pass in 1 2 3; do
		for p in /proc/[0-9]*; do
			ppid=$(sed -n 's/^PPid:[[:space:]]*//p' $p/status 2>/dev/null)
			[ -z "${2:-}" ] || case "$parents" in *" $ppid "*) ;; *) continue ;; esac
			case "$(tr '\0' ' ' < $p/cmdline 2>/dev/null)" in
			*/ld.so*/"$1"\ *)
				case "$parents" in *" ${p#/proc/} "*) continue ;; esac
				parents="$parents${p#/proc/} "
				kill -STOP "${p#/proc/}" && killed=$((killed + 1)) ;;
			esac
		done
	done
	for p in $parents; do
		[ "$p" = "${2:-}" ] || kill -KILL $p 2>/dev/null
	done
	[ $killed -gt 0 ] || fail "no $1 process to kill"
}

# finish_output PID: wait for gicvm (PID) and set $rc; $out, without the
# kernel's log lines and carriage returns, printed.
finish_output() {
	wait "$1"
	rc=$?
	console_lines "$out" | grep -v '^\[' > "$out.txt"; mv "$out.txt" "$out"
	cat "$out"
}

# user_net_host: what the user-net scenarios need on the host. passt copies
# the host's address and default route, and the emulated host has no NIC:
# a dummy interface with a documentation address (TEST-NET-1) and a default
# route through it; nothing leaves the emulated host. A 2 MiB h2g.bin ($h2g
# its checksum) served on 127.0.0.1:8083, g2h.bin written from :8082,
# $home uid 1000's home (/dev/kvm is open to all, host-init). Undone at exit. One
# such scenario at a time (they share the interface and the route): a
# second waits for the first's lock.
user_net_host() {
	until mkdir /tmp/gicvm-user-net.lock 2>/dev/null; do sleep 1; done
	giver= taker= home=/tmp/u1000-net
	# Undone however the scenario ends, the lock last.
	cleanup() {
		[ -n "$giver" ] && kill $giver $taker 2>/dev/null
		ip link del unet0 2>/dev/null
		rm -rf $home
		rmdir /tmp/gicvm-user-net.lock
	}
	trap cleanup EXIT
	ip link set lo up
	ip link add unet0 type dummy || fail "cannot make a dummy interface"
	ip addr add 192.0.2.2/24 dev unet0
	ip link set unet0 up
	ip route add default via 192.0.2.1 dev unet0
	dd if=/dev/urandom of=h2g.bin bs=1M count=2 2>/dev/null
	h2g=$(sha < h2g.bin)
	socat -U TCP-LISTEN:8083,bind=127.0.0.1,reuseaddr,fork OPEN:h2g.bin &
	giver=$!
	socat -u TCP-LISTEN:8082,bind=127.0.0.1,reuseaddr,fork OPEN:g2h.bin,creat,trunc &
	taker=$!
	mkdir -p $home && chown 1000:1000 $home
}

# For the snapshot scenarios, whose guest (guest/tests/snapshot.sh) prints
# "GUEST-SNAP n=N up=... blkirq=..." each round.
# snap_line FILE N: the round-N line of FILE, whole ("" if none yet).
snap_line() {
	tr -d '\r' < "$1" | grep "^GUEST-SNAP n=$2 .* blkirq=" | tail -n 1
}
# last_round FILE: the number of the last round FILE began to print.
last_round() {
	tr -d '\r' < "$1" | sed -n 's/^GUEST-SNAP n=\([0-9]*\) .*/\1/p' | tail -n 1
}
# show FILE: its last lines (the kernel's log too: a guest that hung says where).
show() {
	tr -d '\r' < "$1" | tail -n 40
}

# clone_round N PID NAME: wait (as wait_for_line) for round N of the
# restored guest NAME, its console in $out; if it never comes, show that
# console and whether the VM's vCPUs still run (silent_vm), and be false.
clone_round() {
	wait_for_line "GUEST-SNAP n=$1 .* blkirq=" "$2" && return 0
	show "$out"
	silent_vm "$3"
	return 1
}

# silent_vm NAME: for a VM that stopped printing, whether its vCPUs still
# run: their exits and wake-ups, and its devices' interrupts, read twice
# two seconds apart through its control socket.
silent_vm() {
	for _ in 1 2; do
		"$GICVM" stat --name "$1" 2>&1 |
			grep -E '^(kvm_vcpu\.vcpu[0-9]+\.(exits|halt_wakeup|wfi_exit_stat|vgic_mi_eoi)|devices\..*\.interrupts|gicvm\.exits_mmio)=' |
			tr '\n' ' '
		echo
		sleep 2
	done
}
# field LINE KEY: KEY's value in a round's LINE.
field() {
	echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"
}

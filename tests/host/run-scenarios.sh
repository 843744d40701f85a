#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the integration scenarios (tests/scenarios/) where KVM is:
#  - natively on an arm64 machine with a usable /dev/kvm;
#  - otherwise inside the emulated arm64 KVM host: qemu-system-aarch64
#    -M virt,virtualization=on,gic-version=3 -cpu max (TCG), booted once
#    with the project kernel (all scenarios, two at a time); then smaller
#    hosts, two at a time: Debian's stock trixie kernel as the host (the
#    boot scenarios), a GICv2 (gic-version=2: the gicv2 scenario), one with
#    a NIC for gdb-multiarch on this side against gicvm's GDB stub in
#    there, the project kernel in protected mode (pKVM), the kernel
#    series' trap combinations, and the nested test bed (a newer QEMU and
#    kernel, kvm-arm.mode=nested: the nested scenario). A host whose CPU
#    wedges (emulated-host.sh's watch_stalls) is booted once more, with a
#    NOTE line and the wedged CPUs' PCs.
# Prints PASS/FAIL lines and "N passed, N failed"; exits 1 if any failed.
#
# Usage: [VERBOSE=1] run-scenarios.sh [SCENARIO...]   (default: all)
set -u

. "$(dirname "$0")/emulated-host.sh"
logdir=$B/test-logs
results=$logdir/results
mkdir -p "$logdir"
: > "$results"

# Scenarios the stock-kernel host runs: enough to prove gicvm works there.
STOCK_HOST_SCENARIOS="boot-2cpu"
HOST_TIMEOUT=${HOST_TIMEOUT:-1500}
# Scenarios at a time in the emulated host (each guest keeps about one of
# its CPUs busy; two keep this machine's two cores busy).
LANES=${SCENARIO_LANES:-2}

# The scenarios make check runs, in the order run-all.sh gives them.
all_scenarios() {
	sh "$top/tests/scenarios/run-all.sh" --list
}

# Collect PASS/FAIL lines from $1 (a console log) under prefix $2, and
# a FAIL for every expected scenario that never reported.
collect() {
	log=$1 prefix=$2
	shift 2
	tr -d '\r' < "$log" | sed -n "s#^\(PASS\|FAIL\) \(.*\)#\1 $prefix\2#p" >> "$results"
	for n in "$@"; do
		tr -d '\r' < "$log" | grep -q "^\(PASS\|FAIL\) $n\( \|$\)" ||
			echo "FAIL $prefix$n (no result: the host stopped first; see $log)" >> "$results"
	done
	grep -q 'gicvm-host: done' "$log" ||
		echo "FAIL ${prefix}host (the emulated host did not finish; see $log)" >> "$results"
}

# boot_host NAME KERNEL SCENARIOS...: one emulated host, console in a log.
boot_host() {
	name=$1 kernel=$2
	shift 2
	log=$logdir/host-$name.log
	list=$(echo "$@" | tr ' ' ,)
	echo "emulated host '$name': booting $(basename "$kernel") for: $*"
	# A time limit per host on top of each scenario's own.
	QEMU_TIMEOUT=$HOST_TIMEOUT boot_watched "$log" "$kernel" \
		"quiet gicvm.scenarios=$list gicvm.lanes=$LANES ${VERBOSE:+gicvm.verbose=1} ${HOST_ARGS:-}"
	rc=$?
	wedge_note "'$name'" "$log" "$results"
	if host_wedged "$log"; then
		echo "emulated host '$name' wedged again and was stopped" >> "$log"
	elif ! grep -q 'gicvm-host: done' "$log"; then
		echo "emulated host '$name' stopped early (status $rc; time limit ${HOST_TIMEOUT}s)" >> "$log"
	fi
	[ "$name" = project ] && prefix= || prefix=$name-host/
	collect "$log" "$prefix" "$@"
	# Show the failures' details (run-all.sh printed them under the line),
	# and with VERBOSE=1 the end of every scenario's log.
	tr -d '\r' < "$log" | grep '^    [|:]' || true
	show_stall "$log"
}

# The kernel series' trap parameters: vgic-traps in a host booted with
# combinations of kvm-arm.vgic_v3_{group0,group1,common,dir}_trap (bit 0 to
# 3 of a combination; all-off is the main run). make check boots the
# common-group trap alone ($TRAP_COMBOS: what a CPU without TDS gets), and
# the DIR trap alone (the series' new paths) in protected mode (the pkvm
# job), to stay within its time budget; make reliability all 15, none in
# protected mode.
TRAP_COMBOS=${TRAP_COMBOS:-4}
[ "$TRAP_COMBOS" = all ] && TRAP_COMBOS=$(seq 1 15)

# trap_host COMBO: the vgic-traps host of one combination.
trap_host() {
	args=
	i=0
	for t in group0 group1 common dir; do
		args="$args kvm-arm.vgic_v3_${t}_trap=$(( ($1 >> i) & 1 ))"
		i=$((i + 1))
	done
	name=${2:-}traps-$(echo "$args" | sed 's/[^=]*=\([01]\)/\1/g; s/ //g')
	HOST_ARGS="$args ${3:-} gicvm.trap_matrix=1" boot_host "$name" "$B/kernel/Image" vgic-traps
}

# pkvm_host: vgic-traps under the DIR trap in a host in protected mode
# (pKVM), where the hyp runs its own copy of each vCPU and the fast path's
# counts must come back from it; its 2-vCPU guest boots to the test agent
# without pointer authentication, which 6.12 cannot give it there. The
# results prove nothing about pKVM if KVM came up otherwise: checked.
pkvm_host() {
	trap_host 8 pkvm- kvm-arm.mode=protected
	if tr -d '\r' < "$logdir/host-pkvm-traps-0001.log" |
		grep -q 'gicvm-host: .*Protected [nh]VHE mode initialized'; then
		echo "PASS pkvm-traps-0001-host/protected-mode" >> "$results"
	else
		echo "FAIL pkvm-traps-0001-host/protected-mode (KVM did not come up in protected mode)" >> "$results"
	fi
}

# nested_host [SCENARIO...]: the nested scenario (or those named) in a
# host whose guests can have EL2: the nested test bed's QEMU (FEAT_NV2) and
# kernel (scripts/nested-bed.sh), booted with kvm-arm.mode=nested. The result says nothing about nesting if
# KVM came up otherwise: checked.
nested_host() {
	bed=$top/scripts/nested-bed.sh
	set -- ${*:-nested}
	if ! kernel=$("$bed" kernel) || ! qemu=$("$bed" qemu); then
		for n in "$@"; do
			echo "FAIL nested-host/$n (no nested test bed: run 'make deps')" >> "$results"
		done
		return
	fi
	QEMU_COMMAND=$qemu HOST_ARGS=kvm-arm.mode=nested boot_host nested "$kernel" "$@"
	if tr -d '\r' < "$logdir/host-nested.log" | grep -q 'gicvm-host: .*NV2 mode initialized'; then
		echo "PASS nested-host/nv2-mode" >> "$results"
	else
		echo "FAIL nested-host/nv2-mode (KVM did not come up with nested virtualization)" >> "$results"
	fi
}

# run_job NAME: one of the small hosts after the main one, each running
# one guest at a time (about one of this machine's cores busy).
run_job() {
	case $1 in
	debian) boot_host debian "$stock" $STOCK_HOST_SCENARIOS ;;
	gicv2) QEMU_GIC=2 boot_host gicv2 "$B/kernel/Image" gicv2 ;;
	pkvm) pkvm_host ;;
	nested) nested_host ;;
	gdb)
		echo "emulated host 'gdb': gdb-multiarch here against gicvm --gdb in there"
		RESULTS=$results "$top/tests/host/gdb-test.sh" ;;
	traps*) trap_host "${1#traps}" ;;
	esac
}

# host_jobs JOB...: the jobs two at a time (one per core of this
# machine), each started as soon as one of the two is free, so no core
# waits for a slow job's partner; their output in order afterwards.
# Longest first keeps the end short.
host_jobs() {
	claims=$(mktemp -d)
	for worker in 1 2; do
		for job in "$@"; do
			mkdir "$claims/$job" 2> /dev/null || continue
			(run_job "$job") > "$claims/$job/out" 2>&1
		done &
	done
	wait
	for job in "$@"; do
		cat "$claims/$job/out"
	done
	rm -rf "$claims"
}

trap_jobs() {
	for combo in $TRAP_COMBOS; do
		echo "traps$combo"
	done
}

# --nested SCENARIO...: only those, in the nested host (make reliability).
if [ "${1:-}" = --nested ]; then
	shift
	build_host_initramfs "$(stock_image)" || exit 1
	nested_host "$@"
	print_results "$results"
	exit $?
fi

# --trap-matrix: only the trap matrix (make reliability: TRAP_COMBOS=all).
if [ "${1:-}" = --trap-matrix ]; then
	build_host_initramfs "$(stock_image)" || exit 1
	host_jobs $(trap_jobs)
	print_results "$results"
	exit $?
fi
scenarios=${*:-$(all_scenarios)}
stock=$(stock_image) || exit 1

if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
	echo "native arm64 with /dev/kvm: running scenarios without emulation"
	PATH=$B/tools:$PATH GICVM=$B/gicvm GICVM_ASAN=$B/asan/gicvm GUEST_IMAGE=$B/kernel/Image \
		GUEST_INITRD=$B/guest/initramfs.cpio.gz \
		GUEST_TEST_DIR=$B/guest \
		STOCK_IMAGE=$stock SCENARIO_LOGS=$logdir \
		sh "$top/tests/scenarios/run-all.sh" $scenarios | tee "$logdir/native.log"
	echo "gicvm-host: done" >> "$logdir/native.log"
	collect "$logdir/native.log" "" $scenarios
else
	build_host_initramfs "$stock" || exit 1
	boot_host project "$B/kernel/Image" $scenarios
	if [ -z "${*:-}" ]; then
		host_jobs nested gicv2 gdb debian pkvm $(trap_jobs)
	fi
fi

print_results "$results"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-selftests: the KVM selftests the kernel series (kernel/patches/)
# is judged by (kernel/selftests.sh builds them), run in the emulated host
# booted with the project kernel three times: KVM in VHE mode, with
# kvm-arm.mode=nvhe and with kvm-arm.mode=protected (pKVM). Natively on
# arm64 with /dev/kvm, in the running kernel.
# Prints PASS/FAIL lines and "N passed, N failed"; exits 1 if any failed.
set -u
. "$(dirname "$0")/emulated-host.sh"
logdir=$B/test-logs
mkdir -p "$logdir"
# SELFTESTS_DIR and HOST_KERNEL may name other builds (e.g. to run the
# series' tests on the stock kernel).
SELFTESTS_DIR=${SELFTESTS_DIR:-$("$top/kernel/selftests.sh")} || exit 1
HOST_KERNEL=${HOST_KERNEL:-$B/kernel/Image}
results=$logdir/selftests.results
: > "$results"

if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
	sh "$top/kernel/run-selftests.sh" "$SELFTESTS_DIR" | tee "$logdir/selftests-native.log"
	grep '^\(PASS\|FAIL\) ' "$logdir/selftests-native.log" >> "$results"
else
	stock=$(stock_image) || exit 1
	build_host_initramfs "$stock" || exit 1
	# The hosts at once: each runs one test at a time. QEMU's "max" CPU
	# has ICH_VTR_EL2.TDS (gicvm.tds=1) and 4 list registers (gicvm.nr_lrs).
	for mode in vhe nvhe protected; do
		args="quiet gicvm.selftests gicvm.tds=1 gicvm.nr_lrs=4 ${SELFTEST_HOST_ARGS:-}"
		[ $mode = vhe ] || args="$args kvm-arm.mode=$mode"
		QEMU_TIMEOUT=1800 boot_watched "$logdir/selftests-$mode.log" "$HOST_KERNEL" "$args" &
	done
	wait
	for mode in vhe nvhe protected; do
		log=$logdir/selftests-$mode.log
		echo "emulated host: KVM selftests, $mode"
		wedge_note "$mode" "$log" "$results"
		tr -d '\r' < "$log" | grep '^kernel-selftests:\|^NOTE \|^    [|:] '
		show_stall "$log"
		tr -d '\r' < "$log" | grep '^\(PASS\|FAIL\) ' >> "$results"
		grep -q 'gicvm-host: done' "$log" ||
			echo "FAIL $mode/host (the emulated host did not finish; see $log)" >> "$results"
	done
fi
print_results "$results"

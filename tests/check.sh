#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make check: the native unit tests, the host kernel series (kernel/), then
# the scenarios (emulated host or native KVM), then one closing line over
# all. Exits 1 if anything failed.
# Usage: check.sh UNIT_TEST_BINARY...
top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/test-logs
mkdir -p "$logs"

# Where the time goes, for keeping make check short.
t0=$(date +%s)
phase() { echo "check: $1 took $(( $(date +%s) - t0 )) s"; t0=$(date +%s); }

"$top/tests/unit/run.sh" "$@" > "$logs/unit.out" 2>&1
unit_rc=$?
phase "unit tests" >> "$logs/unit.out"
# A short fuzzing run: CHECK_FUZZ="SECONDS TARGET..." (its lines count with the unit tests).
if [ -n "${CHECK_FUZZ:-}" ]; then
	FUZZ_JOBS=3 "$top/tests/fuzz/run.sh" $CHECK_FUZZ >> "$logs/unit.out" 2>&1 || unit_rc=1
	phase "fuzzing" >> "$logs/unit.out"
fi
cat "$logs/unit.out"
echo
# The host kernel series: checkpatch, apply, W=1, then the KVM selftests
# in the emulated host booted with the patched kernel, VHE, nVHE and
# protected; arch_timer for 2 iterations, not its 5, for the time budget
# (make kernel-selftests runs all 5).
kdir=$("$top/kernel/build.sh" | tail -n 1)
{
	"$top/kernel/check-series.sh" "$kdir"
	SELFTEST_HOST_ARGS="gicvm.arch_timer_iterations=2 ${SELFTEST_HOST_ARGS:-}" \
		"$top/tests/host/kernel-selftests.sh"
} > "$logs/kernel.out" 2>&1
kernel_rc=$?
phase "kernel series" >> "$logs/kernel.out"
cat "$logs/kernel.out"
echo
"$top/tests/host/run-scenarios.sh" > "$logs/scenarios.out" 2>&1
scen_rc=$?
phase "scenarios" >> "$logs/scenarios.out"
cat "$logs/scenarios.out"

count() { grep -c "^$1 " "$logs/unit.out" "$logs/kernel.out" "$logs/results" 2>/dev/null | awk -F: '{ n += $2 } END { print n + 0 }'; }
passed=$(count PASS)
failed=$(count FAIL)
[ $unit_rc = 0 ] && [ $kernel_rc = 0 ] && [ $scen_rc = 0 ] || [ "$failed" -gt 0 ] || failed=1
echo
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]

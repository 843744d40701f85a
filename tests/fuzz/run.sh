#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run each libFuzzer target for SECONDS, starting from its corpus in the
# tree (new inputs go to build/, the tree is not touched). A crash is a FAIL
# with the reproducer's path; prints the executions each target made.
# $FUZZ_JOBS targets run at once (default 1; make check uses 3).
# Usage: run.sh SECONDS TARGET_BINARY...
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${FUZZ_JOBS:-1}

# fuzz_one TARGET: its PASS/FAIL line (and a failure's log) in build/fuzz-NAME.result
fuzz_one() {
	name=$(basename "$1")
	corpus=$top/build/fuzz-corpus/$name
	mkdir -p "$corpus" "$top/build/fuzz-crashes"
	log=$top/build/fuzz-$name.log
	seeds=$top/tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	# -close_fd_mask=3: the target's own output (error messages it is fed
	# to print) is dropped; libFuzzer's and the sanitizers' reports are not.
	"$1" -max_total_time="$secs" -print_final_stats=1 -close_fd_mask=3 \
		-artifact_prefix="$top/build/fuzz-crashes/$name-" \
		"$corpus" $seeds > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc = 0 ]; then
		echo "PASS fuzz/$name (${execs:-?} executions in ${secs}s)"
	else
		echo "FAIL fuzz/$name (exit $rc); the end of its log:"
		tail -n 30 "$log" | sed 's/^/    | /'
	fi > "$top/build/fuzz-$name.result"
}

# run.sh --one SECONDS TARGET: one target (what the pool below runs).
if [ "$1" = --one ]; then
	secs=$2
	fuzz_one "$3"
	exit 0
fi
secs=$1
shift

# A pool of $jobs: a target starts as soon as another ends.
for t in "$@"; do
	rm -f "$top/build/fuzz-$(basename "$t").result"
done
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 "$0" --one "$secs"
for t in "$@"; do
	cat "$top/build/fuzz-$(basename "$t").result"
done
for t in "$@"; do
	grep -q '^FAIL' "$top/build/fuzz-$(basename "$t").result" && exit 1
done
exit 0

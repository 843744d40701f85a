#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run each libFuzzer target for SECONDS, starting from its corpus in the
# tree (new inputs go to build/, the tree is not touched). A crash is a FAIL
# with the reproducer's path; prints the executions each target made.
# Usage: run.sh SECONDS TARGET_BINARY...
secs=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
for t in "$@"; do
	name=$(basename "$t")
	corpus=$top/build/fuzz-corpus/$name
	mkdir -p "$corpus" "$top/build/fuzz-crashes"
	log=$top/build/fuzz-$name.log
	seeds=$top/tests/fuzz/corpus/$name
	[ -d "$seeds" ] || seeds=
	"$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$top/build/fuzz-crashes/$name-" \
		"$corpus" $seeds > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc = 0 ]; then
		echo "PASS fuzz/$name (${execs:-?} executions in ${secs}s)"
	else
		echo "FAIL fuzz/$name (exit $rc); the end of its log:"
		tail -n 30 "$log" | sed 's/^/    | /'
	fi
done

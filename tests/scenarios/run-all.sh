#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run scenarios, in the emulated host or natively on an arm64 machine with
# /dev/kvm: run-all.sh all | NAME...; run-all.sh --list prints what "all" runs.
# Each scenario is NAME.sh beside this file; its "# timeout: SECONDS" line
# bounds it. Prints "PASS NAME" or "FAIL NAME" plus the end of its log
# (of passing ones too with SCENARIO_VERBOSE=1).
# SCENARIO_LANES=N runs N scenarios at a time: each lane takes the next
# scenario nobody has claimed, so lanes balance themselves. A guest keeps
# about one CPU busy, so the emulated host (4 CPUs on 2 cores) runs two.
# Needs GICVM, GUEST_IMAGE, GUEST_INITRD, GUEST_TEST_DIR and STOCK_IMAGE.
dir=$(cd "$(dirname "$0")" && pwd)

# What "all" runs: those with the longest bound first (they are the long
# ones), so that no lane is left with a long scenario while the others have
# finished. Scenarios driven from outside (they say by what) run only when
# named.
all_scenarios() {
	for f in "$dir"/*.sh; do
		n=$(basename "$f" .sh)
		case $n in run-all|lib) continue ;; esac
		grep -q '^# driven-by:' "$f" && continue
		echo "$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$f") $n"
	done | sort -s -k1,1nr | cut -d' ' -f2
}
if [ "${1:-}" = --list ]; then
	all_scenarios
	exit 0
fi

logs=${SCENARIO_LOGS:-/tmp/scenario-logs}
mkdir -p "$logs"
[ "${1:-all}" = all ] && set -- $(all_scenarios)

# run_one NAME: its PASS/FAIL line (and log tail) on stdout.
run_one() {
	name=$1
	f=$dir/$name.sh
	if [ ! -f "$f" ]; then
		echo "FAIL $name (no such scenario)"
		return 0
	fi
	t=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$f")
	start=$(date +%s)
	# Each scenario gets a fresh working directory.
	work=$(mktemp -d)
	(cd "$work" && exec timeout "${t:-300}" sh "$f") > "$logs/$name.log" 2>&1 < /dev/null
	rc=$?
	secs=$(( $(date +%s) - start ))
	rm -rf "$work"
	if [ $rc = 0 ]; then
		echo "PASS $name (${secs}s)"
		[ -n "${SCENARIO_VERBOSE:-}" ] && grep -v '^\[' "$logs/$name.log" | tail -n 40 | sed 's/^/    : /' 
	else
		[ $rc = 143 ] && echo "scenario timed out after ${t:-300}s" >> "$logs/$name.log"
		echo "FAIL $name (exit $rc, ${secs}s); the end of its log:"
		tail -n 60 "$logs/$name.log" | sed 's/^/    | /'
	fi
}

claims=$(mktemp -d)
# lane: run every scenario not yet claimed (mkdir is the atomic claim); a
# scenario's whole result is printed in one write, so lanes do not mix.
lane() {
	for name in "$@"; do
		mkdir "$claims/$name" 2> /dev/null || continue
		run_one "$name" > "$claims/$name/result"
		cat "$claims/$name/result"
	done
}

i=0
while [ $i -lt "${SCENARIO_LANES:-1}" ]; do
	lane "$@" &
	i=$((i + 1))
done
wait
rm -rf "$claims"

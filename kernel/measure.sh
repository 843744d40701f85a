#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-measure: what the series costs an idle guest, from QEMU's
# GICv3 trace events in the emulated host. The host, patched and then stock
# (GICVM_SERIES_UPTO=0), runs a 2-vCPU default guest that idles
# (tests/scenarios/vgic-idle.sh), which marks a window of MEASURE_SECONDS
# (10) on the console. QEMU logs its gicv3_ich_* events; when the marks
# show, this script switches QEMU's log file through its monitor, so one
# file holds exactly the window's events: ICH_HCR_EL2 writes and all ICH_*
# accesses, and both per guest exit. An idle guest exits mostly for its
# timer, with that interrupt in flight; an exit with nothing in flight
# touches no ICH_* register on VHE (the fast path). The series must keep
# both: the patched kernel may not do more per exit than the stock one.
# Counts only: time means nothing under TCG.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/host/emulated-host.sh"
logdir=$B/test-logs/measure
mkdir -p "$logdir"
secs=${MEASURE_SECONDS:-10}

stock=$(stock_image) || exit 1
unpatched=$(GICVM_SERIES_UPTO=0 "$top/kernel/build.sh" | tail -n 1)/Image || exit 1
build_host_initramfs "$stock" || exit 1

# switch_log_at MARK FILE: when MARK is on the console ($log), QEMU logs
# to FILE from then on.
switch_log_at() {
	until tr -d '\r' < "$log" | grep -q "$1"; do
		kill -0 $qemu 2> /dev/null || return 1
		sleep 0.2
	done
	echo "logfile $2" >&3
}

# run NAME IMAGE: "ICH_HCR-writes all-ICH exits" into $logdir/NAME.counts.
run() {
	log=$logdir/$1.log
	mon=$logdir/$1.monitor
	rm -f "$logdir/$1"-*.trace "$mon.in" "$mon.out"
	mkfifo "$mon.in" "$mon.out"
	: > "$log"
	QEMU_EXTRA="-trace gicv3_ich_* -D $logdir/$1-before.trace -monitor pipe:$mon" \
		QEMU_TIMEOUT=600 qemu_host "$2" \
		"quiet gicvm.scenarios=vgic-idle gicvm.idle_for=$secs" < /dev/null > "$log" 2>&1 &
	qemu=$!
	# Read-write opens of a fifo do not wait for the other end (QEMU's
	# own are read-write too): nothing hangs if QEMU never starts.
	cat 0<> "$mon.out" > "$mon.txt" &
	drain=$!
	exec 3<> "$mon.in"
	switch_log_at 'vgic-idle: window open' "$logdir/$1-window.trace" &&
		switch_log_at 'vgic-idle: window closed' "$logdir/$1-after.trace"
	wait $qemu
	exec 3>&-
	kill $drain
	rm -f "$mon.in" "$mon.out"
	tr -d '\r' < "$log" | grep -q '^PASS vgic-idle' ||
		{ echo "measure: the $1 host's idle guest did not run (see $log)"; exit 1; }
	exits=$(tr -d '\r' < "$log" | sed -n 's/.*window closed: \([0-9]*\) guest exits.*/\1/p')
	trace=$logdir/$1-window.trace
	[ -f "$trace" ] && [ -n "$exits" ] ||
		{ echo "measure: no window in the $1 host's run (see $log)"; exit 1; }
	echo "$(grep -c 'gicv3_ich_hcr_write' "$trace") $(grep -c 'gicv3_ich_' "$trace") $exits" \
		> "$logdir/$1.counts"
	rm -f "$logdir/$1"-*.trace
}

run patched "$B/kernel/Image"
run unpatched "$unpatched"

# per_exit N EXITS: N per exit, 2 decimals (awk: sh has no fractions).
per_exit() { awk -v n="$1" -v e="$2" 'BEGIN { printf "%.2f", e ? n / e : 0 }'; }

echo "ICH_* accesses in the emulated host in $secs s of a 2-vCPU guest idling"
echo "(QEMU gicv3_ich_* trace events between the guest's marks):"
printf '%-10s %8s %15s %10s %12s %10s\n' kernel exits "ICH_HCR writes" "per exit" "all ICH_*" "per exit"
for k in patched unpatched; do
	set -- $(cat "$logdir/$k.counts")
	printf '%-10s %8d %15d %10s %12d %10s\n' $k $3 $1 "$(per_exit $1 $3)" $2 "$(per_exit $2 $3)"
done
# all_per_exit NAME: all ICH_* accesses per exit in NAME's window.
all_per_exit() { set -- $(cat "$logdir/$1.counts"); per_exit $2 $3; }
patched_all=$(all_per_exit patched)
unpatched_all=$(all_per_exit unpatched)
# Per exit, the series may not make more ICH_* accesses than the stock
# kernel: a tenth more is allowed for run-to-run noise.
if awk -v p="$patched_all" -v u="$unpatched_all" 'BEGIN { exit !(p > u * 1.1 + 0.05) }'; then
	echo "measure: FAIL: more ICH_* accesses per idle exit with the series than without ($patched_all vs $unpatched_all per exit)"
	exit 1
fi
echo "measure: no more ICH_* accesses per idle exit with the series than without ($patched_all vs $unpatched_all per exit)"

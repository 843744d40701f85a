#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-measure: what the series costs an idle guest, from QEMU's
# GICv3 trace events in the emulated host. The host, patched and then
# stock (GICVM_SERIES_UPTO=0), runs a 2-vCPU default guest that idles for 2
# and then 12 seconds (tests/scenarios/vgic-idle.sh); the difference between
# the two runs is what 10 idle seconds cost: ICH_HCR_EL2 writes and all
# ICH_* accesses. An exit with nothing in flight must touch no ICH_*
# register, patched as unpatched (the VHE fast path). Counts only: time
# means nothing under TCG.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/host/emulated-host.sh"
logdir=$B/test-logs/measure
mkdir -p "$logdir"

stock=$(stock_image) || exit 1
unpatched=$(GICVM_SERIES_UPTO=0 "$top/kernel/build.sh" | tail -n 1)/Image || exit 1
build_host_initramfs "$stock" || exit 1

# run NAME IMAGE SECONDS: events counted into $logdir/NAME-SECONDS.counts
run() {
	trace=$logdir/$1-$3.trace
	rm -f "$trace"
	QEMU_EXTRA="-trace gicv3_ich_* -D $trace" QEMU_TIMEOUT=600 \
		qemu_host "$2" "quiet gicvm.scenarios=vgic-idle gicvm.idle_for=$3" \
		< /dev/null > "$logdir/$1-$3.log" 2>&1
	tr -d '\r' < "$logdir/$1-$3.log" | grep -q '^PASS vgic-idle' ||
		{ echo "measure: the $1 host's idle guest did not run (see $logdir/$1-$3.log)"; exit 1; }
	hcr=$(grep -c 'gicv3_ich_hcr_write' "$trace")
	all=$(grep -c 'gicv3_ich_' "$trace")
	echo "$hcr $all" > "$logdir/$1-$3.counts"
	rm -f "$trace"
}

for k in patched unpatched; do
	img=$B/kernel/Image
	[ $k = unpatched ] && img=$unpatched
	run $k "$img" 2
	run $k "$img" 12
done

echo "ICH_* accesses in the emulated host over 10 idle seconds of a 2-vCPU guest"
echo "(12 s run minus 2 s run; QEMU gicv3_ich_* trace events):"
printf '%-10s %14s %14s\n' kernel "ICH_HCR writes" "all ICH_*"
for k in patched unpatched; do
	set -- $(cat "$logdir/$k-2.counts") $(cat "$logdir/$k-12.counts")
	printf '%-10s %14d %14d\n' $k $(($3 - $1)) $(($4 - $2))
done

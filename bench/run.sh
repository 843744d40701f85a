#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: run bench/in-host.sh where KVM is (natively on an arm64
# machine with /dev/kvm, otherwise in the emulated arm64 KVM host, as the
# scenarios do), keep its BENCH-RESULT lines in build/bench/raw.jsonl, and have
# bench/report.py write bench/results.json, the plots and a table.
#
# Usage: [BENCH_REPEATS=5] bench/run.sh [FIGURE...]
#        (boot irq blk net rootfs snapshot size nested; nested runs in the
#        nested test bed's host, scripts/nested-bed.sh, the others in the main one)
# Figures named are merged into the results.json there, beside those of
# the last full run (each with its own NAME_measured: date, version,
# repeats); with none named, results.json and the plots are written anew.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/host/emulated-host.sh"
out=$top/bench
logdir=$B/bench
reps=${BENCH_REPEATS:-5}
figures=${*:-boot irq blk net rootfs snapshot size nested}
mkdir -p "$logdir"
log=$logdir/host.log
# What is measured is what was built now, not what the tree holds at the end.
version=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)

case $reps in
''|*[!0-9]*|0) echo "bench: BENCH_REPEATS must be a positive number" >&2; exit 1 ;;
esac

if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
	where=native
	hosts=1
	echo "bench: native arm64 with /dev/kvm; $reps repeats of: $figures"
	PATH=$B/guest:$PATH GICVM=$B/gicvm GUEST_IMAGE=$B/kernel/Image \
		GUEST_INITRD=$B/guest/initramfs.cpio.gz \
		sh "$top/bench/in-host.sh" "$reps" $figures > "$log" 2>&1
else
	where=emulated
	stock=$(stock_image) || exit 1
	build_host_initramfs "$stock" || exit 1
	main=$(echo " $figures " | sed 's/ nested / /g; s/^ *//; s/ *$//')
	: > "$log"
	hosts=0
	if [ -n "$main" ]; then
		hosts=$((hosts + 1))
		echo "bench: in the emulated host (TCG); $reps repeats of: $main; log in $log"
		QEMU_TIMEOUT=${BENCH_TIMEOUT:-5400} qemu_host "$B/kernel/Image" \
			"quiet gicvm.bench=$(echo "$reps $main" | tr ' ' ,)" < /dev/null > "$log" 2>&1
	fi
	# The nested figure in the nested test bed's host (kvm-arm.mode=nested).
	case " $figures " in *" nested "*)
		echo "bench: in the nested test bed's host; $reps repeats of: nested"
		hosts=$((hosts + 1))
		bed=$top/scripts/nested-bed.sh
		kernel=$("$bed" kernel) && qemu=$("$bed" qemu) || exit 1
		QEMU_COMMAND=$qemu QEMU_TIMEOUT=${BENCH_TIMEOUT:-5400} qemu_host "$kernel" \
			"quiet kvm-arm.mode=nested gicvm.bench=$reps,nested" < /dev/null >> "$log" 2>&1
		;;
	esac
fi
tr -d '\r' < "$log" | grep '^bench: ' | grep -v '^bench: [a-z]*$' >&2
# Every host that ran said it was done.
[ "$(tr -d '\r' < "$log" | grep -c '^bench: done')" -ge "$hosts" ] ||
	{ echo "bench: the run did not finish; see $log" >&2; exit 1; }
tr -d "\r" < "$log" | sed -n "s/^BENCH-RESULT //p" > "$logdir/raw.jsonl"

# The binary's sections as well as its size (-g makes the file much larger).
size_tool=${CROSS_COMPILE-aarch64-linux-gnu-}size
[ "$where" = native ] && size_tool=size
$size_tool "$B/gicvm" | awk 'NR == 2 {
	printf "{\"figure\": \"size\", \"config\": {\"binary\": \"gicvm-sections\"}, \"guest\": {\"text\": %d, \"data\": %d, \"bss\": %d}, \"gicvm\": {}}\n", $1, $2, $3
}' >> "$logdir/raw.jsonl"

/usr/bin/python3 "$top/bench/report.py" --where "$where" --repeats "$reps" \
	--version "$version" ${*:+--merge "$(echo "$*" | tr ' ' ,)"} \
	"$logdir/raw.jsonl" "$out"

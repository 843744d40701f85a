#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-bisect: every prefix of the series builds. In one tree of
# Debian's linux-source-6.12 (gicvm.config, as kernel/build.sh), apply the
# patches one at a time and after each build the Image with W=1 over
# arch/arm64/kvm/, and the selftests the series changes or adds (vgic_init,
# vgic_irq, vgic_lpi_lrs once there). Incremental, so the first build takes
# the usual minutes and each further one a few. Prints one PASS/FAIL line
# per prefix and a summary; the build logs stay in
# $GICVM_CACHE/bisect-build/logs.
set -u

here=$(cd "$(dirname "$0")" && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
jobs=${JOBS:-$(nproc)}
cross=
[ "$(uname -m)" = aarch64 ] || cross=aarch64-linux-gnu-
. "$here/source.sh"

work=$cache/bisect-build
src=$work/linux-source-6.12
logs=$work/logs
rm -rf "$work"
mkdir -p "$logs"
echo "bisect: unpacking linux-source $srcver" >&2
unpack_source "$work" || exit 1
make -C "$src" ARCH=arm64 CROSS_COMPILE=$cross \
	KCONFIG_ALLCONFIG="$here/gicvm.config" allnoconfig >/dev/null || exit 1
make -C "$src" ARCH=arm64 CROSS_COMPILE=$cross headers >/dev/null 2>&1 || exit 1

# build_prefix N NAME: build what the tree holds now; a PASS/FAIL line.
build_prefix() {
	log=$logs/$1.log
	start=$(date +%s)
	tests="$work/st/aarch64/vgic_irq $work/st/aarch64/vgic_init"
	# vgic_lpi_lrs from the prefix that adds it.
	[ -f "$src/tools/testing/selftests/kvm/aarch64/vgic_lpi_lrs.c" ] &&
		tests="$tests $work/st/aarch64/vgic_lpi_lrs"
	if make -C "$src" ARCH=arm64 CROSS_COMPILE=$cross -j"$jobs" W=1 Image > "$log" 2>&1 &&
		make -C "$src/tools/testing/selftests/kvm" ARCH=arm64 CROSS_COMPILE=$cross \
			LDFLAGS=-static OUTPUT="$work/st" -j"$jobs" $tests >> "$log" 2>&1; then
		echo "PASS kernel-bisect/$1 $2 ($(( $(date +%s) - start )) s)"
	else
		echo "FAIL kernel-bisect/$1 $2 (see $log)"
		grep -m 5 'error' "$log" | sed 's/^/    | /'
	fi
}

results=$work/results
build_prefix 00 "(stock)" | tee "$results"
i=0
for p in $(series_files); do
	i=$((i + 1))
	n=$(printf %02d $i)
	git -C "$src" apply "$here/patches/$p" || {
		echo "FAIL kernel-bisect/$n $p (does not apply)" | tee -a "$results"
		break
	}
	build_prefix "$n" "$p" | tee -a "$results"
done
echo "$(grep -c '^PASS' "$results") prefixes built, $(grep -c '^FAIL' "$results") failed"
! grep -q '^FAIL' "$results"

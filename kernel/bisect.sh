#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-bisect: every prefix of the series builds and passes the
# selftests it has. In one tree of Debian's linux-source-6.12 (gicvm.config,
# as kernel/build.sh), apply the patches one at a time and after each build
# the Image with W=1 over arch/arm64/kvm/ and the KVM selftests, then boot
# that Image in the emulated host in VHE, nVHE and protected mode and run
# the selftests there (tests/host/kernel-selftests.sh). Every test must
# pass, except the checks of what a later patch brings: vgic_lpi_lrs and
# vgic_irq -a before their selftests exist, the tracepoints before they
# do, the ICV_DIR_EL1 trapping capability before its backport. Stock (no
# patch) is only built: its vgic_init needs patch 1. Incremental, so the
# first build takes the usual minutes and each further one a few, plus a
# minute or two of selftests. Prints PASS/FAIL lines per prefix and a
# summary; the logs stay in $GICVM_CACHE/bisect-build/logs.
# Usage: bisect.sh [--build-only]
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
run_tests=1
[ "${1:-}" = --build-only ] && run_tests=
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

# The selftests kernel/selftests.sh builds, where the prefix has them.
TESTS=$("$here/selftests.sh" --tests)

# build_prefix N NAME: build what the tree holds now; a PASS/FAIL line.
# The selftests are all built (the split arch_timer links right only so),
# and those of $TESTS the prefix has are copied to $work/bin.
build_prefix() {
	log=$logs/$1.log
	start=$(date +%s)
	if make -C "$src" ARCH=arm64 CROSS_COMPILE=$cross -j"$jobs" W=1 Image > "$log" 2>&1 &&
		make -C "$src/tools/testing/selftests/kvm" ARCH=arm64 CROSS_COMPILE=$cross \
			LDFLAGS=-static OUTPUT="$work/st" -j"$jobs" >> "$log" 2>&1; then
		rm -rf "$work/bin" && mkdir -p "$work/bin"
		for t in $TESTS; do
			[ -x "$work/st/$t" ] && cp "$work/st/$t" "$work/bin/"
		done
		echo "PASS kernel-bisect/$1 $2 ($(( $(date +%s) - start )) s)"
	else
		echo "FAIL kernel-bisect/$1 $2 (see $log)"
		grep -m 5 'error' "$log" | sed 's/^/    | /'
		return 1
	fi
}

# expected_absent: the selftest checks a later patch brings, as a pattern
# of the names run-selftests.sh gives them.
expected_absent() {
	vgic_irq=$src/tools/testing/selftests/kvm/aarch64/vgic_irq.c
	absent=
	[ -f "$src/tools/testing/selftests/kvm/aarch64/vgic_lpi_lrs.c" ] ||
		absent="$absent|vgic_lpi_lrs"
	grep -q 'asym' "$vgic_irq" ||
		absent="$absent|vgic_irq/asymmetric"
	grep -q guest_code_timer "$vgic_irq" ||
		absent="$absent|vgic_irq/timer"
	grep -q guest_code_group0 "$vgic_irq" ||
		absent="$absent|vgic_irq/group0"
	grep -q vgic_flush_lrs "$src/arch/arm64/kvm/vgic/trace.h" ||
		absent="$absent|tracepoints"
	grep -q HAS_ICH_HCR_EL2_TDIR "$src/arch/arm64/tools/cpucaps" ||
		absent="$absent|icv-dir-trapping"
	echo "${absent#|}"
}

# test_prefix N: the prefix's selftests in the emulated host, VHE, nVHE and
# protected; one PASS/FAIL line, the failures under it.
test_prefix() {
	log=$logs/$1.selftests.log
	start=$(date +%s)
	SELFTESTS_DIR=$work/bin HOST_KERNEL=$src/arch/arm64/boot/Image \
		SELFTEST_HOST_ARGS=gicvm.vgic_irq_limit=60 \
		"$top/tests/host/kernel-selftests.sh" > "$log" 2>&1
	absent=$(expected_absent)
	got=$(grep '^\(PASS\|FAIL\) ' "$top/build/test-logs/selftests.results")
	failed=$(echo "$got" | grep '^FAIL ' | grep -Ev "^FAIL [a-z]+/($absent)( |$)")
	passed=$(echo "$got" | grep -c '^PASS ')
	if [ -z "$failed" ] && [ "$passed" -gt 0 ]; then
		echo "PASS kernel-bisect/$1/selftests ($passed passed${absent:+, not there yet: $absent}; $(( $(date +%s) - start )) s)"
	else
		echo "FAIL kernel-bisect/$1/selftests (see $log)"
		echo "$failed" | sed 's/^/    | /'
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
	grep -q "^PASS kernel-bisect/$n " "$results" && [ -n "$run_tests" ] &&
		test_prefix "$n" | tee -a "$results"
done
echo "$(grep -c '^PASS' "$results") passed, $(grep -c '^FAIL' "$results") failed"
! grep -q '^FAIL' "$results"

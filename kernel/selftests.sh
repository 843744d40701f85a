#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the KVM selftests the kernel series is measured with (static arm64
# binaries) from Debian's linux-source-6.12 with kernel/patches/ applied.
# Cached outside the clone like the kernel, under
#   $GICVM_CACHE/selftests/<key>/
# where <key> hashes the source package, the compiler, this script,
# source.sh and the series. Prints that directory.
# Usage: selftests.sh [--tests]   (--tests: print the tests it builds)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
cross=
[ "$(uname -m)" = aarch64 ] || cross=aarch64-linux-gnu-
# The tests the series is judged by (kvm/ or kvm/aarch64/ in 6.12).
TESTS="aarch64/vgic_init aarch64/vgic_irq aarch64/vgic_lpi_lrs aarch64/vgic_lpi_stress"
TESTS="$TESTS arch_timer kvm_binary_stats_test"
# --tests: print that list and stop (kernel/bisect.sh runs the same ones).
if [ "${1:-}" = --tests ]; then
	echo "$TESTS"
	exit 0
fi

. "$here/source.sh"
key=$({
	echo "$srcver $TESTS"
	${cross}gcc --version | head -n 1
	cat "$0" "$here/source.sh"
	series_text
} | sha256sum | cut -c1-16)
out=$cache/selftests/$key
if [ -x "$out/kvm_binary_stats_test" ]; then
	echo "$out"
	exit 0
fi

work=$cache/selftests-build
rm -rf "$work"
mkdir -p "$work"
echo "selftests: unpacking linux-source $srcver" >&2
unpack_source "$work"
src=$work/linux-source-6.12
apply_series "$src"
echo "selftests: building $TESTS" >&2
make -C "$src" ARCH=arm64 CROSS_COMPILE=$cross headers >/dev/null 2>"$work/headers.log" || {
	tail -n 20 "$work/headers.log" >&2
	exit 1
}
# The selftests' own Makefile links the split tests (arch_timer) right
# only when it builds everything; it takes a minute or two.
make -C "$src/tools/testing/selftests/kvm" ARCH=arm64 CROSS_COMPILE=$cross \
	LDFLAGS=-static OUTPUT="$work/out" -j"$(nproc)" >"$work/build.log" 2>&1 || {
	tail -n 40 "$work/build.log" >&2
	exit 1
}
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
for t in $TESTS; do
	cp "$work/out/$t" "$tmp/"
done
echo "$srcver" > "$tmp/source-version"
mv "$tmp" "$out"
rm -rf "$work"
echo "$out"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build gicvm's arm64 kernel: Debian's linux-source-6.12 (trixie) + the series
# in kernel/patches/ + gicvm.config on allnoconfig.
#
# The result is cached outside the clone, under
#   $GICVM_CACHE/kernel/<key>/{Image,System.map,config,usr/gen_init_cpio,...}
# where <key> hashes everything that changes the output: the source package
# version, the config fragment, the patches' changes outside tools/ (a
# selftest-only change keeps the Image), this script and source.sh
# (how the source is unpacked and patched), and the compiler.
# Prints the output directory on its last line of stdout.
#
# Usage: build.sh [--key]    (--key: print the key and stop)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
jobs=${JOBS:-$(nproc)}
arch_make="ARCH=arm64"
[ "$(uname -m)" = aarch64 ] || arch_make="$arch_make CROSS_COMPILE=aarch64-linux-gnu-"

. "$here/source.sh"
cc=$(if [ "$(uname -m)" = aarch64 ]; then gcc --version; else aarch64-linux-gnu-gcc --version; fi | head -n 1)

key=$({
	echo "$srcver"
	echo "$cc"
	cat "$here/gicvm.config" "$0" "$here/source.sh"
	series_kernel_text
} | sha256sum | cut -c1-16)

if [ "${1:-}" = --key ]; then
	echo "$key"
	exit 0
fi

out=$cache/kernel/$key
if [ -s "$out/Image" ]; then
	echo "$out"
	exit 0
fi

work=$cache/kernel-build
rm -rf "$work"
mkdir -p "$work"
echo "kernel: unpacking linux-source $srcver" >&2
unpack_source "$work"
src=$work/linux-source-6.12
apply_series "$src"

echo "kernel: configuring" >&2
make -C "$src" $arch_make KCONFIG_ALLCONFIG="$here/gicvm.config" allnoconfig >/dev/null

# allnoconfig silently drops an option whose dependencies are not met;
# catch that here rather than as a missing driver at boot.
bad=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$here/gicvm.config" | while IFS= read -r line; do
	opt=${line%%=*}
	if [ "${line#*=}" = n ]; then
		grep -qx "$opt=y" "$src/.config" && echo "$opt should be off"
	else
		grep -qx "$line" "$src/.config" || echo "$line did not stick"
	fi
done)
if [ -n "$bad" ]; then
	echo "kernel: gicvm.config is not what allnoconfig produced:" >&2
	echo "$bad" >&2
	exit 1
fi

echo "kernel: building Image with $jobs jobs (several minutes on 2 cores)" >&2
make -C "$src" $arch_make -j"$jobs" Image >"$work/build.log" 2>&1 || {
	tail -n 40 "$work/build.log" >&2
	exit 1
}

tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp/usr"

# W=1 over KVM's directory (the series' C files are all there), keeping
# the warnings that name a file the series touches: that list must be
# empty (kernel/check-series.sh), and is kept with the Image.
series_kernel_text | sha256sum > "$tmp/kernel-series"
touched=$(series_touched_files)
: > "$tmp/w1-warnings"
if [ -n "$touched" ]; then
	echo "kernel: W=1 build of arch/arm64/kvm/" >&2
	make -C "$src" $arch_make -j"$jobs" W=1 arch/arm64/kvm/ >"$work/w1.log" 2>&1 || {
		tail -n 40 "$work/w1.log" >&2
		exit 1
	}
	grep -F "$touched" "$work/w1.log" | grep 'warning:' > "$tmp/w1-warnings" || true
	echo "$touched" > "$tmp/touched-files"
fi
cp "$src/arch/arm64/boot/Image" "$src/System.map" "$tmp/"
cp "$src/.config" "$tmp/config"
cp "$src/usr/gen_init_cpio" "$src/usr/gen_initramfs.sh" "$tmp/usr/"
echo "$srcver" > "$tmp/source-version"
mv "$tmp" "$out"
rm -rf "$work"
echo "$out"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build gicvm's arm64 kernel: Debian's linux-source-6.12 (trixie) + the series
# in kernel/patches/ + gicvm.config on allnoconfig.
#
# The result is cached outside the clone, under
#   $GICVM_CACHE/kernel/<key>/{Image,System.map,config,usr/gen_init_cpio,...}
# where <key> hashes everything that changes the output: the source package
# version, the config fragment, the patches, this script and the compiler.
# Prints the output directory on its last line of stdout.
#
# Usage: build.sh [--key]    (--key: print the key and stop)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
jobs=${JOBS:-$(nproc)}
arch_make="ARCH=arm64"
[ "$(uname -m)" = aarch64 ] || arch_make="$arch_make CROSS_COMPILE=aarch64-linux-gnu-"

srcdeb=$(ls "$cache"/debs/linux-source-6.12_*_all.deb 2>/dev/null | tail -n 1)
if [ -z "$srcdeb" ]; then
	echo "kernel/build.sh: linux-source-6.12 not downloaded; run 'make deps'" >&2
	exit 1
fi
srcver=$(dpkg-deb -f "$srcdeb" Version)
cc=$(if [ "$(uname -m)" = aarch64 ]; then gcc --version; else aarch64-linux-gnu-gcc --version; fi | head -n 1)

series_files() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/patches/series"
}

key=$({
	echo "$srcver"
	echo "$cc"
	cat "$here/gicvm.config" "$0" "$here/patches/series"
	for p in $(series_files); do cat "$here/patches/$p"; done
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
dpkg-deb --fsys-tarfile "$srcdeb" |
	tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc | tar -x -C "$work"
src=$work/linux-source-6.12

for p in $(series_files); do
	echo "kernel: applying $p" >&2
	patch -d "$src" -p1 --batch --forward --quiet < "$here/patches/$p"
done

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
cp "$src/arch/arm64/boot/Image" "$src/System.map" "$tmp/"
cp "$src/.config" "$tmp/config"
cp "$src/usr/gen_init_cpio" "$src/usr/gen_initramfs.sh" "$tmp/usr/"
echo "$srcver" > "$tmp/source-version"
mv "$tmp" "$out"
rm -rf "$work"
echo "$out"

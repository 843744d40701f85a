#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install everything gicvm needs on a fresh Debian 12 machine. Idempotent:
# a package that is already there is not touched again, so running it on
# every `make check` costs one dpkg query when nothing is missing.
#
# `deps.sh bench` adds what `make bench` needs beyond `make check`: Debian's
# matplotlib, for the plots (run by /usr/bin/python3, Debian's own Python).
#
# Must run as root (CI and the project's machines are root). Nothing here
# edits the system's apt sources: the trixie and sid pieces (kernel source,
# stock kernels, the nested test bed's QEMU) come through private apt
# configurations, see private-apt.sh.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# libfdt-dev is not Multi-Arch: same, so on x86_64 only its arm64 flavour is
# installed (for the cross build); the native unit tests use its headers,
# which are the same for every architecture, with the x86_64 libfdt1.
native_pkgs="make gcc libc6-dev pkg-config libfdt1 libaio-dev zlib1g-dev
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross libasan8-arm64-cross
	qemu-system-arm flex bison bc cpio xz-utils gzip kmod
	libssl-dev libelf-dev perl python3 rsync file
	clang libclang-rt-14-dev lld gdb-multiarch"
[ "${1:-}" = bench ] && native_pkgs="$native_pkgs python3-matplotlib"
arm64_pkgs="libfdt-dev:arm64 libaio-dev:arm64 zlib1g-dev:arm64 libc6-dev:arm64"

# A package counts as there when one installed instance matches: "name:arch"
# names one architecture, a bare name the native one or Architecture: all.
missing_pkgs() {
	native=$(dpkg --print-architecture)
	for p in "$@"; do
		case $p in *:*) q=$p ;; *) q="$p:$native $p:all" ;; esac
		dpkg-query -W -f='${db:Status-Status}\n' $q 2>/dev/null | grep -qx installed ||
			echo "$p"
	done
}

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: must run as root (apt-get install)" >&2
	exit 1
fi

if [ "$(dpkg --print-architecture)" != arm64 ] &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	need_update=1
fi

if [ "$(dpkg --print-architecture)" = arm64 ]; then
	# Native: no cross toolchain, the -dev libraries are the machine's own.
	native_pkgs=$(echo "$native_pkgs" | sed 's/gcc-aarch64-linux-gnu//; s/libc6-dev-arm64-cross//;
		s/libasan8-arm64-cross/libasan8/')
	native_pkgs=$(echo "$native_pkgs" | sed 's/libfdt1//')
	arm64_pkgs=$(echo "$arm64_pkgs" | sed 's/:arm64//g')
fi

todo=$(missing_pkgs $native_pkgs $arm64_pkgs)
if [ -n "$todo" ]; then
	echo "deps.sh: installing:" $todo
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $todo
fi

# Pieces that must not be installed into this system: arm64 busybox for the
# initramfs images, and trixie's kernel source and stock kernel.
"$here/fetch-debs.sh"

# The nested test bed, for the emulated hosts on an x86-64 machine: a QEMU
# that emulates FEAT_NV2 and a kernel with nested KVM (nested-bed.sh).
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	"$here/nested-bed.sh" fetch
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The nested test bed: what an emulated host needs to give its guests EL2
# (--nested), none of which Debian 12 has:
#   - a QEMU that emulates FEAT_NV2: trixie's qemu-system-arm (QEMU 10) for
#     this machine, with every library it depends on, unpacked under
#     $cache/nested/qemu and run through trixie's own loader (its glibc is
#     newer than this machine's); nothing is installed;
#   - a kernel with nested KVM and the vGICv3's nested support (6.16 on):
#     sid's stock arm64 kernel, booted with kvm-arm.mode=nested as the
#     emulated host, and the L1 guest that runs gicvm in turn.
# Both suites come through private apt configurations (private-apt.sh).
#
#   nested-bed.sh fetch    download and unpack, once (GICVM_REFRESH=1: again)
#   nested-bed.sh qemu     print the command that runs that qemu-system-aarch64
#   nested-bed.sh kernel   print the path of the kernel's Image
# Package lists are split on purpose:
# shellcheck disable=SC2046,SC2086
set -eu

cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
bed=$cache/nested
. "$(dirname "$0")/private-apt.sh"

die() { echo "nested-bed: $*" >&2; exit 1; }

# The amd64 packages qemu-system-arm needs to run: it, qemu-system-common
# and the libraries in the closure of its dependencies (virtual packages
# and non-library ones left out, as a loader needs only the libraries).
qemu_packages() {
	suite_apt trixie apt-cache depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances qemu-system-arm:amd64 2>/dev/null |
		awk '/^[a-z0-9]/ && !/:arm64$/ { sub(/:amd64$/, ""); if (/^(lib|qemu-system-(arm|common)$)/) print }' |
		sort -u
}

# fetch_into DIR SUITE PACKAGE...: the packages' .debs into DIR/debs and
# their files into DIR/root.
fetch_into() {
	dir=$1 suite=$2
	shift 2
	fetch_unpacked "$dir/debs" "$dir/root" "$dir/debs.list" "suite_apt $suite apt-get" "$@" ||
		die "fetching $* failed"
}

# The package with the newest stock arm64 kernel sid's metapackage names:
# its kernel is in linux-binary-unsigned-VERSION now, as
# /usr/lib/modules/VERSION/vmlinuz.unsigned (the image package only depends
# on it); before, in the image package itself, as /boot/vmlinuz-VERSION.
sid_kernel_package() {
	img=$(suite_apt sid apt-cache depends linux-image-arm64:arm64 |
		awk '/Depends: linux-image-[0-9]/ { sub(":arm64", "", $2); print $2; exit }')
	[ -n "$img" ] || return 0
	bin=linux-binary-unsigned-${img#linux-image-}
	if suite_apt sid apt-cache show "$bin:arm64" > /dev/null 2>&1; then
		echo "$bin"
	else
		echo "$img"
	fi
}

fetch() {
	# Fetched once: make check runs this every time (GICVM_REFRESH=1: anew).
	if [ -z "${GICVM_REFRESH:-}" ] && [ -s "$bed/qemu/debs.list" ] && [ -s "$bed/kernel/debs.list" ] &&
	   (kernel && qemu) > /dev/null 2>&1; then
		return 0
	fi
	suite_setup trixie || exit 1
	suite_setup sid || exit 1
	pkgs=$(qemu_packages)
	echo "$pkgs" | grep -qx qemu-system-arm || die "trixie's apt knows no qemu-system-arm"
	fetch_into "$bed/qemu" trixie $(echo "$pkgs" | sed 's/$/:amd64/')
	img=$(sid_kernel_package)
	[ -n "$img" ] || die "sid's linux-image-arm64 names no kernel"
	fetch_into "$bed/kernel" sid "$img:arm64"
	kernel > /dev/null
	"$0" qemu > /dev/null
}

# The loader, the library directories and the program, all in the root.
qemu() {
	root=$bed/qemu/root
	[ -x "$root/usr/bin/qemu-system-aarch64" ] || die "not fetched; run '$0 fetch'"
	loader=$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -e "$loader" ] || loader=$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
	[ -e "$loader" ] || die "no x86-64 loader among the packages fetched"
	libs=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
	# Its modules, not this machine's QEMU's (which it would refuse).
	echo "env QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu" \
		"$loader --library-path $libs $root/usr/bin/qemu-system-aarch64 -L $root/usr/share/qemu"
}

kernel() {
	img=$(ls "$bed"/kernel/root/boot/vmlinuz-* \
		"$bed"/kernel/root/usr/lib/modules/*/vmlinuz* 2>/dev/null | tail -n 1)
	[ -n "$img" ] || die "no kernel fetched; run '$0 fetch'"
	echo "$img"
}

case ${1:-} in
fetch | qemu | kernel) "$1" ;;
*) die "usage: $0 fetch|qemu|kernel" ;;
esac

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Make a gzip'd initramfs holding arm64 busybox, an /init and extra files:
#   mkinitramfs.sh OUT.cpio.gz INIT [DEST=SRC]...
# Uses the kernel tree's gen_init_cpio (built with the project kernel), so
# /dev/console is a real device node without needing mknod or root.
set -eu

out=$1 init=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
gen=${GEN_INIT_CPIO:-$top/build/kernel/usr/gen_init_cpio}
[ -x "$gen" ] || { echo "mkinitramfs: $gen missing; run 'make kernel'" >&2; exit 1; }

busybox=$cache/busybox-arm64
if [ ! -s "$busybox" ]; then
	deb=$(ls "$cache"/debs/busybox-static_*_arm64.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || { echo "mkinitramfs: busybox-static:arm64 not downloaded; run 'make deps'" >&2; exit 1; }
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./bin/busybox > "$busybox.tmp"
	mv "$busybox.tmp" "$busybox"
fi

list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
	for d in /bin /dev /proc /sys /tmp /etc /root /usr /usr/local /usr/local/share; do
		echo "dir $d 755 0 0"
	done
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "file /bin/busybox $busybox 755 0 0"
	echo "file /init $(realpath "$init") 755 0 0"
	for spec in "$@"; do
		dest=${spec%%=*} src=${spec#*=}
		# Parent directories first (gen_init_cpio does not create them).
		d=$(dirname "$dest")
		while [ "$d" != / ]; do echo "dir $d 755 0 0"; d=$(dirname "$d"); done | sort -u
		mode=644
		[ -x "$src" ] && mode=755
		echo "file $dest $(realpath "$src") $mode 0 0"
	done
} | awk '!seen[$0]++' > "$list"

"$gen" "$list" | gzip -1 -n > "$out.tmp"
mv "$out.tmp" "$out"

# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by the kernel scripts: where Debian's linux-source-6.12 package
# is, how to unpack it, and how the series in kernel/patches/ goes on top.
# Expects $here (the kernel/ directory) and $cache to be set.

# The scripts run their own make with their own -j: a parent make's flags
# (a jobserver whose pipe they were not given, -k, -s) are not theirs.
unset MAKEFLAGS MFLAGS MAKELEVEL

srcdeb=$(ls "$cache"/debs/linux-source-6.12_*_all.deb 2>/dev/null | tail -n 1)
if [ -z "$srcdeb" ]; then
	echo "kernel: linux-source-6.12 not downloaded; run 'make deps'" >&2
	exit 1
fi
srcver=$(dpkg-deb -f "$srcdeb" Version)

# The patches, in order, as kernel/patches/series lists them; only the
# first $GICVM_SERIES_UPTO of them if that is set (0: the stock kernel).
series_files() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/patches/series" |
		head -n "${GICVM_SERIES_UPTO:-999}"
}

# Everything of the series that belongs in a cache key.
series_text() {
	echo "series up to ${GICVM_SERIES_UPTO:-all}"
	cat "$here/source.sh" "$here/patches/series"
	for p in $(series_files); do cat "$here/patches/$p"; done
}

# What of the series changes the kernel: each patch's diffs of files
# outside tools/, in order. The kernel's cache key hashes this rather than
# series_text, so a change to a selftest alone does not rebuild the Image
# (the selftests' key hashes the whole series).
series_kernel_text() {
	echo "series up to ${GICVM_SERIES_UPTO:-all}"
	cat "$here/source.sh"
	for p in $(series_files); do
		awk '/^diff --git /{ keep = ($3 !~ /^a\/tools\//) } keep' "$here/patches/$p"
	done
}

# unpack_source DIR [MEMBER...]: the source tree into DIR/linux-source-6.12
# (only the given members, e.g. linux-source-6.12/scripts/checkpatch.pl).
unpack_source() {
	dir=$1
	shift
	dpkg-deb --fsys-tarfile "$srcdeb" |
		tar -xO ./usr/src/linux-source-6.12.tar.xz | xz -dc |
		tar -x -C "$dir" "$@"
}

# The kernel C files and headers the series touches (not tools/).
series_touched_files() {
	for p in $(series_files); do
		sed -n 's|^+++ b/||p' "$here/patches/$p"
	done | grep -v '^tools/' | grep '\.[ch]$' | sort -u
}

# apply_series SRC: the series onto the tree in SRC. git apply refuses a
# patch that does not apply exactly (no fuzz), which is what "applies
# cleanly" means.
apply_series() {
	src=$1
	for p in $(series_files); do
		echo "kernel: applying $p" >&2
		git -C "$src" apply --check "$here/patches/$p" &&
			git -C "$src" apply "$here/patches/$p" || {
			echo "kernel: $p does not apply to linux-source $srcver" >&2
			return 1
		}
	done
}

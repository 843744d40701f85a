#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Debian's arm64 socat, passt and virtiofsd, with the shared libraries they load, for
# the arm64 initramfs images built on this (x86_64) machine:
#   arm64-tools.sh fetch   download (never install) the arm64 .debs of the
#                          programs and the libraries they depend on, and
#                          unpack them into a staging root per suite; idempotent
#   arm64-tools.sh files   print SUITE:DEST=SRC, one line per file an
#                          initramfs needs: the programs, every library in the
#                          closure of their ELF NEEDED entries, and the
#                          dynamic loader; each suite's apart (its own libc)
# socat comes from bookworm, through the system's own apt configuration
# (arm64 must be a foreign architecture of dpkg, see deps.sh). passt comes
# from trixie, through fetch-debs.sh's private apt configuration: bookworm's
# passt (2023-03) resends a connection's data after its end when the guest's
# ACKs come slowly, as they do under emulation. virtiofsd comes from trixie
# too: bookworm has only QEMU's older C one, in another package. Nothing is
# installed.
# Lists of package names and sonames are split on purpose:
# shellcheck disable=SC2046,SC2086
set -eu

cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
. "$(dirname "$0")/private-apt.sh"
libdirs="/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu"

die() { echo "arm64-tools: $*" >&2; exit 1; }

# use SUITE: the programs of that suite and where their files go.
use() {
	suite=$1
	debs=$cache/debs/arm64-tools-$suite
	root=$cache/arm64-tools/$suite/root
	stamp=$cache/arm64-tools/$suite/debs.list
	case $suite in
	bookworm) progs=socat ;;
	trixie) progs="passt virtiofsd" ;;
	esac
}

# Where a program lives: Debian keeps virtiofsd out of PATH.
prog_path() {
	case $1 in
	virtiofsd) echo /usr/libexec/virtiofsd ;;
	*) echo "/usr/bin/$1" ;;
	esac
}

# apt-get or apt-cache for the suite: the system's, or the private trixie one.
apt_for() {
	tool=$1
	shift
	if [ "$suite" = bookworm ]; then
		$tool "$@"
		return
	fi
	[ -s "$cache/apt-trixie/sources.list" ] || die "no trixie apt configuration; run scripts/fetch-debs.sh"
	suite_apt trixie "$tool" "$@"
}

# The arm64 packages of the programs and of the libraries they depend on.
# Virtual packages (<...>), Architecture: all ones (no :arm64) and non-library
# ones such as gcc-12-base are left out; `files` checks that nothing is missing.
packages() {
	apt_for apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances \
		$(for p in $progs; do echo "$p:arm64"; done) 2>/dev/null |
		awk -v progs=" $progs " '/^[a-z0-9]/ && sub(/:arm64$/, "") &&
			(/^lib/ || index(progs, " " $0 " ")) { print }' | sort -u
}

fetch() {
	# Fetched once: make check runs this every time (GICVM_REFRESH=1: anew).
	if [ -z "${GICVM_REFRESH:-}" ] && [ -d "$root" ] && [ -s "$stamp" ] && (files) > /dev/null 2>&1; then
		return 0
	fi
	pkgs=$(packages)
	for p in $progs; do
		echo "$pkgs" | grep -qx "$p" ||
			die "apt knows no $p:arm64; run 'dpkg --add-architecture arm64 && apt-get update'"
	done
	fetch_unpacked "$debs" "$root" "$stamp" "apt_for apt-get" \
		$(echo "$pkgs" | sed 's/$/:arm64/') || die "fetching the $suite packages failed"
	files > /dev/null
}

# Print DEST=SRC for DEST (a path in the staging root): SRC is the real file.
emit() {
	# trixie's packages keep /lib's files in /usr/lib (merged /usr).
	at=$1
	[ -e "$root$at" ] || at=/usr$1
	[ -e "$root$at" ] || die "$1 is in no package fetched"
	src=$(realpath "$root$at")
	case $src in
	"$rootreal"/*) ;;
	*) die "$1 resolves outside the staging root, to $src" ;;
	esac
	printf '%s:%s=%s\n' "$suite" "$1" "$src"
}

files() {
	if [ ! -f "$stamp" ] || [ ! -d "$root" ]; then
		die "no staging root; run '$0 fetch' first"
	fi
	rootreal=$(realpath "$root")
	# The loader, at the path the programs' PT_INTERP names. libc (and socat)
	# also list it as NEEDED by its soname: ld.so is already loaded under that
	# name, so this one copy serves both and none goes to $libdirs.
	first=$(prog_path "${progs%% *}")
	interp=$(readelf -l "$root$first" | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
	[ -n "$interp" ] || die "$first names no program interpreter"
	emit "$interp"
	seen=" ${interp##*/} "
	# Breadth-first over NEEDED entries; queue holds DEST paths.
	queue=
	for p in $progs; do
		emit "$(prog_path "$p")"
		queue="$queue $(prog_path "$p")"
	done
	while [ -n "$queue" ]; do
		set -- $queue
		f=$1
		shift
		queue="$*"
		needed=$(readelf -d "$root$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
		for lib in $needed; do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			dest=
			for d in $libdirs; do
				if [ -e "$root$d/$lib" ]; then dest=$d/$lib; break; fi
			done
			[ -n "$dest" ] || die "$lib, NEEDED by $f, is in no package fetched"
			emit "$dest"
			queue="$queue $dest"
		done
	done
}

case ${1:-} in
fetch | files)
	for s in bookworm trixie; do
		use $s
		"$1"
	done
	;;
*) die "usage: $0 fetch|files" ;;
esac

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make check's look at the kernel series itself (kernel/patches/), as
# PASS/FAIL lines:
# - checkpatch.pl --strict from the same linux-source-6.12 finds no error
#   or warning in any patch (a backport's "commit <sha> upstream." line
#   aside, and the "does MAINTAINERS need updating?" question for a file
#   added where a MAINTAINERS entry already looks), and each patch is
#   signed off by its author;
# - the kernel built from the series' changes outside tools/ (applied with
#   git apply, no fuzz): kernel/build.sh records a hash of them with the
#   Image; the whole series, selftests included, is applied the same way
#   by kernel/selftests.sh, whose build fails otherwise;
# - W=1 over arch/arm64/kvm/ warns about none of the files it touches.
# Usage: check-series.sh KERNEL_DIR   (the directory build.sh printed)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
kdir=$1
. "$here/source.sh"

# checkpatch.pl and the files it reads, from the source package, once.
cp_dir=$cache/checkpatch/$srcver
if [ ! -x "$cp_dir/linux-source-6.12/scripts/checkpatch.pl" ]; then
	mkdir -p "$cp_dir"
	unpack_source "$cp_dir" linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch || exit 1
fi
checkpatch=$cp_dir/linux-source-6.12/scripts/checkpatch.pl
maintainers=$cp_dir/linux-source-6.12/MAINTAINERS
[ -s "$maintainers" ] || unpack_source "$cp_dir" linux-source-6.12/MAINTAINERS || exit 1

# The directories MAINTAINERS entries name (F: DIR/, or F: A/*/B/).
maintained_dirs=$(sed -n 's|^F:[[:space:]]*\(.*/\)$|\1|p' "$maintainers")

# covered_by_maintainers PATCH: every file PATCH adds lies in one of those,
# so no entry needs an update. checkpatch (--no-tree) asks about any added
# file all the same.
covered_by_maintainers() {
	added=$(sed -n '/^--- \/dev\/null$/{n;s|^+++ b/||p}' "$1")
	[ -n "$added" ] || return 1
	for a in $added; do
		found=
		for d in $maintained_dirs; do
			# shellcheck disable=SC2254 # a MAINTAINERS pattern
			case $a in $d*) found=1 && break ;; esac
		done
		[ -n "$found" ] || return 1
	done
}

for p in $(series_files); do
	f=$here/patches/$p
	n=${p%%-*}
	# A backport names its upstream commit the stable tree's way ("commit
	# <sha> upstream."), which checkpatch takes for a malformed reference
	# to a commit it cannot see, and keeps upstream's message as it was
	# (its Fixes: and Reported-by: tags in upstream's style): only those
	# four types are let go.
	# The source package has no git history: checkpatch cannot look up
	# the commit a Fixes: tag names, whatever the patch.
	ignore=--ignore=UNKNOWN_COMMIT_ID
	upstream=$(sed -n 's/^commit \([0-9a-f]\{40\}\) upstream\.$/\1/p' "$f" | head -n 1)
	[ -n "$upstream" ] && ignore=--ignore=GIT_COMMIT_ID,UNKNOWN_COMMIT_ID,BAD_FIXES_TAG,BAD_REPORTED_BY_LINK
	# A new file where MAINTAINERS already looks: the question is answered.
	covered_by_maintainers "$f" && ignore="$ignore --ignore=FILE_PATH_CHANGES"
	# From outside the clone: in a git tree checkpatch leaves a cache file.
	report=$(cd "$cp_dir" && perl "$checkpatch" --strict --no-tree --no-summary --terse $ignore "$f" 2>&1)
	bad=$(echo "$report" | grep -c ': \(ERROR\|WARNING\):')
	checks=$(echo "$report" | grep -c ': CHECK:')
	# The From: header may be folded onto a second line.
	author=$(sed -n '/^From: /{N;p;q}' "$f" | grep -o '<[^>]*>' | head -n 1)
	if [ "$bad" != 0 ]; then
		echo "FAIL kernel/checkpatch/$n ($bad errors or warnings)"
		echo "$report" | grep ': \(ERROR\|WARNING\):' | sed 's/^/    | /'
	elif [ -z "$author" ] || ! grep -q "^Signed-off-by: .*$author" "$f"; then
		echo "FAIL kernel/checkpatch/$n (no Signed-off-by from its author)"
	else
		echo "PASS kernel/checkpatch/$n (strict: $checks checks, no errors or warnings${upstream:+; backport of ${upstream%${upstream#????????????}}})"
	fi
done

if [ "$(series_kernel_text | sha256sum)" = "$(cat "$kdir/kernel-series" 2>/dev/null)" ]; then
	echo "PASS kernel/apply (git apply to linux-source $srcver, $(series_files | wc -l) patches; kernel built)"
else
	echo "FAIL kernel/apply (the kernel in $kdir was not built from this series)"
fi

if [ ! -s "$kdir/touched-files" ]; then
	echo "FAIL kernel/w1 (no W=1 record with the kernel in $kdir)"
elif [ -s "$kdir/w1-warnings" ]; then
	echo "FAIL kernel/w1 ($(wc -l < "$kdir/w1-warnings") warnings in touched files)"
	sed 's/^/    | /' "$kdir/w1-warnings"
else
	echo "PASS kernel/w1 (W=1: no warning in the $(wc -l < "$kdir/touched-files") files the series touches)"
fi

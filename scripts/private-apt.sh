# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced: apt for a Debian suite this machine's apt does not use (trixie,
# sid), through a private configuration under $cache/apt-SUITE built from
# the mirror the machine's own apt already uses. The system's sources are
# never changed and no host name lives in the repo. Expects $cache.

# The URI of the machine's main Debian archive, as apt itself sees it.
system_mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 !~ /security|updates|backports/ && $1 ~ /debian\/?$/ { print $1; exit }'
}

# suite_apt SUITE TOOL ARGS...: apt-get or apt-cache on SUITE's lists, for
# this machine's architecture and arm64.
suite_apt() {
	sa_root=$cache/apt-$1
	sa_tool=$2
	shift 2
	[ "$sa_tool" = apt-get ] && set -- -q -o APT::Sandbox::User=root "$@"
	"$sa_tool" -o Dir::Etc::SourceList="$sa_root/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$sa_root/lists" \
		-o Dir::State::status="$sa_root/status" \
		-o Dir::Cache="$sa_root/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		"$@"
}

# suite_setup SUITE: its configuration and lists, once (GICVM_REFRESH=1:
# the lists again).
suite_setup() {
	ss_root=$cache/apt-$1
	[ -s "$ss_root/sources.list" ] && [ -z "${GICVM_REFRESH:-}" ] &&
		ls "$ss_root"/lists/*_"$1"_*Packages* >/dev/null 2>&1 && return 0
	ss_mirror=$(system_mirror)
	if [ -z "$ss_mirror" ]; then
		echo "apt: cannot find the Debian mirror in this machine's apt configuration" >&2
		return 1
	fi
	mkdir -p "$ss_root/lists/partial" "$ss_root/cache/archives/partial"
	: > "$ss_root/status"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
		"$ss_mirror" "$1" > "$ss_root/sources.list"
	suite_apt "$1" apt-get update
}

# fetch_unpacked DEBS ROOT STAMP APT PACKAGE...: the packages' .debs into
# DEBS and their files into ROOT. APT is the command that runs apt-get
# (the system's, or a suite's: "suite_apt sid apt-get"). Only files not
# there yet are downloaded, and .debs no longer wanted (older versions,
# packages no longer needed) removed; ROOT is unpacked anew when the set
# changed (STAMP lists it).
fetch_unpacked() {
	fu_debs=$1 fu_root=$2 fu_stamp=$3 fu_apt=$4
	shift 4
	mkdir -p "$fu_debs" "$(dirname "$fu_stamp")"
	# The file names apt saves them under, asked where no .deb is (apt
	# lists only the files not already there), so a new version is noticed.
	fu_names=$(cd "$(dirname "$fu_stamp")" && $fu_apt download --print-uris "$@" |
		awk '{ print $2 }' | sort)
	if [ -z "$fu_names" ]; then
		echo "apt-get download --print-uris named no file for: $*" >&2
		return 1
	fi
	fu_missing=
	for n in $fu_names; do
		[ -s "$fu_debs/$n" ] || fu_missing=1
	done
	# apt itself skips the files already there, complete.
	if [ -n "$fu_missing" ]; then
		(cd "$fu_debs" && $fu_apt -q -o APT::Sandbox::User=root download "$@") || return 1
	fi
	for f in "$fu_debs"/*.deb; do
		echo "$fu_names" | grep -qxF "${f##*/}" || rm -f "$f"
	done
	[ -d "$fu_root" ] && [ "$fu_names" = "$(cat "$fu_stamp" 2>/dev/null)" ] && return 0
	rm -rf "$fu_root" "$fu_root.tmp" "$fu_stamp"
	mkdir -p "$fu_root.tmp"
	for n in $fu_names; do
		dpkg-deb -x "$fu_debs/$n" "$fu_root.tmp" || return 1
	done
	mv "$fu_root.tmp" "$fu_root"
	echo "$fu_names" > "$fu_stamp"
}

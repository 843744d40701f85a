#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Download (never install) the Debian packages gicvm's images are made of:
#   busybox-static:arm64        the guest and emulated-host userland (bookworm)
#   linux-source-6.12           the project kernel's source (trixie)
#   linux-image-*-arm64         trixie's stock kernel, a guest and a host in tests
#   socat, passt (arm64)        host-side tools in the emulated host (arm64-tools.sh)
#
# trixie is reached through a private apt configuration under the cache
# directory, built from the mirror this machine's apt already uses, so the
# system's sources are never changed and no host name lives in the repo.
# Each package is fetched once; GICVM_REFRESH=1 fetches the newest again.
set -eu

cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}
debs=$cache/debs
apt_root=$cache/apt-trixie
mkdir -p "$debs"

# The URI of the machine's main Debian archive, as apt itself sees it.
system_mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 !~ /security|updates|backports/ && $1 ~ /debian\/?$/ { print $1; exit }'
}

trixie_apt() {
	apt-get -q -o APT::Sandbox::User=root \
		-o Dir::Etc::SourceList="$apt_root/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt_root/lists" \
		-o Dir::State::status="$apt_root/status" \
		-o Dir::Cache="$apt_root/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		"$@"
}

trixie_cache() {
	apt-cache \
		-o Dir::Etc::SourceList="$apt_root/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$apt_root/lists" \
		-o Dir::State::status="$apt_root/status" \
		-o Dir::Cache="$apt_root/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		"$@"
}

setup_trixie() {
	[ -s "$apt_root/sources.list" ] && [ -z "${GICVM_REFRESH:-}" ] &&
		ls "$apt_root"/lists/*trixie*Packages* >/dev/null 2>&1 && return 0
	mirror=$(system_mirror)
	if [ -z "$mirror" ]; then
		echo "fetch-debs: cannot find the Debian mirror in this machine's apt configuration" >&2
		exit 1
	fi
	mkdir -p "$apt_root/lists/partial" "$apt_root/cache/archives/partial"
	: > "$apt_root/status"
	printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' \
		"$mirror" > "$apt_root/sources.list"
	trixie_apt update
}

have() { ls "$debs"/$1 >/dev/null 2>&1 && [ -z "${GICVM_REFRESH:-}" ]; }

if ! have 'busybox-static_*_arm64.deb'; then
	(cd "$debs" && apt-get -q -o APT::Sandbox::User=root download busybox-static:arm64)
fi

if ! have 'linux-source-6.12_*.deb' || ! have 'linux-image-*-arm64*_arm64.deb'; then
	setup_trixie
	# The metapackage names the current stock kernel; download that one.
	img=$(trixie_cache depends linux-image-arm64:arm64 |
		awk '/Depends: linux-image-6/ { sub(":arm64", "", $2); print $2; exit }')
	if [ -z "$img" ]; then
		echo "fetch-debs: trixie's linux-image-arm64 names no kernel" >&2
		exit 1
	fi
	# The unsigned package has the same Image without the EFI signature wrapper.
	if trixie_cache show "$img-unsigned:arm64" >/dev/null 2>&1; then
		img=$img-unsigned
	fi
	rm -f "$debs"/linux-source-6.12_*.deb "$debs"/linux-image-*.deb
	(cd "$debs" && trixie_apt download linux-source-6.12 "$img:arm64")
fi


# socat and passt for the emulated host (the vsock and user-networking
# scenarios), with their libraries: scripts/arm64-tools.sh. passt comes
# from trixie, so its apt configuration must exist even when the kernel
# packages above were already here.
setup_trixie
"$(dirname "$0")/arm64-tools.sh" fetch

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
mkdir -p "$debs"

. "$(dirname "$0")/private-apt.sh"
trixie_apt() { suite_apt trixie apt-get "$@"; }
trixie_cache() { suite_apt trixie apt-cache "$@"; }
setup_trixie() { suite_setup trixie || exit 1; }

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

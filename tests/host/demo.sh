#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: boot the emulated arm64 KVM host (or use this machine's KVM on
# arm64) and run the default guest under gicvm on this terminal. With a
# person at the terminal the guest gives a shell ('exit' powers everything
# off; Ctrl-A x leaves QEMU); without one, the guest agent reports what the
# guest sees and powers off.
set -eu
. "$(dirname "$0")/emulated-host.sh"

mode=agent
[ -t 0 ] && mode=shell

if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
	params=
	[ $mode = shell ] || params="-p gicvm.agent=boot"
	exec "$B/gicvm" run -c 2 -k "$B/kernel/Image" -i "$B/guest/initramfs.cpio.gz" $params
fi

build_host_initramfs "$(stock_image)"
echo "demo: emulated arm64 KVM host (QEMU TCG), then gicvm inside it"
qemu_host "$B/kernel/Image" "quiet gicvm.demo=$mode"

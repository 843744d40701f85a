# SPDX-License-Identifier: GPL-2.0-only
#
# The emulated arm64 KVM host, shared by run-scenarios.sh and demo.sh
# (sourced). qemu-system-aarch64 -M virt,virtualization=on,gic-version=3
# -cpu max under TCG boots a kernel at EL2, so KVM comes up in VHE mode with
# a real in-kernel vGICv3 and ITS; its initramfs holds gicvm, the default
# guest, Debian's stock kernel, the bare test images and the scenarios.

# Sourced from tests/host/ (or with $top already set by the caller).
top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
B=$top/build
cache=${GICVM_CACHE:-${HOME:-/root}/.cache/gicvm}

# Debian's stock trixie kernel (uncompressed Image), extracted once.
stock_image() {
	deb=$(ls "$cache"/debs/linux-image-*-arm64*_arm64.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] || { echo "emulated host: stock kernel not downloaded; run 'make deps'" >&2; return 1; }
	img=$cache/stock/$(basename "$deb" .deb).Image
	if [ ! -s "$img" ]; then
		mkdir -p "$cache/stock"
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './boot/vmlinuz-*' > "$img.tmp" &&
			mv "$img.tmp" "$img" || return 1
	fi
	echo "$img"
}

# The stock kernel's modules a --rootfs guest of it loads (overlayfs, the
# virtio drivers that are modules there), with a modules.dep for just
# them, under $cache/stock/DEB.modules/lib/modules/RELEASE: extracted once.
# Prints that directory.
stock_modules() {
	deb=$(ls "$cache"/debs/linux-image-*-arm64*_arm64.deb 2>/dev/null | tail -n 1)
	base=$cache/stock/$(basename "$deb" .deb).modules
	if [ ! -d "$base/lib/modules" ]; then
		rm -rf "$base.tmp" && mkdir -p "$base.tmp" &&
			dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$base.tmp" --wildcards \
				'./usr/lib/modules/*/kernel/fs/overlayfs/*' \
				'./usr/lib/modules/*/kernel/drivers/virtio/virtio_mmio.ko*' \
				'./usr/lib/modules/*/kernel/drivers/block/virtio_blk.ko*' \
				'./usr/lib/modules/*/kernel/drivers/net/virtio_net.ko*' \
				'./usr/lib/modules/*/kernel/drivers/net/net_failover.ko*' \
				'./usr/lib/modules/*/kernel/net/core/failover.ko*' \
				'./usr/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko*' \
				'./usr/lib/modules/*/modules.builtin*' \
				'./usr/lib/modules/*/modules.order' || return 1
		mkdir -p "$base.tmp/lib" && mv "$base.tmp/usr/lib/modules" "$base.tmp/lib/" &&
			release=$(ls "$base.tmp/lib/modules") &&
			PATH=$PATH:/usr/sbin:/sbin depmod -b "$base.tmp" "$release" && mv "$base.tmp" "$base" || return 1
	fi
	echo "$base/lib/modules/$(ls "$base/lib/modules")"
}

# build_host_initramfs STOCK_IMAGE: $B/host/initramfs.cpio.gz
build_host_initramfs() {
	set -- /usr/local/bin/gicvm="$B/gicvm" \
		/usr/local/share/gicvm/Image="$B/kernel/Image" \
		/usr/local/share/gicvm/initramfs.cpio.gz="$B/guest/initramfs.cpio.gz" \
		/guests/debian-Image="$1"
	for f in "$B"/guest/test-*.img; do
		set -- "$@" "/guests/$(basename "$f")=$f"
	done
	# So gicvm run -k debian-Image --rootfs / finds the modules it needs.
	mods=$(stock_modules) || { echo "emulated host: cannot unpack the stock kernel's modules" >&2; return 1; }
	for f in $(cd "$mods" && find . -type f | sed 's|^\./||'); do
		set -- "$@" "/lib/modules/${mods##*/}/$f=$mods/$f"
	done
	for f in "$B"/tools/*; do
		set -- "$@" "/usr/local/bin/$(basename "$f")=$f"
	done
	for f in "$top"/tests/scenarios/*.sh; do
		set -- "$@" "/scenarios/$(basename "$f")=$f"
	done
	# gicvm under ASan (the asan scenarios), with the shared libraries it needs.
	if [ -x "$B/asan/gicvm" ]; then
		set -- "$@" /usr/local/bin/gicvm-asan="$B/asan/gicvm"
		for lib in ld-linux-aarch64.so.1 libasan.so.8 libc.so.6 libm.so.6 libgcc_s.so.1 \
			   libfdt.so.1 libaio.so.1 libz.so.1; do
			path=$(realpath "$(aarch64-linux-gnu-gcc -print-file-name=$lib)")
			[ -f "$path" ] || { echo "emulated host: no arm64 $lib for gicvm-asan" >&2; return 1; }
			set -- "$@" "/usr/local/lib/gicvm-asan/$lib=$path"
			# The loader also where the binary's interpreter path says.
			[ $lib = ld-linux-aarch64.so.1 ] && set -- "$@" "/lib/$lib=$path"
		done
	fi
	# Debian's socat, passt and virtiofsd, each suite with its own loader and libraries
	# (kept apart from gicvm-asan's too), started through wrappers in
	# /usr/local/bin.
	mkdir -p "$B/host/bin"
	"$top/scripts/arm64-tools.sh" files > "$B/host/arm64-tools.list" || return 1
	while IFS='=' read -r dest src; do
		tools=/usr/local/lib/arm64-tools/${dest%%:*}
		dest=${dest#*:}
		case $dest in
		/usr/bin/* | /usr/libexec/*)
			name=${dest##*/}
			printf '#!/bin/sh\nexec %s/ld.so --library-path %s %s/%s "$@"\n' \
				$tools $tools $tools "$name" > "$B/host/bin/$name"
			chmod +x "$B/host/bin/$name"
			# A program outside PATH keeps its place (virtiofsd).
			at=/usr/local/bin/$name
			case $dest in /usr/libexec/*) at=$dest ;; esac
			set -- "$@" "$tools/$name=$src" "$at=$B/host/bin/$name"
			;;
		*/ld-linux-*) set -- "$@" "$tools/ld.so=$src" ;;
		*) set -- "$@" "$tools/${dest##*/}=$src" ;;
		esac
	done < "$B/host/arm64-tools.list"
	# make kernel-selftests: the selftests in $SELFTESTS_DIR and their runner.
	if [ -n "${SELFTESTS_DIR:-}" ]; then
		for f in "$SELFTESTS_DIR"/*; do
			[ -x "$f" ] && set -- "$@" "/selftests/$(basename "$f")=$f"
		done
		set -- "$@" /selftests/run.sh="$top/kernel/run-selftests.sh"
	fi
	# make bench: its script, and its program for the host's end of TCP.
	set -- "$@" /bench/in-host.sh="$top/bench/in-host.sh" \
		/usr/local/bin/gicvm-bench="$B/guest/gicvm-bench"
	mkdir -p "$B/host"
	"$top/scripts/mkinitramfs.sh" "$B/host/initramfs.cpio.gz" "$top/tests/host/host-init" "$@"
}

# qemu_host KERNEL "KERNEL ARGS": boot the emulated host on this terminal,
# for at most $QEMU_TIMEOUT seconds if that is set. No NIC (and so no
# option ROM to look for) unless $QEMU_NIC gives one; more QEMU options
# (trace events) in $QEMU_EXTRA; another QEMU (the nested test bed's) in
# $QEMU_COMMAND.
qemu_host() {
	${QEMU_TIMEOUT:+timeout "$QEMU_TIMEOUT"} ${QEMU_COMMAND:-qemu-system-aarch64} \
		-M virt,virtualization=on,gic-version=${QEMU_GIC:-3} -cpu max,pauth-impdef=on -smp 4 -m 3072 \
		-nographic -no-reboot ${QEMU_NIC:--nic none} ${QEMU_EXTRA:-} \
		-kernel "$1" -initrd "$B/host/initramfs.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 $2"
}

# print_results FILE: its PASS/FAIL lines and "N passed, N failed"; false
# if any failed or none passed.
print_results() {
	echo
	cat "$1"
	passed=$(grep -c '^PASS' "$1")
	failed=$(grep -c '^FAIL' "$1")
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}

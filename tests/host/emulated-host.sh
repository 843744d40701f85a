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
# $QEMU_COMMAND. With QEMU_STALL_WATCH=LOG (the file its output goes to),
# the host runs in the background, watched for a wedged CPU (below).
qemu_host() {
	if [ -z "${QEMU_STALL_WATCH:-}" ]; then
		qemu_run "$@"
		return
	fi
	qh_mon=$(mktemp -d)
	mkfifo "$qh_mon/m.in" "$qh_mon/m.out"
	# Read-write opens of a fifo do not wait for the other end (QEMU's
	# own are read-write too): nothing hangs if QEMU never starts.
	cat 0<> "$qh_mon/m.out" > "$qh_mon/dump" &
	qh_drain=$!
	QEMU_EXTRA="${QEMU_EXTRA:-} -monitor pipe:$qh_mon/m" qemu_run "$@" &
	qh_pid=$!
	watch_stalls "$QEMU_STALL_WATCH" "$qh_mon/m.in" $qh_pid &
	qh_watch=$!
	# Interrupted: QEMU, in the background now, goes too (no caller
	# sets a trap of its own on these).
	trap 'kill $qh_pid $qh_watch $qh_drain 2> /dev/null; exit 130' INT TERM
	wait $qh_pid
	qh_rc=$?
	trap - INT TERM
	kill $qh_watch $qh_drain 2> /dev/null
	wait $qh_watch $qh_drain 2> /dev/null
	if grep -q 'PC=' "$qh_mon/dump"; then
		echo "emulated host: a CPU wedged; QEMU's view of every CPU, 3 times a second apart, then stopped:"
		tr -d '\r' < "$qh_mon/dump" | cpu_lines "$(dirname "$1")/System.map"
	fi
	rm -rf "$qh_mon"
	return $qh_rc
}

qemu_run() {
	${QEMU_TIMEOUT:+timeout "$QEMU_TIMEOUT"} ${QEMU_COMMAND:-qemu-system-aarch64} \
		-M virt,virtualization=on,gic-version=${QEMU_GIC:-3} -cpu max,pauth-impdef=on -smp 4 -m 3072 \
		-nographic -no-reboot ${QEMU_NIC:--nic none} ${QEMU_EXTRA:-} \
		-kernel "$1" -initrd "$B/host/initramfs.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 $2"
}

# A host kernel message that says a CPU is wedged: an RCU stall report, or
# the hard-lockup watchdog (which can come minutes before it). It may
# start in the middle of a line; a guest's log, which a scenario shows
# with "    |" or "    :" before each line, is not the host's.
WEDGE_MESSAGE='\[ *[0-9]*\.[0-9]*\] \(rcu: INFO: rcu_[a-z]* \(self-\)\{0,1\}detected stall\|watchdog: Watchdog detected hard LOCKUP\)'

# watch_stalls LOG MONITOR_IN QEMU_PID: when the host's console first
# says a CPU is wedged (a CPU no IPI reaches, so the kernel's own
# backtrace of it prints nothing), ask QEMU's monitor for every CPU's
# registers, three times a second apart: where the stuck CPU is, and
# whether it moves. Then stop QEMU: the host has nothing more to say, and
# its caller may boot it again. The project kernel has no KASLR
# (kernel/gicvm.config): its PCs are System.map's.
watch_stalls() {
	until tr -d '\r' < "$1" 2> /dev/null | grep -v '^    [|:]' | grep -q "$WEDGE_MESSAGE"; do
		kill -0 "$3" 2> /dev/null || return 0
		sleep 2
	done
	exec 3<> "$2"
	for _ in 1 2 3; do
		echo "info registers -a" >&3
		sleep 1
	done
	echo quit >&3
	exec 3>&-
}

# cpu_lines SYSTEM_MAP: QEMU's "info registers -a" as one line per CPU:
# its PC, the kernel symbol that holds it (when the map exists) and its
# PSTATE (the EL, and the DAIF mask in bits 9-6). A VHE host's kernel
# runs at EL2, an nVHE one's at EL1; EL1 in a VHE host is a guest's.
cpu_lines() {
	awk -v map="$1" '
	BEGIN {	# code symbols only: not a low address named by an absolute one
		while ((getline l < map) > 0)
			if (split(l, f, " ") == 3 && f[2] ~ /^[tTwW]$/) {
				addr[++n] = f[1]
				sym[n] = f[3]
			}
	}
	/^CPU#/ { cpu = $1 }
	/ PC=/ {
		pc = $1; sub(/^PC=/, "", pc); at = ""; lo = 1; hi = n
		while (lo <= hi) {
			mid = int((lo + hi) / 2)
			if (addr[mid] <= pc) { at = " <" sym[mid] ">"; lo = mid + 1 } else hi = mid - 1
		}
	}
	/^PSTATE=/ {
		el = ""
		for (i = 2; i <= NF; i++)
			if ($i ~ /^EL[0-3]/)
				el = $i
		print cpu " PC=" pc at " " $1 " " el
	}'
}

# boot_watched LOG KERNEL "KERNEL ARGS": qemu_host, watched, its output in
# LOG; if a CPU wedged (the test bed's failure, kernel/README.md
# "Limits"), that log moves to LOG.wedged and the host boots once more.
# Returns the last boot's status.
boot_watched() {
	rm -f "$1.wedged"
	QEMU_STALL_WATCH=$1 qemu_host "$2" "$3" < /dev/null > "$1" 2>&1
	host_wedged "$1" || return 0
	mv "$1" "$1.wedged"
	QEMU_STALL_WATCH=$1 qemu_host "$2" "$3" < /dev/null > "$1" 2>&1
}

# wedge_note NAME LOG RESULTS: if LOG's host wedged once, a NOTE line
# saying so (on stdout and in RESULTS) and its CPUs' PCs.
wedge_note() {
	[ -f "$2.wedged" ] || return 0
	echo "NOTE emulated host $1 wedged and was booted again (see $2.wedged)" | tee -a "$3"
	show_stall "$2.wedged"
}

# show_stall LOG: what qemu_host caught of a wedged CPU, if anything.
show_stall() {
	tr -d '\r' < "$1" | sed -n '/^emulated host: a CPU wedged/,$p'
}

# host_wedged LOG: whether qemu_host stopped that host for a wedged CPU.
host_wedged() {
	grep -q '^emulated host: a CPU wedged' "$1"
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

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 400
# driven-by: make reliability (as asan-200; make check's budget has no room for it)
# gicvm built with AddressSanitizer and LeakSanitizer (build/asan/gicvm):
# a guest with a disk, a tap, an rng and a virtio console on PCI with ITS
# MSIs reboots in place $ASAN_BOOTS times (2; 200 in make reliability), and
# the hostile guest attacks a virtio-pci disk. No invalid access anywhere,
# no leak at exit, fds steady across reboots. Without the sandbox:
# LeakSanitizer stops the world with ptrace, which the seccomp filter
# forbids (and ASan's runtime makes calls the allow-lists do not have).
. "$(dirname "$0")/lib.sh"
[ -x "${GICVM_ASAN:-}" ] || fail "no ASan build of gicvm (\$GICVM_ASAN)"
GICVM=$GICVM_ASAN
export ASAN_OPTIONS=detect_leaks=1:exitcode=66
boots=${ASAN_BOOTS:-2}

# sanitizer_clean WHAT: no report of either sanitizer in $out.
sanitizer_clean() {
	grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|SUMMARY: ' "$out" &&
		fail "$1: $(grep -A 30 'ERROR: \(Address\|Leak\)Sanitizer' "$out" | head -n 40)"
	return 0
}

dd if=/dev/zero of=disk.img bs=1M count=1 2>/dev/null
guest_params="gicvm.boots=$boots"
guest_test reboot --no-sandbox -c 2 --gic v3-its --virtio-transport pci -d disk.img \
	--rng --console virtio -n mode=tap,tapif=asan0 --loglevel info
sanitizer_clean "reboots"
[ "$(grep -c 'GUEST-RESULT boot=[0-9]* cpus=2' "$out")" = "$boots" ] ||
	fail "expected $boots boots with 2 vCPUs"
[ "$(grep -c 'gicvm: info: reboot [0-9]*:' "$out")" = $((boots - 1)) ] ||
	fail "gicvm did not log $((boots - 1)) reboots"
fds=$(sed -n 's/.*reboot [0-9]*: \([0-9]*\) fds open.*/\1/p' "$out" | sort -u)
[ "$(echo "$fds" | wc -l)" = 1 ] || fail "open fds changed across reboots: $(echo $fds)"
echo "ok: $boots boots under ASan, $fds fds after each reboot, no error, no leak at exit"

dd if=/dev/urandom of=good.img bs=1M count=1 2>/dev/null
{ printf gicvm-hostile-victim; dd if=/dev/zero bs=1M count=1 2>/dev/null; } > victim.img
guest_params="gicvm.hostile=pci"
guest_test hostile --no-sandbox -m 256 --virtio-transport pci -d good.img -d victim.img
sanitizer_clean "hostile guest"
summary=$(grep 'gicvm-hostile: .*tried=' "$out")
echo "$summary" | grep -q 'device_ok=yes' || fail "hostile guest: $summary"
echo "ok: under ASan, the hostile guest's attacks over virtio-pci: $summary"

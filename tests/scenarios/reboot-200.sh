# SPDX-License-Identifier: GPL-2.0-only
# timeout: 1500
# driven-by: make reliability
# Soak: one gicvm, 200 boots of a guest that resets itself (reboot in place)
# and then powers off. gicvm's open fds are the same after every reboot, and
# its own resident memory (guest RAM left out) does not grow between the
# 10th reboot and the last.
. "$(dirname "$0")/lib.sh"
boots=${SOAK_BOOTS:-200}
dd if=/dev/zero of=disk.img bs=1M count=1 2>/dev/null
out=$PWD/soak.out
"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -d disk.img --loglevel info \
	-p "quiet gicvm.test=reboot gicvm.boots=$boots" > "$out" 2>&1 < /dev/null
rc=$?
tr -d '\r' < "$out" | grep -v '^\[' > "$out.txt" && mv "$out.txt" "$out"
grep 'gicvm: info: reboot' "$out" | sed -n '1p;10p;$p'
[ $rc = 0 ] || fail "gicvm exited with status $rc"
[ "$(head -c 512 disk.img | tr -dc 0-9)" = "$boots" ] || fail "the boot counter on disk is not $boots"
[ "$(grep -c 'gicvm: info: reboot [0-9]*:' "$out")" = $((boots - 1)) ] ||
	fail "gicvm did not log $((boots - 1)) reboots"
fds=$(sed -n 's/.*reboot [0-9]*: \([0-9]*\) fds open.*/\1/p' "$out" | sort -u)
[ "$(echo "$fds" | wc -l)" = 1 ] || fail "open fds changed across reboots: $(echo $fds)"
vmm() { sed -n "s/.*reboot $1: .*, \([0-9]*\) KiB without guest RAM/\1/p" "$out"; }
early=$(vmm 10) late=$(vmm $((boots - 1)))
[ -n "$early" ] && [ -n "$late" ] || fail "no memory figures"
[ "$late" -le $((early + 256)) ] || fail "gicvm's own memory grew from $early to $late KiB"
echo "ok: $boots boots in one gicvm; $fds fds after every reboot; own RSS $early -> $late KiB"

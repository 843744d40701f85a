# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# A script written against kvmtool's lkvm command line runs unchanged: its
# option names and both "--opt value" and "--opt=value" forms, --irqchip,
# --nodefaults with its own console parameters, --dump-dtb; help output in
# lkvm's shape; a missing kernel says what lkvm says, after the GIC exists.
. "$(dirname "$0")/lib.sh"
lkvm=$GICVM

$lkvm --help > help.out || fail "gicvm --help failed"
grep -q "The most commonly used gicvm commands are:" help.out || fail "help is not in lkvm's shape"
for c in run list stop pause resume debug stat version help; do
	grep -q "^   $c " help.out || fail "help does not list '$c'"
done
$lkvm help | cmp -s - help.out || fail "'gicvm help' differs from 'gicvm --help'"
for c in run list stop pause resume debug stat; do
	$lkvm $c --help > /dev/null || fail "gicvm $c --help failed"
done

# The way a kvmtool user writes it.
$lkvm run --kernel "$GUEST_IMAGE" --initrd="$GUEST_INITRD" --mem 256M --cpus=2 \
	--irqchip gicv3 --console serial --virtio-transport=mmio --rng --name lkvm-script --dev /dev/kvm \
	--nodefaults --params "console=ttyS0 gicvm.agent=boot" --dump-dtb=guest.dtb \
	> boot.raw 2>&1 < /dev/null
rc=$?
tr -d '\r' < boot.raw > boot.out
grep -v '^\[' boot.out
[ $rc = 0 ] || fail "the lkvm-style run exited $rc"
grep -q 'gicvm-agent: cpus=2 gic=GICv3' boot.out || fail "the guest did not come up as asked"
grep -q 'Kernel command line: console=ttyS0 gicvm.agent=boot$' boot.out ||
	fail "--nodefaults: the bootargs were not exactly --params"
[ "$(head -c 4 guest.dtb | od -An -tx1 | tr -d ' ')" = d00dfeed ] || fail "--dump-dtb wrote no DTB"
grep -q 'virtio,mmio' guest.dtb || fail "the dumped DTB lacks the --rng device"

# kvmtool's wording, and only after the VM and its GIC were made.
$lkvm run -k /no/such/Image --irqchip=gicv3 > err.out 2>&1 < /dev/null
rc=$?
cat err.out
[ $rc = 1 ] || fail "missing kernel: exit $rc"
grep -q "Fatal: Unable to open kernel /no/such/Image" err.out || fail "not kvmtool's wording"

# A bare test binary with no Image header boots (PSCI SYSTEM_OFF at RAM + 512 KiB).
tail -c +65 "$GUEST_TEST_DIR/test-off.img" > bare.bin
$lkvm run -k bare.bin > bare.out 2>&1 < /dev/null || { cat bare.out; fail "a bare binary did not boot"; }
echo "ok: lkvm-style options, help, errors and bare binaries"

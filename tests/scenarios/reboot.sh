# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# Reboot in place: the guest counts its boots on a disk and resets itself
# (PSCI SYSTEM_RESET) twice, then powers off; gicvm exits 0. Each boot
# sees both vCPUs and its virtio-blk on PCI with ITS MSIs again (the ITS,
# the GIC and the devices were reset). gicvm's open fds are the same after
# every reboot and its resident memory does not grow. --dump-dtb (written
# at the first boot) does not break a reboot, nor do the kernel and initrd
# deleted after the first load (a reboot reads them through the
# descriptors opened at the start).
. "$(dirname "$0")/lib.sh"
cp "$GUEST_IMAGE" gone.Image && cp "$GUEST_INITRD" gone.initrd
dd if=/dev/zero of=disk.img bs=1M count=1 2>/dev/null
out=$PWD/guest-reboot.out
"$GICVM" run -k gone.Image -i gone.initrd -c 2 --gic v3-its --virtio-transport pci -d disk.img \
	--loglevel info --dump-dtb guest.dtb -p "$GUEST_QUIET gicvm.test=reboot gicvm.boots=3" > "$out" 2>&1 < /dev/null &
pid=$!
for i in $(seq 1 100); do
	grep -q 'kernel at' "$out" && break
	sleep 0.1
done
rm gone.Image gone.initrd
wait $pid
rc=$?
tr -d '\r' < "$out" | grep -v '^\['
[ $rc = 0 ] || fail "gicvm exited $rc (its kernel and initrd files deleted after the first load)"
grep -q "gicvm-test: reboot exited" "$out" || fail "the guest test did not finish"
# --dump-dtb writes the DT once, at the first boot: a reboot (sandboxed)
# must not try to write it again.
[ "$(od -An -tx1 -N4 guest.dtb | tr -d ' ')" = d00dfeed ] || fail "--dump-dtb wrote no device tree"
boots=$(grep -c 'GUEST-RESULT boot=[0-9]* cpus=2' "$out")
[ "$boots" = 3 ] || fail "expected 3 boots with 2 vCPUs, saw $boots"
[ "$(head -c 512 disk.img | tr -dc 0-9)" = 3 ] || fail "the boot counter on disk is not 3"
grep 'GUEST-RESULT msi_lines=' "$out" | grep -q 'msi_lines=0' &&
	fail "a boot had no MSI interrupts"
grep 'gicvm: info: reboot' "$out"
[ "$(grep -c 'gicvm: info: reboot [0-9]*:' "$out")" = 2 ] || fail "gicvm did not log 2 reboots"
fds=$(sed -n 's/.*reboot [0-9]*: \([0-9]*\) fds open.*/\1/p' "$out" | sort -u)
[ "$(echo "$fds" | wc -l)" = 1 ] || fail "open fds changed across reboots: $fds"
rss1=$(sed -n 's/.*reboot 1: .*, \([0-9]*\) KiB resident.*/\1/p' "$out")
rss_last=$(sed -n 's/.*reboot 2: .*, \([0-9]*\) KiB resident.*/\1/p' "$out")
[ -n "$rss1" ] && [ -n "$rss_last" ] || fail "no resident-memory figures"
[ "$rss_last" -le $((rss1 + 1024)) ] || fail "resident memory grew from $rss1 to $rss_last KiB"
echo "ok: 2 reboots with the files deleted, then power-off; $fds fds after each; resident $rss1 -> $rss_last KiB"


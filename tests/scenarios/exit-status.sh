# SPDX-License-Identifier: GPL-2.0-only
# timeout: 120
# How the guest stops decides gicvm's exit status: SYSTEM_OFF 0,
# SYSTEM_RESET 2 with --reboot exit (by default it boots again: a guest
# that only resets keeps rebooting until --timeout), a vCPU that KVM
# cannot run 1 with a register dump. And -f: a bare firmware loaded at the
# start of RAM finds the DT where x0 says and reads it right; with
# --aarch32 the same program built for arm runs as a 32-bit kernel, entered
# in SVC mode with the DT in r2, and a 32-bit kernel without --aarch32 (or
# an arm64 one with it) is refused; --debug-single-step logs each
# instruction of test-off.img.
. "$(dirname "$0")/lib.sh"
img=$GUEST_TEST_DIR

# boot NAME RUN-OPTIONS...: gicvm run, its output (\r dropped) in NAME.out
# and shown, its status in $rc.
boot() {
	name=$1
	shift
	"$GICVM" run "$@" > "$name.raw" 2>&1 < /dev/null
	rc=$?
	tr -d '\r' < "$name.raw" > "$name.out"
	cat "$name.out"
}

"$GICVM" run -k "$img/test-off.img" > off.out 2>&1 < /dev/null
rc=$?
cat off.out
[ $rc = 0 ] || fail "PSCI SYSTEM_OFF: exit status $rc, expected 0"

boot fw -c 2 -m 128 -f "$img/test-firmware.img" -p "fw=hello" --loglevel info
[ $rc = 0 ] || fail "the firmware did not power off cleanly: status $rc"
dt=$(sed -n 's/.*DT at \(0x[0-9a-f]*\).*/\1/p' fw.out)
grep -q "^gicvm-firmware: dtb=$dt magic=ok size=[0-9]" fw.out || fail "x0 was not the DT ($dt)"
grep -q '^gicvm-firmware: memory=0x80000000+0x8000000 cpus=2 bootargs=.*fw=hello' fw.out ||
	fail "the firmware read another machine out of the DT"
grep -q 'kernel at 0x80000000 ' fw.out || fail "the firmware was not loaded at the start of RAM"
echo "ok: -f: the firmware ran from 0x80000000 with the DT at $dt in x0"
boot fwaddr -f "$img/test-firmware.img" --firmware-address 0x80200000 --loglevel info
[ $rc = 0 ] || fail "the firmware at 0x80200000 did not power off cleanly: status $rc"
grep -q 'kernel at 0x80200000 ' fwaddr.out && grep -q '^gicvm-firmware: dtb=0x[0-9a-f]* magic=ok' fwaddr.out ||
	fail "--firmware-address: the firmware did not run from 0x80200000"
echo "ok: --firmware-address: the firmware ran from 0x80200000"

# --aarch32: the firmware built for arm, as a zImage at RAM + 32 KiB.
boot fw32 --aarch32 -c 2 -m 128 -k "$img/test-firmware32.img" -p "fw=a32" --loglevel info
[ $rc = 0 ] || fail "the 32-bit kernel did not power off cleanly: status $rc"
dt=$(sed -n 's/.*DT at \(0x[0-9a-f]*\).*/\1/p' fw32.out)
grep -q '^gicvm-firmware: aarch32 r1=0xffffffff cpsr=0x1d3$' fw32.out ||
	fail "not entered in 32-bit SVC mode with r1 = ~0 and interrupts masked"
grep -q "^gicvm-firmware: dtb=$dt magic=ok size=[0-9]" fw32.out || fail "r2 was not the DT ($dt)"
grep -q '^gicvm-firmware: memory=0x80000000+0x8000000 cpus=2 bootargs=.*fw=a32' fw32.out ||
	fail "the 32-bit kernel read another machine out of the DT"
grep -q 'kernel at 0x80008000 ' fw32.out || fail "the zImage was not loaded at RAM + 32 KiB"
for args in "-k $img/test-firmware32.img" "--aarch32 -k $img/test-off.img"; do
	"$GICVM" run $args > wrong.out 2>&1 < /dev/null
	rc=$?
	cat wrong.out
	[ $rc = 1 ] && [ "$(wc -l < wrong.out)" = 1 ] || fail "$args: status $rc, not 1 with one line"
done
grep -q 'an arm64 Image, not a 32-bit zImage' wrong.out || fail "--aarch32 took an arm64 Image"
echo "ok: --aarch32: a 32-bit kernel ran in SVC mode with the DT at $dt in r2"

# --debug-single-step: a line per instruction, from the entry's branch on.
"$GICVM" run --debug-single-step -k "$img/test-off.img" > step.out 2> step.err < /dev/null
rc=$?
cat step.err
[ $rc = 0 ] || fail "single-stepping test-off.img: exit status $rc"
[ "$(grep -c '^gicvm: step: vcpu0 pc=0x800000[0-9a-f]*$' step.err)" -ge 3 ] ||
	fail "no line per step"
head -n 1 step.err | grep -q 'pc=0x80000040$' || fail "the first step did not land at the entry (0x80000040)"
echo "ok: --debug-single-step logged $(grep -c step: step.err) steps"
# ... and goes on stepping after a guest reset (KVM_ARM_VCPU_INIT again).
"$GICVM" run --debug-single-step --timeout 2 -k "$img/test-reset.img" > /dev/null 2> step-reset.err < /dev/null
rc=$?
boots=$(grep -c 'pc=0x80000040$' step-reset.err)
[ $rc = 124 ] && [ "$boots" -ge 2 ] ||
	{ tail -n 5 step-reset.err; fail "single-stepping across resets: status $rc, $boots boots stepped"; }
echo "ok: --debug-single-step stepped $boots boots of a resetting guest"

"$GICVM" run --reboot exit -k "$img/test-reset.img" > reset.out 2>&1 < /dev/null
rc=$?
cat reset.out
[ $rc = 2 ] || fail "PSCI SYSTEM_RESET with --reboot exit: exit status $rc, expected 2"
grep -q "guest asked for a reset" reset.out || fail "no message for the reset"

"$GICVM" run -c 2 --timeout 4 --json-summary loop.json -k "$img/test-reset.img" \
	> loop.out 2>&1 < /dev/null
rc=$?
tail -n 3 loop.out
cat loop.json
[ $rc = 124 ] || fail "a resetting guest under --timeout: exit status $rc, expected 124"
reboots=$(sed -n 's/.*"reboots": *\([0-9]*\).*/\1/p' loop.json)
[ "${reboots:-0}" -ge 2 ] || fail "the guest was not rebooted in place (reboots=${reboots:-none})"
echo "ok: a resetting guest was rebooted $reboots times in 4 s"

"$GICVM" run -c 2 -k "$img/test-bad-mmio.img" > bad.out 2>&1 < /dev/null
rc=$?
cat bad.out
[ $rc = 1 ] || fail "unemulatable MMIO: exit status $rc, expected 1"
grep -q "vCPU 0: " bad.out || fail "no message naming the failing vCPU"
grep -q "pc  *0000000080000" bad.out || fail "no PC in the dump"
grep -q "pstate  *00000000000003c5" bad.out || fail "no PSTATE in the dump"
grep -q "x19  *0000000000001234" bad.out || fail "no general registers in the dump"
echo "exit statuses and the register dump are right"

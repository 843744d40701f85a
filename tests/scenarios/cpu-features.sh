# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# --pmu: the guest has a PMU and counts cycles with it. --sve-max-vl 256:
# the guest's SVE vector length is capped at 256 bits (32 bytes), when the
# (emulated) CPU has SVE. Pointer authentication whenever the host has it,
# except in protected mode (pKVM), where 6.12 cannot give it to a guest;
# Without the options the guest has no PMU, and SVE at the longest vector
# length the host allows (as kvmtool gives it); with --disable-ptrauth and
# --disable-sve (one guest) neither.
. "$(dirname "$0")/lib.sh"
guest_test cpufeat --pmu --sve-max-vl 256
cycles=$(result pmu_cycles)
[ "$(result pmu_device)" -ge 1 ] || fail "no PMU in the guest"
[ "$cycles" -gt 1000 ] || fail "the PMU counted $cycles cycles"
if grep -q sve /proc/cpuinfo; then
	[ "$(result sve_vl_bytes)" = 32 ] || fail "SVE vector length $(result sve_vl_bytes) bytes, not 32"
else
	echo "note: this host CPU has no SVE; --sve-max-vl was refused, not tested"
fi
# What the host has that a guest gets by default, and so can be disabled.
disable=
if tr ' ' '\n' < /proc/cmdline | grep -qx kvm-arm.mode=protected; then
	[ "$(result paca)" = 0 ] || fail "pointer authentication for a guest of a protected-mode host"
	echo "protected mode: the guest runs without pointer authentication"
elif grep -q paca /proc/cpuinfo; then
	[ "$(result paca)" -ge 1 ] || fail "the host has pointer authentication, the guest not"
	disable=--disable-ptrauth
fi
guest_test cpufeat
[ "$(result pmu_device)" = 0 ] || fail "a PMU without --pmu"
if grep -q sve /proc/cpuinfo; then
	vl=$(result sve_vl_bytes)
	[ "$vl" -ge 16 ] || fail "no SVE by default on a host that has it ($vl)"
	echo "SVE by default: $vl-byte vectors"
	disable="$disable --disable-sve"
fi
# Both off in one guest.
if [ -n "$disable" ]; then
	guest_test cpufeat $disable
	case $disable in *ptrauth*)
		[ "$(result paca)" = 0 ] || fail "pointer authentication despite --disable-ptrauth" ;;
	esac
	case $disable in *sve*)
		[ "$(result sve_vl_bytes)" = -1 ] || fail "SVE despite --disable-sve" ;;
	esac
fi
echo "ok: $cycles cycles counted with --pmu; SVE capped at 256 bits, on by default, off when disabled"

# SPDX-License-Identifier: GPL-2.0-only
# Inside the emulated host (or natively): run the KVM selftests in
# /selftests (or $1), each under a time limit, as PASS/FAIL lines named
# after KVM's mode (vhe or nvhe). The tests' own output is shown for a
# failure. Run with sh.
dir=${1:-/selftests}
# "kvm [1]: VHE mode initialized" or "kvm [1]: Hyp nVHE mode initialized".
case $(dmesg | grep -o 'kvm \[[0-9]*\]: .*mode initialized' | head -n 1) in
*nVHE*) mode=nvhe ;;
*VHE*) mode=vhe ;;
*) mode=unknown ;;
esac
echo "kernel-selftests: KVM in ${mode} mode on $(uname -r)"

# run NAME TIMEOUT COMMAND...
run() {
	name=$1 limit=$2
	shift 2
	start=$(date +%s)
	timeout "$limit" "$@" > /tmp/selftest.out 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc = 0 ]; then
		echo "PASS $mode/$name (${secs}s)"
	else
		[ $rc = 143 ] && echo "(timed out after ${limit}s)" >> /tmp/selftest.out
		echo "FAIL $mode/$name (exit $rc, ${secs}s)"
		grep -v 'addr2line: not found' /tmp/selftest.out | tail -n 15 | sed 's/^/    | /'
	fi
}

run vgic_init 300 "$dir/vgic_init"
run vgic_irq 300 "$dir/vgic_irq"
# Under TCG a timer interrupt can come 100 ms late; the default margin is 100 us.
run arch_timer 300 "$dir/arch_timer" -e 100000
run vgic_lpi_stress 300 "$dir/vgic_lpi_stress"
run kvm_binary_stats_test 300 "$dir/kvm_binary_stats_test"

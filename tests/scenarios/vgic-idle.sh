# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: kernel/measure.sh
# A 2-vCPU default guest that idles for gicvm.idle_for=SECONDS (from the
# host's command line), with gicvm's counters and KVM's stats at exit: the
# runs kernel/measure.sh counts the host's ICH_* register accesses over.
. "$(dirname "$0")/lib.sh"
secs=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^gicvm\.idle_for=//p')
guest_params="gicvm.idle=${secs:-2}"
guest_test idle -c 2 --stats
grep '^kvm_vcpu\.vcpu[0-9]*\.\(exits\|wfi_exit_stat\|vgic_\)' "$out" || true
echo "ok: idled ${secs:-2} s"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 400
# A guest with more vCPUs than one redistributor region holds (16) and than
# the emulated host has CPUs: 20 vCPUs, redistributors in two regions
# (KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION, #redistributor-regions = 2 in the
# DT); the guest finds CPUs 16-19's redistributors in region 1 and brings
# all 20 online.
. "$(dirname "$0")/lib.sh"
# The whole kernel log: the guest's GIC driver says where it found each.
GUEST_QUIET= boot_agent 20 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic v3-its
grep 'found redistributor' "$out" | sed -n '1p;$p'
n=$(grep -c 'found redistributor [0-9a-f]* region 1:' "$out")
[ "$n" = 4 ] || fail "expected 4 CPUs with redistributors in region 1, saw $n"
echo "ok: 20 vCPUs online, 16 redistributors in region 0 and 4 in region 1"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# The default guest boots to userspace with 1 vCPU(s): the agent sees 1 CPUs,
# a GICv3 and a ticking arch timer, and powers off; gicvm exits 0.
. "$(dirname "$0")/lib.sh"
boot_agent 1 -k "$GUEST_IMAGE" -i "$GUEST_INITRD"

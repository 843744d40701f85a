# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# `gicvm run` with no kernel boots the installed default guest.
. "$(dirname "$0")/lib.sh"
[ -f /usr/local/share/gicvm/Image ] || fail "the default guest is not installed in this host"
boot_agent 1

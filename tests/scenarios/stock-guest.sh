# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: make reliability (make check boots the stock kernel as a guest in run-command)
# Debian's stock trixie arm64 kernel boots as a guest to the initramfs and
# powers off (its Image as the deb ships it, uncompressed). Its whole log is
# kept: its banner says whose kernel it is.
. "$(dirname "$0")/lib.sh"
[ -f "$STOCK_IMAGE" ] || fail "no stock kernel at $STOCK_IMAGE"
GUEST_QUIET= boot_agent 2 -k "$STOCK_IMAGE" -i "$GUEST_INITRD"
grep -q 'Linux version 6.12.*Debian' "$out" || fail "that was not Debian's kernel"

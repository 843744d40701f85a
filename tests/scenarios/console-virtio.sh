# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# --console virtio: the guest's console is hvc0 (virtio-console), both ways:
# its shell reads a typed command from gicvm's stdin and answers on stdout.
. "$(dirname "$0")/lib.sh"
shell_command 'echo typed-$((6 * 7)) on $(head -n 1 /proc/consoles | cut -d" " -f1); poweroff -f' \
	--console virtio
grep -q 'typed-42 on hvc0' "$out" || fail "the guest's console is not hvc0, or input did not reach it"
echo "ok: the guest's console ran over virtio (hvc0)"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# Typing into the console reaches the guest: the default guest's shell reads
# a command from gicvm's stdin (8250 receive path and its irqfd interrupt),
# runs it and powers off.
. "$(dirname "$0")/lib.sh"
shell_command 'echo typed-$((6 * 7)); poweroff -f'
grep -q 'typed-42' "$out" || fail "the command typed on stdin did not run in the guest"
echo "console input reached the guest's shell"

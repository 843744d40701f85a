#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the native unit-test binaries given as arguments and the source-level
# design checks; print every result and a closing "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$@"; do
	"$t" >> "$out" 2>&1 || grep -q '^FAIL' "$out" || echo "FAIL $(basename "$t") (crashed)" >> "$out"
done

# The VMM is never on the interrupt path: no device may inject with KVM_IRQ_LINE.
if grep -rln 'KVM_IRQ_LINE' "$top"/*.c "$top"/arm "$top"/gic "$top"/hw "$top"/virtio 2>/dev/null; then
	echo "FAIL design/no-irq-line-ioctl (KVM_IRQ_LINE used in the files above)" >> "$out"
else
	echo "PASS design/no-irq-line-ioctl" >> "$out"
fi

cat "$out"
passed=$(grep -c '^PASS' "$out")
failed=$(grep -c '^FAIL' "$out")
echo "unit: $passed passed, $failed failed"
[ "$failed" = 0 ]

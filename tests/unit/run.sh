#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the native unit-test binaries given as arguments, the benchmark
# report's tests and the source-level design checks; print every result and a closing "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$@"; do
	"$t" >> "$out" 2>&1 || grep -q '^FAIL' "$out" || echo "FAIL $(basename "$t") (crashed)" >> "$out"
done

# make bench's arithmetic (Debian's python3, which deps.sh installs).
/usr/bin/python3 "$top/tests/unit/test_bench_report.py" >> "$out" 2>&1 ||
	grep -q '^FAIL bench_report' "$out" || echo "FAIL bench_report (crashed)" >> "$out"

# The VMM is never on the interrupt path: nothing injects with KVM_IRQ_LINE
# or KVM_SIGNAL_MSI but gic/inject.c's benchmark-only --irq-inject ioctl
# (the scenarios check the counters stay 0 without it).
if grep -rlE --include='*.c' 'KVM_IRQ_LINE|KVM_SIGNAL_MSI' "$top"/*.c "$top"/arm "$top"/gic "$top"/hw \
	"$top"/virtio 2>/dev/null | grep -v '/gic/inject\.c$'; then
	echo "FAIL design/no-irq-line-ioctl (injection ioctls used in the files above)" >> "$out"
else
	echo "PASS design/no-irq-line-ioctl" >> "$out"
fi

# Tests link gicvm's objects: none includes a .c file, and what they fake of
# KVM's side (the GIC, ioeventfds, the I/O loop) is defined once, in tests/fakes.
if grep -rlE '^#include ".*\.c"' "$top"/tests; then
	echo "FAIL design/tests-link-objects (the files above include .c files)" >> "$out"
elif grep -rlE '^(int|void|bool) (gic_[a-z_]+|ioloop_[a-z]+|vm_ioeventfd[a-z_]*|vm_request_stop)\(' \
	"$top"/tests | grep -v '/tests/fakes/'; then
	echo "FAIL design/one-fake-host (the files above fake KVM's side again)" >> "$out"
else
	echo "PASS design/tests-link-objects" >> "$out"
fi

cat "$out"
passed=$(grep -c '^PASS' "$out")
failed=$(grep -c '^FAIL' "$out")
echo "unit: $passed passed, $failed failed"
[ "$failed" = 0 ]

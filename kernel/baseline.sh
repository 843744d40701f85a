#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make kernel-baseline: the series' selftests on the stock kernel, to show
# they test something. Builds Debian's 6.12 without the series (cached like
# the project kernel: GICVM_SERIES_UPTO=0) and runs the selftests built
# with the whole series on it, VHE, nVHE and protected. Passes when the new
# vgic_irq cases (the four modes, the asymmetric, timer and Group 0 tests)
# and vgic_lpi_lrs all fail there, and every other test passes as it does
# with the series.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

selftests=$("$here/selftests.sh" | tail -n 1) || exit 1
stock=$(GICVM_SERIES_UPTO=0 "$here/build.sh" | tail -n 1) || exit 1
echo "baseline: the series' selftests on $stock/Image (no patches)"
# A hang is a hang after 30 s: with the series each run takes a second or two.
SELFTESTS_DIR=$selftests HOST_KERNEL=$stock/Image SELFTEST_HOST_ARGS=gicvm.vgic_irq_limit=30 \
	"$top/tests/host/kernel-selftests.sh" |
	tee "$top/build/test-logs/baseline.out"

results=$top/build/test-logs/selftests.results
bad=$(grep -E '^PASS [a-z]+/(vgic_irq/|vgic_lpi_lrs)|^FAIL [a-z]+/(vgic_init|arch_timer|vgic_lpi_stress|kvm_binary_stats_test)' "$results")
new_failed=$(grep -cE '^FAIL [a-z]+/vgic_irq/' "$results")
echo
if [ -n "$bad" ] || [ "$new_failed" != 21 ]; then
	echo "baseline: not as expected (the new cases must fail, the others pass):"
	echo "$bad"
	exit 1
fi
echo "baseline: as expected: the 21 new vgic_irq runs and vgic_lpi_lrs fail without the series, the other tests pass"

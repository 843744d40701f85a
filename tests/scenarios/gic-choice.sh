# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: make reliability (make check has the same GICs elsewhere:
# boot-4cpu, cli-lkvm's --irqchip gicv3 with virtio-mmio, snapshot's --gic v3)
# --gic v3 and --gic v3-its with 4 vCPUs, and auto with 1 (which must pick
# v3-its on this host; the count matters only past a GICv2's 8).
# Every CPU of a 4-vCPU guest takes IPIs (SGIs between vCPUs); with the
# ITS, virtio-rng sits on PCI and interrupts with ITS MSIs, with a plain v3
# it is on virtio-mmio with a wired SPI.
. "$(dirname "$0")/lib.sh"
for gic in v3 v3-its auto; do
	for n in 1 4; do
		[ $gic = auto ] && [ $n = 4 ] && continue
		[ $gic != auto ] && [ $n = 1 ] && continue
		boot_agent $n -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --gic $gic --rng --loglevel info
		chosen=$(sed -n 's/.*gicvm: info: GIC \([a-z0-9-]*\):.*/\1/p' "$out")
		[ "$gic" = auto ] && want=v3-its || want=$gic
		[ "$chosen" = "$want" ] || fail "--gic $gic gave '$chosen', expected $want"
		msi=$(agent_value msi)
		if [ "$want" = v3-its ]; then
			[ "${msi:-0}" -ge 1 ] || fail "--gic $gic: virtio-rng has no MSI vector"
			echo "$line" | grep -q 'msi_chip=ITS-PCI-MSI' || fail "MSIs not from the ITS"
		else
			[ "${msi:-1}" = 0 ] || fail "--gic $gic: MSIs without an ITS?"
		fi
		if [ $n = 4 ]; then
			ipis=$(agent_value ipi_min)
			[ "${ipis:-0}" -gt 0 ] || fail "--gic $gic: a CPU took no IPIs (ipi_min=$ipis)"
		fi
		echo "ok: --gic $gic, $n vCPU(s): chose $chosen, msi=$msi ipi_min=$(agent_value ipi_min)"
	done
done

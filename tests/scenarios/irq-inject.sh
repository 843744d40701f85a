# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# driven-by: make reliability (make bench relies on it; make check's time budget)
# The benchmarks' --irq-inject ioctl works as make bench assumes: the same
# guest gets its interrupts when gicvm injects them with KVM_SIGNAL_MSI (ITS
# MSIs on PCI) or KVM_IRQ_LINE (SPIs on virtio-mmio) instead of irqfds, and
# the counters say so. --json-summary's timeline and memory figures hold
# together, and only the console and configuration exit to gicvm.
. "$(dirname "$0")/lib.sh"

boot_agent 1 --rng --virtio-transport pci --irq-inject ioctl --json-summary pci.json
cat pci.json
[ "$(agent_value msi)" -gt 0 ] || fail "no MSI vectors in the guest: $line"
[ "$(json_number signal_msi_calls pci.json)" -gt 0 ] || fail "no KVM_SIGNAL_MSI was made"
[ "$(json_number irq_line_calls pci.json)" = 0 ] || fail "KVM_IRQ_LINE used on PCI"
[ "$(json_number interrupts pci.json)" -gt 0 ] || fail "virtio-rng raised no interrupt"

boot_agent 1 --rng --virtio-transport mmio --irq-inject ioctl --json-summary mmio.json
cat mmio.json
[ "$(json_number irq_line_calls mmio.json)" -gt 0 ] || fail "no KVM_IRQ_LINE was made"
[ "$(json_number signal_msi_calls mmio.json)" = 0 ] || fail "KVM_SIGNAL_MSI used on mmio"
# virtio-mmio's interrupts cost exits (InterruptStatus, InterruptACK); MSI-X's do not.
[ "$(json_number irq_ack_exits mmio.json)" -gt 0 ] || fail "no InterruptStatus/ACK exits counted"
[ "$(json_number irq_ack_exits pci.json)" = 0 ] || fail "interrupt exits on PCI with MSI-X"

for j in pci.json mmio.json; do
	[ "$(json_number notify_mmio_exits $j)" = 0 ] || fail "$j: a queue notification exited"
	[ "$(json_number uart8250 $j)" -gt 0 ] || fail "$j: no console exits counted"
	origin=$(json_number guest_origin_us $j)
	first=$(json_number first_kvm_run_us $j)
	stop=$(json_number stop_us $j)
	[ "$origin" -gt 0 ] && [ "$first" -gt "$origin" ] && [ "$stop" -gt "$first" ] ||
		fail "$j: timeline out of order: origin $origin, first run $first, stop $stop"
	# 256 MiB of guest RAM, much of it touched: left out, gicvm itself is small.
	rss=$(json_number vmm_rss_kib $j)
	[ "$rss" -gt 100 ] && [ "$rss" -lt 16384 ] || fail "$j: gicvm's own RSS is $rss KiB"
done
echo "ok: ioctl injection on PCI and mmio; timeline $origin < $first < $stop us; RSS $rss KiB"

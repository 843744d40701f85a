# SPDX-License-Identifier: GPL-2.0-only
# timeout: 600
# virtio-net with vhost=on: the same traffic as the virtio-net scenario (a
# link-local tap link, ping both ways, 4 MiB each way over TCP, checksums
# by sender and receiver), with the data path in the kernel's vhost-net.
# On PCI with 2 vCPUs (two queue pairs, one /dev/vhost-net each, MSI-X
# irqfds handed to vhost) gicvm's I/O thread serves no kick and relays no
# interrupt; on virtio-mmio the interrupts are relayed through gicvm (its
# InterruptStatus) and the data still never passes it. Then the refusals.
. "$(dirname "$0")/lib.sh"
net_run vtap0 169.254.11 4 -c 2 --virtio-transport pci -n mode=tap,tapif=vtap0,vhost=on
for q in input.0 output.0 input.1 output.1; do
	result net_msi | grep -q "virtio0-$q" || fail "no MSI-X vector for queue $q: $(result net_msi)"
done
kicks=$(json_get 'devices.virtio-net@*.kicks' "$json")
relayed=$(json_get 'devices.virtio-net@*.relayed_interrupts' "$json")
wakeups=$(json_get gicvm.io_wakeups "$json")
[ -n "$relayed" ] || fail "the device has no backend (no relayed_interrupts in the summary)"
echo "pci: kicks served by gicvm $kicks, interrupts relayed $relayed, I/O-thread wake-ups $wakeups"
# gicvm serves the control queue (the driver's MQ command) and kicks made
# before DRIVER_OK: a handful, where 8 MiB through gicvm takes hundreds.
[ -n "$kicks" ] && [ "$kicks" -le 16 ] || fail "gicvm served $kicks kicks: data went through it"
[ "$relayed" = 0 ] || fail "gicvm relayed $relayed interrupts with MSI-X irqfds available"
[ "$wakeups" -lt 100 ] || fail "gicvm's I/O thread woke $wakeups times for 8 MiB of vhost traffic"

net_run vtap1 169.254.12 2 -c 1 --virtio-transport mmio -n mode=tap,tapif=vtap1,vhost=on
kicks=$(json_get 'devices.virtio-net@*.kicks' "$json")
relayed=$(json_get 'devices.virtio-net@*.relayed_interrupts' "$json")
echo "mmio: kicks served by gicvm $kicks, interrupts relayed $relayed"
[ -n "$kicks" ] && [ "$kicks" -le 16 ] || fail "mmio: gicvm served $kicks kicks"
[ "${relayed:-0}" -gt 0 ] || fail "mmio: no interrupt was relayed, so InterruptStatus was never set"

expect_error "vhost without a tap" "--network wants" run -k "$GUEST_IMAGE" -n mode=none,vhost=on
mv /dev/vhost-net /dev/vhost-net.away
expect_error "no /dev/vhost-net" "/dev/vhost-net" run -k "$GUEST_IMAGE" -n mode=tap,vhost=on
mv /dev/vhost-net.away /dev/vhost-net
echo "ok: vhost-net on pci (multiqueue) and mmio, checksums both ways; refusals clear"

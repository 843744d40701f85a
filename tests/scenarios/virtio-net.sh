# SPDX-License-Identifier: GPL-2.0-only
# timeout: 500
# virtio-net over a tap in the emulated host (a link-local test link that
# exists only inside it): ping both ways, then 8 MiB over TCP each way with
# the checksum taken by the sender and by the receiver. With 2 vCPUs on
# PCI the device is multiqueue: two pairs on a multiqueue tap, each queue
# with its own MSI-X vector. Every packet passes gicvm's I/O thread here
# (the vhost-net scenario is the path that does not).
. "$(dirname "$0")/lib.sh"
net_run gtap0 169.254.10 8 -c 2 --virtio-transport pci -n mode=tap,tapif=gtap0
for q in input.0 output.0 input.1 output.1; do
	result net_msi | grep -q "virtio0-$q" || fail "no MSI-X vector for queue $q: $(result net_msi)"
done
wakeups=$(json_get gicvm.io_wakeups "$json")
kicks=$(json_get 'devices.virtio-net@*.kicks' "$json")
# Here every packet passes gicvm: hundreds of kicks (the vhost-net scenario: a handful).
[ "${kicks:-0}" -gt 100 ] || fail "gicvm served only '$kicks' kicks for 16 MiB of traffic"
echo "ok: pings both ways; 8 MiB each way with matching checksums; $(result net_msi);" \
	"gicvm's I/O thread woke $wakeups times, served $kicks kicks"

# make bench, virtio-net over the emulated host's tap (169.254.20.0/24, a
# link-local test link): receive 64 MiB from the host, then send it 64 MiB.
ip addr add 169.254.20.2/24 dev eth0
ip link set eth0 up
for i in $(seq 1 60); do
	ping -c 1 -W 1 169.254.20.1 > /dev/null 2>&1 && break
done
gicvm-bench tcp-sink 5001
gicvm-bench tcp-source 169.254.20.1 5002 64

# make bench, virtio-blk: 4 KiB sequential and random reads and writes at
# queue depth 1 and 32, two seconds each.
for pattern in seq-read rand-read seq-write rand-write; do
	for qd in 1 32; do
		gicvm-bench blk /dev/vda $pattern $qd 2
	done
done

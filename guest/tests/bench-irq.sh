# make bench, interrupt path: a virtio-blk request's round trip (kick to
# completion interrupt) and an IPI's, one at a time; then 32 requests in
# flight, where every completion is an interrupt to inject.
gicvm-bench blk-lat /dev/vda 2000
gicvm-bench ipi 2000
gicvm-bench blk /dev/vda rand-read 32 2

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The measuring half of `make bench`: runs where KVM is (inside the
# emulated arm64 host, or natively on arm64) and prints one line
#   BENCH-RESULT {"figure": ..., "config": {...}, "guest": {...}, "gicvm": {...}}
# per measurement: what the guest's gicvm-bench reported, and gicvm's own
# --json-summary of that run (exit counts, KVM stats, timeline, memory).
# bench/run.sh collects the lines; bench/report.py makes figures of them.
#
# Usage: in-host.sh REPEATS [FIGURE...]   (figures: boot irq blk net rootfs snapshot size nested)
# Needs GICVM, GUEST_IMAGE, GUEST_INITRD.
set -u
reps=${1:-3}
shift
figures=${*:-boot irq blk net rootfs snapshot size}
work=$(mktemp -d)
cd "$work" || exit 1

# "a=1 b=x" -> "a": 1, "b": "x"
kv_json() {
	echo "$1" | awk '{
		for (i = 1; i <= NF; i++) {
			k = substr($i, 1, index($i, "=") - 1); v = substr($i, index($i, "=") + 1)
			if (k == "") continue
			if (v !~ /^-?[0-9]+(\.[0-9]+)?$/) v = "\"" v "\""
			printf "%s\"%s\": %s", sep, k, v; sep = ", "
		}
	}'
}

# emit FIGURE "CONFIG k=v..." "GUEST k=v..." [SUMMARY.json]
emit() {
	summary={}
	[ -s "${4:-}" ] && summary=$(tr -d '\n' < "$4")
	printf 'BENCH-RESULT {"figure": "%s", "config": {%s}, "guest": {%s}, "gicvm": %s}\n' \
		"$1" "$(kv_json "$2")" "$(kv_json "$3")" "$summary"
}

# guest_lines MODE: the k=v part of each "gicvm-bench: MODE ..." line in out.
guest_lines() {
	tr -d '\r' < out | sed -n "s/^gicvm-bench: $1 //p"
}

# run_gicvm ARGS...: boot, keep the console in out, the summary in s.json.
run_gicvm() {
	rm -f s.json
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --json-summary s.json "$@" \
		> out 2>&1 < /dev/null
	rc=$?
	[ $rc = 0 ] || { echo "bench: gicvm $* exited $rc:"; tail -n 20 out; }
	return $rc
}

# 1. Boot to the first userspace instruction and to power-off.
bench_boot() {
	for rep in $(seq 1 "$reps"); do
		for cpus in 1 2 4; do
			for console in serial virtio; do
				run_gicvm -c $cpus --console $console -p rdinit=/bin/gicvm-bench || continue
				emit boot "cpus=$cpus console=$console rep=$rep" \
					"$(guest_lines boot)" s.json
			done
		done
	done
}

# 3. A virtio request's round trip and an IPI's, irqfd against KVM_IRQ_LINE.
bench_irq() {
	dd if=/dev/zero of=lat.img bs=1M count=16 2>/dev/null
	for rep in $(seq 1 "$reps"); do
		for transport in mmio pci; do
			for inject in irqfd ioctl; do
				run_gicvm -c 2 --virtio-transport $transport --irq-inject $inject \
					-d lat.img -p gicvm.test=bench-irq || continue
				cfg="transport=$transport inject=$inject rep=$rep"
				emit blk-lat "$cfg" "$(guest_lines blk-lat)" s.json
				emit ipi "$cfg" "$(guest_lines ipi)"
				emit blk-qd32 "$cfg" "$(guest_lines blk)"
			done
		done
	done
}

# 4a. virtio-blk: 4 KiB patterns at queue depth 1 and 32.
bench_blk() {
	dd if=/dev/zero of=blk.img bs=1M count=128 2>/dev/null
	for rep in $(seq 1 "$reps"); do
		for transport in mmio pci; do
			for backend in buffered direct; do
				disk=blk.img
				[ $backend = direct ] && disk=blk.img,direct
				run_gicvm -c 2 --virtio-transport $transport -d $disk \
					-p gicvm.test=bench-blk || continue
				guest_lines blk | while read -r line; do
					emit blk "transport=$transport backend=$backend rep=$rep" "$line" s.json
				done
			done
		done
	done
}

# 4b. virtio-net: TCP over a tap, host to guest and guest to host.
bench_net() {
	for rep in $(seq 1 "$reps"); do
		for transport in mmio pci; do
			for backend in tap vhost; do
				net_run_once $transport $backend $rep
			done
		done
	done
}

# net_run_once TRANSPORT tap|vhost REP: 64 MiB each way over the tap, gicvm's
# own path or vhost-net's; the summary (I/O-thread wake-ups) with h2g.
net_run_once() {
	opts=
	[ "$2" = vhost ] && opts=,vhost=on
	gicvm-bench tcp-sink 5002 > g2h.out 2>&1 &
	sink=$!
	"$GICVM" run -c 2 -m 512 --virtio-transport $1 -k "$GUEST_IMAGE" \
		-i "$GUEST_INITRD" -n mode=tap,tapif=btap0$opts -p gicvm.test=bench-net \
		--json-summary s.json > out 2>&1 < /dev/null &
	vm=$!
	for i in $(seq 1 100); do
		[ -e /sys/class/net/btap0 ] && break
		sleep 0.2
	done
	ip addr add 169.254.20.1/24 dev btap0 && ip link set btap0 up
	gicvm-bench tcp-source 169.254.20.2 5001 64 > h2g.out 2>&1 ||
		echo "bench: host->guest failed: $(cat h2g.out)"
	wait $vm || { echo "bench: net run failed:"; tail -n 20 out; }
	kill $sink 2>/dev/null
	wait $sink
	cfg="transport=$1 backend=$2 rep=$3"
	emit net "$cfg direction=h2g" "$(guest_lines tcp-sink | tail -n 1)" s.json
	emit net "$cfg direction=g2h" "$(sed -n 's/^gicvm-bench: tcp-sink bytes/bytes/p' g2h.out)"
}

# 6. gicvm run --rootfs / -- true from start to exit against a plain
# initramfs boot to power-off (same run, ratios); then in one --rootfs
# guest, find over 10,000 files and a 256 MiB sequential read through
# virtio-fs, and the same 256 MiB read from a virtio-blk disk. Outside
# /tmp, which a --rootfs guest gets fresh.
bench_rootfs() {
	tree=/home/gicvm-bench.$$
	mkdir -p $tree/files
	for d in $(seq 1 100); do
		mkdir $tree/files/$d && (cd $tree/files/$d && touch $(seq 1 100))
	done
	dd if=/dev/urandom of=$tree/data.bin bs=1M count=256 2>/dev/null
	cat > $tree/walk.sh <<-EOF
	ms() { awk -v a="\$1" -v b="\$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
	up() { cut -d' ' -f1 /proc/uptime; }
	t0=\$(up); n=\$(find $tree/files | wc -l); t1=\$(up)
	dd if=$tree/data.bin of=/dev/null bs=1M 2>/dev/null; t2=\$(up)
	dd if=/dev/vda of=/dev/null bs=1M 2>/dev/null; t3=\$(up)
	# The same tree on an ext4-driven (ext2-format) disk, walked cold too.
	busybox mke2fs -q -N 12000 /dev/vdb && mkdir -p /tmp/blk &&
		mount -t ext4 /dev/vdb /tmp/blk && cp -a $tree/files /tmp/blk/ &&
		umount /tmp/blk && mount -t ext4 -o ro /dev/vdb /tmp/blk || exit 1
	t4=\$(up); nb=\$(find /tmp/blk/files | wc -l); t5=\$(up)
	echo "gicvm-bench: rootfs files=\$n find_ms=\$(ms \$t0 \$t1) fs_read_ms=\$(ms \$t1 \$t2) blk_read_ms=\$(ms \$t2 \$t3) blk_files=\$nb blk_find_ms=\$(ms \$t4 \$t5)"
	EOF
	for rep in $(seq 1 "$reps"); do
		run_gicvm -p rdinit=/bin/gicvm-bench || continue
		emit rootfs "run=initramfs rep=$rep" "" s.json
		rm -f s.json
		"$GICVM" run -k "$GUEST_IMAGE" --rootfs / --json-summary s.json -- true \
			> out 2>&1 < /dev/null || { tail out; continue; }
		emit rootfs "run=rootfs-true rep=$rep" "" s.json
		rm -f s.json
		rm -f $tree/blank.img && dd if=/dev/zero of=$tree/blank.img bs=1M count=64 2>/dev/null
		"$GICVM" run -k "$GUEST_IMAGE" -m 512 --rootfs / -d $tree/data.bin,ro -d $tree/blank.img \
			--json-summary s.json -- sh $tree/walk.sh > out 2>&1 < /dev/null ||
			{ tail out; continue; }
		emit rootfs "run=walk rep=$rep" "$(guest_lines rootfs)" s.json
	done
	rm -rf $tree
}

# wait_for FILE PATTERN: until FILE has PATTERN (120 s at most).
wait_for() {
	for i in $(seq 1 1200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# 6. Snapshots: a guest held at its first userspace instruction, snapshot
# there (--stop), restored; at 256 MiB, 1 GiB and 4 GiB of RAM. Cold boot to
# that point against restore to running (the restore's first KVM_RUN), the
# snapshot's time and its memory file against the RAM the guest touched.
bench_snapshot() {
	export XDG_RUNTIME_DIR=$work/run
	mkdir -p -m 700 "$XDG_RUNTIME_DIR"
	for rep in $(seq 1 "$reps"); do
		for mem in 256 1024 4096; do
			rm -rf snap cold.json r.json
			"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -m $mem --name bsnap \
				--json-summary cold.json -p "rdinit=/bin/gicvm-bench -- hold" \
				> out 2>&1 < /dev/null &
			pid=$!
			wait_for out 'gicvm-bench: hold' || { echo "bench: no hold at $mem MiB"; kill $pid; continue; }
			"$GICVM" snapshot --name bsnap --stop snap > snap.txt || { kill $pid; continue; }
			wait $pid
			# "snap: saved: N bytes of state, P of Q RAM pages, T ms; stopping"
			cold="$(guest_lines hold) $(sed -n 's/.*saved: \([0-9]*\) bytes of state, \([0-9]*\) of [0-9]* RAM pages, \([0-9]*\) ms.*/state_bytes=\1 pages_written=\2 snapshot_ms=\3/p' snap.txt)"
			cold="$cold memory_file_kib=$(du -k snap/memory | cut -f1)"
			echo resume | "$GICVM" run --restore snap --json-summary r.json > out 2>&1
			grep -q 'gicvm-bench: resumed' out || { echo "bench: the clone did not resume at $mem MiB"; continue; }
			emit snapshot "mem_mib=$mem rep=$rep run=cold" "$cold" cold.json
			emit snapshot "mem_mib=$mem rep=$rep run=restore" "$(guest_lines resumed)" r.json
		done
	done
}

# 7. Nested (a host booted with kvm-arm.mode=nested: the nested test bed's):
# guest/nested.c as a guest of this host (L1's place), and as the guest of
# the gicvm in a --nested guest (L2), whose summary comes back on L1's
# command output. Each with its own timeline and SGI round trip.
nested_rtt() {
	tr -d '\r' < out | sed -n 's/^gicvm-nested: .* sgi_rtt_ns=\([0-9]*\).*/sgi_rtt_ns=\1/p' | tail -n 1
}

bench_nested() {
	if ! grep -q 'kvm-arm.mode=nested' /proc/cmdline; then
		echo "bench: nested: this host was not booted with kvm-arm.mode=nested"
		return
	fi
	# L1's console is a tty gicvm cannot open again: the summary goes by a file.
	l2='f=$(mktemp) && gicvm run -c 2 -m 64 -f /guests/test-nested.img --json-summary "$f" &&
		echo && cat "$f"'

	for rep in $(seq 1 "$reps"); do
		rm -f s.json
		"$GICVM" run -c 2 -m 64 -f /guests/test-nested.img --json-summary s.json \
			> out 2>&1 < /dev/null || { echo "bench: test-nested.img failed:"; tail -n 5 out; continue; }
		emit nested "level=1 rep=$rep" "$(nested_rtt)" s.json
		"$GICVM" run --nested -c 2 -m 512 -k "$GUEST_IMAGE" --rootfs / -- sh -c "$l2" \
			> out 2>&1 < /dev/null || { echo "bench: the --nested guest failed:"; tail -n 5 out; continue; }
		tr -d '\r' < out | grep '^{"exit_reason"' | tail -n 1 > s.json
		emit nested "level=2 rep=$rep" "$(nested_rtt)" s.json
	done
}

# 5. The binary as installed.
bench_size() {
	emit size "binary=gicvm" "bytes=$(wc -c < "$GICVM")"
}

for f in $figures; do
	echo "bench: $f"
	"bench_$f"
done
echo "bench: done"
cd / && rm -rf "$work"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# driven-by: make reliability
# A guest that keeps its virtio-rng's ring and its virtio-console's
# transmit ring full for ever (every buffer back the moment it is returned,
# a kick after each look; 64 KiB rng requests, 32 MiB console chains of
# which gicvm prints 64 KiB) cannot hold gicvm's I/O thread,
# which also serves the disk, the control socket, signals and --timeout:
# the disk reads the same all along, and `gicvm stop`, SIGTERM and
# --timeout each end the VM within a second (2 s allowed here, for the
# emulated host's scheduling).
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR=$PWD/run
mkdir -m 700 run
dd if=/dev/urandom of=disk.img bs=1M count=1 2>/dev/null
want=$(sha < disk.img)

# ms: milliseconds since the host booted.
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# flood_start NAME [gicvm run options...]: boot the flood in the background
# ($pid, output in $out) and wait until both devices are flooded. The
# console's flood is zeros, megabytes a second: they are dropped on their
# way to $out.
flood_start() {
	out=$PWD/flood-$1.out
	shift
	rm -f console.fifo
	mkfifo -m 600 console.fifo
	tr -d '\000' < console.fifo > "$out" &
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --virtio-transport pci --rng \
		--console virtio -d disk.img,ro "$@" -p "gicvm.test=flood quiet" \
		> console.fifo 2>&1 < /dev/null &
	pid=$!
	launched=$(ms)
	wait_for_line 'flooding the virtio-rng' $pid &&
		wait_for_line 'flooding the virtio-console' $pid ||
		{ cat "$out"; fail "the virtio-rng and virtio-console were not both flooded"; }
	flooded_after=$(($(ms) - launched))
}

# flood_boot NAME [gicvm run options...]: flood_start, and wait until the
# disk was read three times during the flood, the same each time.
flood_boot() {
	flood_start "$@"
	wait_for_result disk_read_3 $pid || { cat "$out"; fail "the disk was not read during the flood"; }
	for i in 0 1 2 3; do
		[ "$(result disk_read_$i)" = "$want" ] ||
			{ cat "$out"; fail "disk read $i during the flood: $(result disk_read_$i), not $want"; }
	done
}

# stopped_within MS STATUS WHAT: gicvm ($pid) ended with STATUS, MS after $t0.
stopped_within() {
	wait $pid
	rc=$?
	took=$(($(ms) - t0))
	echo "$3: gicvm ended with $rc after $took ms"
	[ $rc = "$2" ] || { cat "$out"; fail "$3: status $rc, not $2"; }
	[ $took -le "$1" ] || fail "$3: took $took ms under the flood"
	wait
}

flood_boot stop --name flood
timeout 5 "$GICVM" list | grep -q flood || fail "the control socket went unanswered under the flood"
t0=$(ms)
"$GICVM" stop --name flood > stop.out 2>&1 || { cat stop.out; fail "gicvm stop failed"; }
stopped_within 2000 0 "gicvm stop"

flood_start term
t0=$(ms)
kill -TERM $pid
stopped_within 2000 $((128 + 15)) "SIGTERM"

# --timeout: its time starts a little after gicvm does (the VM is built
# first: a second more allowed). It must end a VM that is flooding: twice
# as long as the floods took to start in the last run, and 10 s more
# (the emulated host's speed varies from run to run). The disk reads,
# slow under two floods, are checked in the first run only.
secs=$((flooded_after * 2 / 1000 + 10))
t0=$(ms)
flood_start timeout --timeout $secs
t0=$((t0 + secs * 1000))
stopped_within 3000 124 "--timeout $secs"
echo "ok: under virtio-rng and virtio-console floods the disk read true, and stop, SIGTERM and --timeout were prompt"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 1500
# driven-by: make reliability
# Load: 8 guests at once in the emulated host, each for $SOAK_SECONDS (180)
# writing and reading back 8 MiB rounds on its own disk and fetching a file
# from the host over its own tap. Every guest must power off cleanly with
# every round verified, and its disk must hold what it wrote last.
. "$(dirname "$0")/lib.sh"
n=${SOAK_GUESTS:-8} secs=${SOAK_SECONDS:-180}
mkdir -p www
dd if=/dev/urandom of=www/h2g.bin bs=1M count=4 2>/dev/null
h2g=$(sha < www/h2g.bin)
# Its own port: an earlier scenario's httpd may still hold 8080.
httpd -f -p 8091 -h www &
httpd_pid=$!
trap 'kill $httpd_pid 2>/dev/null' EXIT
pids=
for g in $(seq 1 "$n"); do
	dd if=/dev/zero of=disk$g.img bs=1M count=16 2>/dev/null
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -m 192 -d disk$g.img \
		-n mode=tap,tapif=soak$g -p "quiet gicvm.test=soak-io gicvm.guest=$g gicvm.soak=$secs gicvm.h2g=$h2g" \
		> out$g 2>&1 < /dev/null &
	pids="$pids $!"
done
for g in $(seq 1 "$n"); do
	for i in $(seq 1 300); do
		[ -e /sys/class/net/soak$g ] && break
		sleep 0.2
	done
	ip addr add 169.254.$((40 + g)).1/24 dev soak$g && ip link set soak$g up ||
		fail "guest $g: no tap"
done
g=0 total=0
for pid in $pids; do
	g=$((g + 1))
	wait $pid || { tail -n 20 out$g; fail "guest $g: gicvm exited with status $?"; }
	line=$(tr -d '\r' < out$g | grep 'GUEST-RESULT soak ')
	rounds=$(echo "$line" | sed -n 's/.*rounds=\([0-9]*\).*/\1/p')
	[ -n "$rounds" ] && [ "$rounds" -ge 1 ] || { tail -n 20 out$g; fail "guest $g: no rounds done"; }
	echo "$line" | grep -q ' bad=0 ' || { tr -d '\r' < out$g | grep -v '^\[' | tail -n 20; fail "guest $g: $line"; }
	[ "$(head -c 8388608 disk$g.img | sha)" = "$(echo "$line" | sed 's/.*disk=//')" ] ||
		fail "guest $g: its disk does not hold what it wrote last"
	echo "guest $g: $rounds rounds verified"
	total=$((total + rounds))
done
echo "ok: $n guests at once for ${secs}s; $total rounds of 8 MiB disk + 4 MiB net verified"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# What a guest flushed is on disk even if gicvm dies right after: the guest
# writes 4 KiB records with O_DIRECT and fsync()s (virtio-blk FLUSH) every
# 8; once it says a flush returned, gicvm is killed with SIGKILL, and every
# record up to that flush must be in the image, whole. $DURABILITY_ROUNDS
# rounds (2 here; `make reliability` runs 20), each killing at a different
# point.
. "$(dirname "$0")/lib.sh"
rounds=${DURABILITY_ROUNDS:-2}
dd if=/dev/zero of=disk.img bs=1M count=16 2>/dev/null
verified=0

# record_ok ROUND SEQ: the record's header line and its last byte are right.
record_ok() {
	[ "$(dd if=disk.img bs=4096 skip="$2" count=1 2>/dev/null | head -n 1)" = "gicvm-record $1 $2" ] &&
		[ "$(dd if=disk.img bs=1 skip=$(($2 * 4096 + 4095)) count=1 2>/dev/null | od -An -tu1 | tr -d ' ')" = \
		  $((($1 * 31 + $2) % 256)) ]
}

for r in $(seq 1 "$rounds"); do
	target=$((8 * (r * 5 % 7) + 7))		# kill after flush 7, 47, 39, ... of this round
	out=out.$r
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -d disk.img \
		-p "$GUEST_QUIET gicvm.test=durable gicvm.round=$r" > $out 2>&1 < /dev/null &
	pid=$!
	last=
	for i in $(seq 1 1200); do
		last=$(tr -d '\r' < $out | sed -n "s/^gicvm-durable: flushed $r //p" | tail -n 1)
		[ -n "$last" ] && [ "$last" -ge $target ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	kill -9 $pid 2>/dev/null
	wait $pid
	rc=$?
	# A flush may have been reported between the check and the kill.
	last=$(tr -d '\r' < $out | sed -n "s/^gicvm-durable: flushed $r //p" | tail -n 1)
	[ $rc = 137 ] || { cat $out; fail "round $r: gicvm ended with $rc before it was killed"; }
	[ -n "$last" ] || { cat $out; fail "round $r: no flush was reported"; }
	for s in $(seq 0 "$last"); do
		record_ok "$r" "$s" || fail "round $r: record $s of 0..$last (flushed) is not in the image"
	done
	verified=$((verified + last + 1))
	echo "round $r: killed after flush $last; records 0..$last are in the image"
done
echo "ok: $rounds rounds of SIGKILL after FLUSH; $verified flushed records verified"

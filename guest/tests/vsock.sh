# Guest side of the vsock scenario (the host is CID 2): four 1 MiB files
# sent at once to the host's port 5001, the host's file fetched from 5002,
# and the host's file received on our port 5003; checksums reported. A boot
# counter on vda: the first boot resets itself (a reboot in place), the
# second powers off.
n=$(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -dc 0-9)
n=$(( ${n:-0} + 1 ))
printf '%-511s\n' "$n" > /tmp/sector
dd if=/tmp/sector of=/dev/vda bs=512 count=1 conv=fsync 2>/dev/null

gicvm-vsock listen 5003 > /tmp/pushed &
listener=$!
sleep 1
echo "GUEST-RESULT vsock_listening=$n"

for i in 1 2 3 4; do
	dd if=/dev/urandom of=/tmp/g2h.$i bs=1M count=1 2>/dev/null
done
sums=$(for i in 1 2 3 4; do sha256sum < /tmp/g2h.$i | cut -d' ' -f1; done | sort | tr '\n' ' ')
echo "GUEST-RESULT g2h_sums_$n=$sums"
pids=
for i in 1 2 3 4; do
	gicvm-vsock connect 2 5001 < /tmp/g2h.$i > /dev/null &
	pids="$pids $!"
done
ok=0
for p in $pids; do
	wait $p && ok=$((ok + 1))
done
echo "GUEST-RESULT g2h_ok_$n=$ok"
echo "GUEST-RESULT h2g_fetched_$n=$(gicvm-vsock connect 2 5002 < /dev/null | sha256sum | cut -d' ' -f1)"
wait $listener
echo "GUEST-RESULT h2g_pushed_$n=$(sha256sum < /tmp/pushed | cut -d' ' -f1)"
if [ "$n" -lt 2 ]; then
	sync
	reboot -f
fi

# Guest side of the virtio-fs scenario: mount the share tagged "hostfs"
# (and "ro" read-only if there), read the file the host put there, write
# one back, and try to write the read-only share. Prints checksums.
set -e
mkdir -p /mnt/fs /mnt/ro
mount -t virtiofs hostfs /mnt/fs && echo "GUEST-RESULT mounted=1"
echo "GUEST-RESULT h2g=$(sha256sum < /mnt/fs/h2g.bin | cut -d' ' -f1)"
echo "GUEST-RESULT listing=$(ls /mnt/fs | tr '\n' ' ')"
if grep -q gicvm.fs_dies /proc/cmdline; then
	# The host kills virtiofsd now: accesses after that must fail (EIO from
	# gicvm), not hang, and so must one the backend held when it died.
	# Report how the first that did not time out ended, and how many did
	# (143).
	echo "GUEST-RESULT ready"
	hung=0
	for i in $(seq 1 60); do
		rc=0
		timeout 10 cat /mnt/fs/h2g.bin > /dev/null 2> /tmp/err || rc=$?
		if [ $rc = 143 ]; then
			hung=$((hung + 1))
		elif [ $rc != 0 ]; then
			break
		fi
		sleep 1
	done
	echo "GUEST-RESULT dead_access=$rc $(head -n 1 /tmp/err)"
	echo "GUEST-RESULT dead_hung=$hung"
	rc=0
	timeout 10 ls /mnt/fs > /dev/null 2>&1 || rc=$?
	echo "GUEST-RESULT dead_again=$rc"
	exit 0
fi
dd if=/dev/urandom of=/tmp/g2h bs=1M count=8 2>/dev/null
echo "GUEST-RESULT g2h=$(sha256sum < /tmp/g2h | cut -d' ' -f1)"
cp /tmp/g2h /mnt/fs/g2h.bin
sync
mkdir /mnt/fs/newdir && echo hello > /mnt/fs/newdir/file && echo "GUEST-RESULT mkdir=ok"
if mount -t virtiofs ro /mnt/ro 2>/dev/null; then
	echo "GUEST-RESULT ro_read=$(cat /mnt/ro/note 2>/dev/null)"
	if echo x > /mnt/ro/new 2>/dev/null; then
		echo "GUEST-RESULT ro_write=accepted"
	else
		echo "GUEST-RESULT ro_write=refused"
	fi
fi
umount /mnt/fs && echo "GUEST-RESULT unmounted=1"

# SPDX-License-Identifier: GPL-2.0-only
# timeout: 900
# One command in a guest booted on the host's own files: gicvm run --rootfs /
# -- COMMAND, as an ordinary user (uid 1000, /dev/kvm open to all). gicvm
# exits with the command's status (42, 7, 0, 137 for SIGKILL, that one on
# Debian's stock kernel with its modules from /lib/modules); 4 MiB go
# through stdin and through stdout byte for byte, stderr apart; the guest
# writes over the host's files into a tmpfs overlay and the host is
# untouched, a writable --fs share gets the caller's files and a read-only
# one refuses them; kvmtool's --sandbox SCRIPT runs the script; without a
# command, the console is the caller's shell. A guest
# kernel panic gives 250 and the panic's text on stderr; virtiofsd killed
# under the command gives 252 and one line; no virtiofsd, or no --rootfs
# for a command: 125 and one line before any guest starts.
. "$(dirname "$0")/lib.sh"
# Outside /tmp, which the guest gets fresh: the command starts in this directory.
work=/home/run-command.$$
mkdir -p $work && cd $work || fail "cannot make $work"
trap 'rm -rf $work' EXIT
chown 1000:1000 .
mkdir -p rw ro home && chown 1000:1000 rw home && echo "read-only note" > ro/note
# uid 1000's HOME: its control socket's directory. A hang ends as 124.
as_user() {
	HOME=$PWD/home run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" --timeout 240 --rootfs / "$@"
}

# Debian's stock kernel: overlayfs, virtio_blk and virtio_mmio are modules
# there, which gicvm takes from /lib/modules (the emulated host has them).
[ -f "$STOCK_IMAGE" ] || fail "no stock kernel at $STOCK_IMAGE"
dd if=/dev/zero of=stock.img bs=1M count=1 2>/dev/null && chown 1000 stock.img
HOME=$PWD/home run-as 1000 "$GICVM" run -k "$STOCK_IMAGE" --timeout 240 --rootfs / \
	-d stock.img -- sh -c 'uname -r; grep " / " /proc/mounts; ls /sys/block; kill -KILL $$' \
	< /dev/null > stock.out 2> stock.err
rc=$?
cat stock.out stock.err
[ $rc = 137 ] || fail "a command killed by SIGKILL (on the stock kernel) gave $rc, not 137"
grep -q 'deb13' stock.out || fail "that was not Debian's kernel"
grep -q '^overlay / overlay' stock.out || fail "the stock kernel's root is not the overlay"
grep -qx vda stock.out || fail "the stock kernel's guest has no disk (virtio_blk not loaded)"
echo "ok: Debian's kernel with its modules: overlay root, a disk, and 137 for SIGKILL"

# stdin from a file and from a pipe; 4 MiB out on stdout, checksums on stderr.
dd if=/dev/urandom of=in.bin bs=1M count=4 2>/dev/null
in_sum=$(sha < in.bin)
cat > job.sh <<'EOF'
echo "stdin $(sha256sum | cut -d' ' -f1)" >&2
head -c 4194304 /dev/urandom > /tmp/out.bin
echo "stdout $(sha256sum < /tmp/out.bin | cut -d' ' -f1)" >&2
cat /tmp/out.bin
echo "uid $(id -u) pwd $(pwd)" >&2
echo "guest wrote this" > overlay-file && echo "overlay written" >&2
echo "hello from the guest" > rw/new-file
echo "x" > ro/refused 2>/dev/null || echo "ro refused" >&2
exit 7
EOF
chmod 755 job.sh
as_user -m 512 --fs "$PWD/rw,tag=rw" --fs "$PWD/ro,tag=ro,ro" \
	--json-summary "$PWD/job.json" --sandbox "$PWD/job.sh" < in.bin > out.bin 2> err.txt
rc=$?
cat err.txt
[ $rc = 7 ] || fail "--sandbox job.sh gave $rc, not its 7"
[ "$(json_get command_status job.json)" = 7 ] || fail "the summary lacks the command's status"
grep -qx "stdin $in_sum" err.txt || fail "the guest read other bytes on stdin than gicvm was given"
grep -qx "stdout $(sha < out.bin)" err.txt || fail "stdout carried other bytes than the guest wrote"
[ "$(wc -c < out.bin)" = 4194304 ] || fail "stdout has $(wc -c < out.bin) bytes, not 4 MiB"
grep -qx "uid 1000 pwd $PWD" err.txt || fail "the command ran as someone else or elsewhere"
grep -q "overlay written" err.txt || fail "the guest could not write over the host's files"
[ ! -e overlay-file ] || fail "a write in the guest's overlay reached the host"
[ "$(cat rw/new-file)" = "hello from the guest" ] || fail "the writable share lacks the guest's file"
[ "$(stat -c %u rw/new-file)" = 1000 ] || fail "the guest's file on the host is not the caller's"
grep -q "ro refused" err.txt && [ ! -e ro/refused ] || fail "the read-only share took a write"
echo "ok: 4 MiB each way, stderr apart, overlay, shares, --sandbox"

head -c 1048576 in.bin > in4.bin
# Without -k: the installed kernel, with gicvm's initramfs, not the default guest's.
cat in4.bin | HOME=$PWD/home run-as 1000 "$GICVM" run -c 2 --rootfs / -- \
	sh -c 'sha256sum; exit 42' > pipe.out
rc=$?
[ $rc = 42 ] || fail "sh -c 'sha256sum; exit 42' with a pipe on stdin (and no -k) gave $rc"
[ "$(cut -d' ' -f1 pipe.out)" = "$(sha < in4.bin)" ] || fail "a pipe on stdin reached the guest changed"
echo "ok: a pipe on stdin, and sh -c '...; exit 42' gave 42"

# No command: a shell on the console, as uid 1000 in this directory, in the
# overlay root. Typed once its prompt ("$ ", not root's) shows: the UART's
# driver drops what came before.
mkfifo shell.in
as_user < shell.in > shell.out 2>&1 &
pid=$!
exec 3> shell.in
n=0
until grep -q '\$ ' shell.out; do
	n=$((n + 1))
	[ $n -lt 240 ] || { kill $pid; cat shell.out; fail "no shell prompt"; }
	sleep 0.5
done
echo 'echo shell-$((6 * 7)) $(id -u) $(pwd) > /tmp/x; cat /tmp/x; exit' >&3
exec 3>&-
wait $pid
rc=$?
tr -d '\r' < shell.out | grep -v '^\[' | tail -n 5
[ $rc = 0 ] && tr -d '\r' < shell.out | grep -qx "shell-42 1000 $PWD" ||
	fail "--rootfs's shell: status $rc, or not uid 1000 in $PWD"
echo "ok: --rootfs without a command is the caller's shell on the console"

# A panic: its own status and text (as root, who may trigger one).
"$GICVM" run -k "$GUEST_IMAGE" --rootfs / -- sh -c 'echo c > /proc/sysrq-trigger' \
	< /dev/null > panic.out 2> panic.err
rc=$?
[ $rc = 250 ] || { cat panic.err; fail "a guest panic gave $rc, not 250"; }
grep -q "Kernel panic\|Internal error" panic.err || { cat panic.err; fail "no panic text on stderr"; }
[ ! -s panic.out ] || fail "the kernel's console reached the command's stdout"
echo "ok: a panic gives 250 and its text"

# virtiofsd killed under the command: 252 and a line; the command's lookups
# fail from then on. It stops at the first that is not "No such file": EIO,
# or nothing at all when the subshell died of SIGBUS on a page of the shell
# or of libc (the EIO message's own, say) that the page cache did not hold
# and virtiofs could no longer read. (Not through as_user: $! is then
# gicvm, virtiofsd's parent.)
HOME=$PWD/home run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" --timeout 240 --rootfs / -- sh -c 'echo ready; i=0
	while [ $i -lt 100000 ]; do
		i=$((i + 1))
		case "$(cd /usr/x$i 2>&1)" in *"No such file"*) ;; *) exit 5 ;; esac
	done; exit 9' < /dev/null > dies.out 2> dies.err &
pid=$!
n=0
until grep -q ready dies.out 2>/dev/null; do
	n=$((n + 1))
	[ $n -lt 600 ] || fail "the command never started"
	sleep 0.5
done
kill_program virtiofsd $pid
wait $pid
rc=$?
cat dies.err
[ $rc = 252 ] || fail "virtiofsd killed under the command gave $rc, not 252"
[ "$(grep -c 'backend (virtiofsd) died' dies.err)" = 1 ] || fail "not one line about the backend"
! grep -q -- '--timeout' dies.err || fail "the command hung after virtiofsd died"

export GICVM_VIRTIOFSD=/nonexistent/virtiofsd
as_user -- true < /dev/null > none.out 2> none.err
rc=$?
unset GICVM_VIRTIOFSD
[ $rc = 125 ] && grep -q "needs virtiofsd" none.err && [ "$(wc -l < none.err)" = 1 ] ||
	{ cat none.err; fail "no virtiofsd: status $rc"; }
HOME=$PWD/home run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -- true < /dev/null 2> bare.err
rc=$?
[ $rc = 125 ] && grep -q "add --rootfs" bare.err || { cat bare.err; fail "a command without a root: $rc"; }
echo "ok: panic, dead and missing virtiofsd, and no root each have their status"

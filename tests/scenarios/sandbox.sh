# SPDX-License-Identifier: GPL-2.0-only
# timeout: 300
# The sandbox: while a guest runs, every gicvm thread is in seccomp filter
# mode with no capabilities. A forbidden call from the I/O thread (where the
# devices run; the hidden --sandbox-test makes one: a socket, TIOCSTI on the
# terminal, a KVM command gicvm never makes once running, a signal to
# another process, executable memory, unlinking or opening any file) kills gicvm
# with SIGSYS and one line naming it; with --no-sandbox the same call goes
# through and the guest runs on. An unprivileged user given /dev/kvm and
# /dev/net/tun (and a tap made for it) runs a guest with a disk and a
# network too.
. "$(dirname "$0")/lib.sh"
dd if=/dev/zero of=disk.img bs=1M count=4 2>/dev/null

"$GICVM" run -c 2 -k "$GUEST_IMAGE" -i "$GUEST_INITRD" -d disk.img --rng \
	-p "$GUEST_QUIET gicvm.test=idle gicvm.idle=4" > idle.out 2>&1 < /dev/null &
pid=$!
threads=0
for i in $(seq 1 100); do
	threads=$(ls /proc/$pid/task 2>/dev/null | wc -l)
	[ "$threads" -ge 3 ] && grep -q 'gicvm-test: running idle' idle.out && break
	sleep 0.1
done
[ "$threads" -ge 3 ] || fail "gicvm has $threads threads, expected the I/O thread and 2 vCPUs"
for t in /proc/$pid/task/*; do
	name=$(cat $t/comm)
	grep -q '^Seccomp:[[:space:]]*2$' $t/status || fail "thread $name is not in seccomp filter mode"
	grep -q '^CapEff:[[:space:]]*0000000000000000$' $t/status || fail "thread $name has capabilities"
	grep -q '^NoNewPrivs:[[:space:]]*1$' $t/status || fail "thread $name lacks no_new_privs"
	echo "thread $name: seccomp filter, no capabilities"
done
wait $pid || { cat idle.out; fail "a sandboxed guest did not power off cleanly (status $?)"; }

"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --sandbox-test -p "$GUEST_QUIET gicvm.test=idle" \
	> forbidden.out 2>&1 < /dev/null
rc=$?
cat forbidden.out | grep gicvm:
[ $rc = $((128 + 31)) ] || fail "a forbidden call left gicvm with status $rc, not killed by SIGSYS (159)"
grep -q "sandbox: forbidden system call 198 on the I/O thread" forbidden.out ||
	fail "no line naming the forbidden call (socket, 198)"
grep -q 'gicvm-test: running idle' forbidden.out && fail "the guest ran after the forbidden call"

# Calls allowed only with some arguments: only the terminal commands gicvm
# makes (TIOCSTI would push text into the user's shell: ioctl, 29), only
# the KVM commands a running VM makes (not KVM_SET_USER_MEMORY_REGION:
# ioctl, 29), signals only to gicvm's own threads (tgkill, 131), no
# executable memory (mmap, 222), unlinkat only in the sockets' directories
# (35), and no file opened at all once running (openat, 56). Each is fatal
# like any forbidden call.
# The same from a vCPU thread (vcpu-WHAT), under that role's own filter.
for probe in tiocsti:29 kvm:29 tgkill:131 exec:222 unlink:35 open:56 \
	     vcpu-kvm:29 vcpu-unlink:35 vcpu-open:56 vcpu-socket:198; do
	what=${probe%:*} nr=${probe#*:} role="the I/O thread"
	case $what in vcpu-*) role="a vCPU thread" ;; esac
	"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --sandbox-test=$what -p "$GUEST_QUIET gicvm.test=idle" \
		> $what.out 2>&1 < /dev/null
	rc=$?
	grep gicvm: $what.out
	[ $rc = $((128 + 31)) ] || fail "$what left gicvm with status $rc, not killed by SIGSYS (159)"
	grep -q "sandbox: forbidden system call $nr on $role" $what.out ||
		fail "$what: no line naming the forbidden call ($nr on $role)"
done

"$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" --sandbox-test --no-sandbox \
	-p "$GUEST_QUIET gicvm.test=idle gicvm.idle=0" > allowed.out 2>&1 < /dev/null ||
	{ cat allowed.out; fail "with --no-sandbox the guest did not run to power-off"; }
grep -q 'sandbox test: socket() was allowed' allowed.out || fail "--no-sandbox: the call was not made"

# An ordinary user with access to /dev/kvm and /dev/net/tun, and a tap made
# for it by root: no capabilities at all.
tun_mode=$(stat -c %a /dev/net/tun)
chmod 0666 /dev/net/tun		# /dev/kvm is open to all users (host-init)
mktap utap0 1000 || fail "cannot make a tap for uid 1000"
mkdir -p /tmp/u1000 && chown 1000:1000 /tmp/u1000
cp disk.img /tmp/u1000/disk.img && chown 1000:1000 /tmp/u1000/disk.img
HOME=/tmp/u1000 XDG_RUNTIME_DIR= run-as 1000 "$GICVM" run -k "$GUEST_IMAGE" -i "$GUEST_INITRD" \
	-d /tmp/u1000/disk.img -n mode=tap,tapif=utap0 --json-summary /tmp/u1000/s.json \
	-p "$GUEST_QUIET gicvm.test=idle gicvm.idle=0" > user.out 2>&1 < /dev/null
rc=$?
cp /tmp/u1000/s.json user.json 2>/dev/null
chmod "$tun_mode" /dev/net/tun
ip link delete utap0 2>/dev/null
rm -rf /tmp/u1000
[ $rc = 0 ] || { cat user.out; fail "uid 1000 with /dev/kvm and a tap: gicvm exited $rc"; }
grep -q '"virtio-net@' user.json || fail "uid 1000: no virtio-net in the summary"
echo "ok: all threads confined; a forbidden call is fatal (status 159); --no-sandbox lets it through;" \
	"uid 1000 runs a guest with a disk and a tap"

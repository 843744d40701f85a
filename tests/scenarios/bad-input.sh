# SPDX-License-Identifier: GPL-2.0-only
# timeout: 240
# Every kind of bad input gets one clear line on stderr and exit status 1:
# never a crash (a signal would show as status >= 128).
. "$(dirname "$0")/lib.sh"


# Kernels that are not there, not Images, or cut short.
expect_error "missing kernel" "Fatal: Unable to open kernel /nonexistent (No such file" run -k /nonexistent
expect_error "kernel is a directory" "Is a directory" run -k /tmp
expect_error "kernel is an ELF file" "an ELF file, not an arm64 Image" run -k "$GICVM"
expect_error "no KVM device there" "cannot open /nonexistent/kvm" run -k "$GUEST_IMAGE" --dev /nonexistent/kvm
expect_error "a KVM device that is not KVM" "/dev/null is not KVM" run -k "$GUEST_IMAGE" --dev /dev/null
expect_error "missing firmware" "Fatal: Unable to open firmware /nonexistent" run -f /nonexistent
expect_error "firmware that is ELF" "an ELF file: give its raw binary" run -f "$GICVM"
: > empty.Image
expect_error "kernel is empty" "empty file" run -k empty.Image
head -c 3000000 "$GUEST_IMAGE" > trunc.Image
expect_error "truncated project Image" "truncated arm64 Image" run -k trunc.Image
head -c 20000000 "$STOCK_IMAGE" > trunc-stock.Image
expect_error "truncated Debian Image" "truncated arm64 Image" run -k trunc-stock.Image
gzip -c "$GUEST_IMAGE" > Image.gz
head -c 1000000 Image.gz > trunc.Image.gz
expect_error "truncated gzip kernel" "truncated gzip data" run -k trunc.Image.gz
{ head -c 1000 Image.gz; head -c 5000 /dev/zero; tail -c +6001 Image.gz; } > corrupt.Image.gz
expect_error "corrupt gzip kernel" "corrupt gzip data" run -k corrupt.Image.gz

# Initrds and memory.
expect_error "missing initrd" "cannot open initrd /nonexistent" run -k "$GUEST_IMAGE" -i /nonexistent
dd if=/dev/zero of=big.initrd bs=1M count=60 2>/dev/null
expect_error "initrd too big for RAM" "initrd does not fit" run -k "$GUEST_IMAGE" -i big.initrd -m 64
# Sized from the Image, which grows with the kernel config: a file larger
# than RAM is refused as it is read; one that fits as a file but not with
# its BSS and the 2 MiB the DT needs at the top, when the layout is made.
expect_error "kernel file larger than RAM" "larger than guest RAM" run -k "$GUEST_IMAGE" -m 4
image_mib=$(( ($(wc -c < "$GUEST_IMAGE") + 1048575) / 1048576 ))
expect_error "kernel too big for RAM" "kernel does not fit" run -k "$GUEST_IMAGE" -m "$image_mib"
expect_error "more RAM than the host has, preallocated" "cannot allocate 65536 MiB of guest RAM" \
	run -m 65536 --mem-prealloc

# The command line itself.
expect_error "zero vCPUs" "--cpus wants a number of vCPUs from 1 to 512, not '0'" run -c 0
expect_error "more vCPUs than allowed" "--cpus wants" run -c 513
expect_error "unknown option" "unknown option '--bogus'" run --bogus
expect_error "option without its value" "option '--kernel' needs a value" run --kernel
expect_error "unknown GIC" "--gic 'v4' is not supported" run --gic v4
expect_error "pci without an MSI controller" "--virtio-transport pci needs MSIs" run --gic v3 --virtio-transport pci --rng -k "$GUEST_IMAGE"
expect_error "too many vCPUs for a GICv2" "cannot have 9 vCPUs" run --gic v2 -c 9 -k "$GUEST_IMAGE"
expect_error "bad memory size" "Invalid memory specifier: 12abc" run -m 12abc
# A host without nested virtualization (the nested scenario has one).
if ! grep -q 'kvm-arm.mode=nested' /proc/cmdline; then
	expect_error "--nested without nested support" \
		"--nested: this host's KVM cannot give guests EL2" run --nested -k "$GUEST_IMAGE"
	expect_error "--e2h0 without nested support" \
		"--nested: this host's KVM cannot give guests EL2" run --e2h0 -k "$GUEST_IMAGE"
fi
expect_error "--nested with a GICv2" "--nested needs a GICv3" run --nested --gic v2 -k "$GUEST_IMAGE"
export GICVM_GUEST_DIR=/nonexistent
expect_error "no default guest installed" "no default guest in /nonexistent" run
unset GICVM_GUEST_DIR
expect_error "unknown command" "'frobnicate' is not a gicvm command" frobnicate
echo "all bad inputs refused cleanly"

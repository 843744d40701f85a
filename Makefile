# SPDX-License-Identifier: GPL-2.0-only
#
# gicvm: `make` builds the arm64 binary, `make check` runs every test
# (installing what is missing first), `make demo` boots the default guest,
# `make bench` measures it.

PREFIX		?= /usr/local
DATADIR		?= $(PREFIX)/share/gicvm
GICVM_CACHE	?= $(HOME)/.cache/gicvm
export GICVM_CACHE

HOST_ARCH	:= $(shell uname -m)
ifeq ($(HOST_ARCH),aarch64)
CROSS_COMPILE	?=
STATIC		?=
else
CROSS_COMPILE	?= aarch64-linux-gnu-
# Static, so the binary can be dropped into any arm64 initramfs.
STATIC		?= -static
endif

CC_ARM		:= $(CROSS_COMPILE)gcc
CC_HOST		?= cc
B		:= build
WARN		:= -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS		?= -O2 -g
CPPFLAGS	+= -Iinclude -I. -D_GNU_SOURCE -DGICVM_DATADIR='"$(DATADIR)"' \
		   -DGICVM_VERSION='"$(shell git describe --always --dirty 2>/dev/null || echo 0.1)"'
LIBS		:= -lfdt -laio -lz -lpthread

# Everything that needs no KVM: built natively too, for the unit tests.
PURE_SRCS	:= util.c procself.c cpio.c kmods.c guestcmd.c config.c config_help.c sandbox_probe.c mmio.c device.c report.c state.c snapfile.c config_restore.c gic/gic_common.c arm/boot.c \
		   arm/fdt.c arm/gdb_listen.c hw/pci_cfg.c virtio/virtqueue.c virtio/blk_req.c virtio/vstate.c
# Device code: it reaches KVM only through gic/gic.h, vm.h's ioeventfds,
# the I/O loop and vm_request_stop(), so the unit tests and fuzz targets link
# these objects against one fake of those (tests/fakes/fake_host.c).
DEVICE_SRCS	:= hw/devices.c hw/uart8250.c hw/pci.c hw/msix.c hw/term.c \
		   virtio/core.c virtio/transport.c virtio/backend.c virtio/mmio.c virtio/pci.c \
		   virtio/blk.c virtio/rng.c virtio/console.c virtio/net.c virtio/vsock.c \
		   virtio/vhost.c virtio/passt.c virtio/fs.c virtio/virtiofsd.c virtio/vhost_user.c \
		   virtio/cmdio.c hw/pvpanic.c virtio/balloon.c
KVM_SRCS	:= main.c run.c load.c ctl.c control.c kvm_stats.c vm.c ioloop.c sandbox.c snapshot.c \
		   gic/vgic.c gic/msi.c gic/inject.c gic/reset.c gic/vgic_state.c arm/vcpu.c arm/vcpu_state.c arm/regs.c arm/guest_va.c arm/gdbstub.c arm/gdb_target.c arm/step.c
SRCS		:= $(PURE_SRCS) $(DEVICE_SRCS) $(KVM_SRCS)
OBJS		:= $(SRCS:%.c=$(B)/arm64/%.o) $(B)/arm64/guest_init.o

.PHONY: all check unit-tests fuzz deps kernel kernel-selftests kernel-baseline kernel-bisect kernel-measure guest emulated-tests demo install clean bench \
	reliability

all: $(B)/gicvm

$(B)/gicvm: $(OBJS)
	$(CC_ARM) $(STATIC) -o $@ $^ $(LIBS)

$(B)/arm64/%.o: %.c $(wildcard include/gicvm/*.h */*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC_ARM) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -c -o $@ $<

# gicvm under AddressSanitizer and LeakSanitizer, for the asan scenarios.
# Dynamic (the sanitizer runtime is a shared library); the emulated host
# gets the libraries it needs (tests/host/emulated-host.sh), found through
# the rpath (an old-style DT_RPATH: it serves libasan's own libm and libgcc_s too).
ASAN_LIBDIR	:= /usr/local/lib/gicvm-asan
ASAN_OBJS	:= $(SRCS:%.c=$(B)/asan/%.o)

# gicvm-init, the /init of the initramfs --rootfs boots, lives inside gicvm.
$(B)/arm64/guest_init.o: guest_init.S $(B)/guest/gicvm-init
	@mkdir -p $(dir $@)
	$(CC_ARM) -DGICVM_INIT='"$(B)/guest/gicvm-init"' -c -o $@ $<

$(B)/guest/gicvm-init: guest/gicvm-init.c
	@mkdir -p $(dir $@)
	$(CC_ARM) -static -Os -s $(WARN) -o $@ $<

$(B)/asan/gicvm: $(ASAN_OBJS) $(B)/arm64/guest_init.o
	$(CC_ARM) -fsanitize=address -Wl,--disable-new-dtags,-rpath,$(ASAN_LIBDIR) -o $@ $^ $(LIBS)

$(B)/asan/%.o: %.c $(wildcard include/gicvm/*.h */*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC_ARM) $(CPPFLAGS) -O1 -g -fsanitize=address -fno-omit-frame-pointer $(WARN) -MMD -c -o $@ $<

# --- unit tests, native ---------------------------------------------------
# libfdt-dev exists for one architecture at a time (not Multi-Arch: same);
# on x86_64 the arm64 one is installed, so link the native libfdt1 by name.
ifeq ($(HOST_ARCH),aarch64)
HOST_LIBFDT	:= -lfdt
else
HOST_LIBFDT	:= -l:libfdt.so.1
endif
UNIT_TESTS	:= $(patsubst tests/unit/%.c,$(B)/unit/%,$(filter-out tests/unit/harness.c,$(wildcard tests/unit/test_*.c)))
UNIT_CFLAGS	:= -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The KVM-free sources and the fake host are compiled once for all the
# tests (and once more for the fuzz targets, with their instrumentation),
# not once per test; the device code goes in an archive, so a test links
# the devices it reaches.
FAKE_SRCS	:= tests/fakes/fake_host.c
TEST_HDRS	:= $(wildcard include/gicvm/*.h */*.h tests/unit/*.h tests/fakes/*.h tests/fuzz/*.h)
UNIT_OBJS	:= $(PURE_SRCS:%.c=$(B)/unit-obj/%.o) $(FAKE_SRCS:%.c=$(B)/unit-obj/%.o) \
		   $(B)/unit-obj/tests/unit/harness.o
UNIT_DEVICES	:= $(B)/unit-obj/libdevices.a
TEST_LIBS	:= $(HOST_LIBFDT) -lz -laio -lpthread

$(B)/unit-obj/%.o: %.c $(TEST_HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC_HOST) $(CPPFLAGS) -Itests/unit -Itests/fakes $(UNIT_CFLAGS) $(WARN) -c -o $@ $<

$(UNIT_DEVICES): $(DEVICE_SRCS:%.c=$(B)/unit-obj/%.o)
	rm -f $@ && ar rcs $@ $^

$(B)/unit/%: tests/unit/%.c $(UNIT_OBJS) $(UNIT_DEVICES) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC_HOST) $(CPPFLAGS) -Itests/unit -Itests/fakes $(UNIT_CFLAGS) $(WARN) -o $@ $< \
		$(UNIT_OBJS) $(UNIT_DEVICES) $(TEST_LIBS)

# --- fuzzing (clang's libFuzzer, ASan, UBSan) --------------------------------
FUZZ_TARGETS	:= $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS	?= 600
CHECK_FUZZ_SECONDS ?= 2
# What the targets link: the KVM-free code and the fake host as objects,
# the device code as an archive.
FUZZ_SRCS	:= $(PURE_SRCS) $(FAKE_SRCS)
FUZZ_DEVICES	:= $(B)/fuzz-obj/libdevices.a
# vhost-vsock's target has the kernel's vhost faked too.
$(B)/fuzz/fuzz_virtio_vsock: FUZZ_EXTRA := $(B)/fuzz-obj/tests/fakes/fake_vhost.o
$(B)/fuzz/fuzz_virtio_vsock: $(B)/fuzz-obj/tests/fakes/fake_vhost.o

FUZZ_CFLAGS	:= -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS	:= $(FUZZ_SRCS:%.c=$(B)/fuzz-obj/%.o)

$(B)/fuzz-obj/%.o: %.c $(TEST_HDRS) Makefile
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -Itests/fakes $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DEVICES): $(DEVICE_SRCS:%.c=$(B)/fuzz-obj/%.o)
	rm -f $@ && ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS) $(FUZZ_DEVICES) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -Itests/fakes $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
		$(FUZZ_EXTRA) $(FUZZ_DEVICES) $(TEST_LIBS)

# Objects only pattern rules name: keep them, so a second make rebuilds nothing.
.SECONDARY: $(UNIT_OBJS) $(FUZZ_OBJS) $(DEVICE_SRCS:%.c=$(B)/unit-obj/%.o) \
	$(DEVICE_SRCS:%.c=$(B)/fuzz-obj/%.o)

fuzz: $(FUZZ_TARGETS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

unit-tests: $(UNIT_TESTS)
	@tests/unit/run.sh $(UNIT_TESTS)

# --- set-up, kernel, guest --------------------------------------------------
deps:
	@scripts/deps.sh

kernel:
	@kernel/build.sh > $(B)/.kernel-dir.tmp || { rm -f $(B)/.kernel-dir.tmp; exit 1; }
	@mkdir -p $(B)/kernel && d=$$(tail -n 1 $(B)/.kernel-dir.tmp) && \
		cp -u $$d/Image $$d/System.map $(B)/kernel/ && \
		mkdir -p $(B)/kernel/usr && cp -u $$d/usr/* $(B)/kernel/usr/ && rm $(B)/.kernel-dir.tmp

GUEST_PROGS	:= $(B)/guest/gicvm-agent $(B)/guest/gicvm-cpufeat $(B)/guest/gicvm-brk \
		   $(B)/guest/gicvm-bench $(B)/guest/gicvm-hostile $(B)/guest/gicvm-durable \
		   $(B)/guest/gicvm-vsock
TEST_IMAGES	:= $(B)/guest/test-off.img $(B)/guest/test-reset.img $(B)/guest/test-bad-mmio.img \
		   $(B)/guest/test-firmware.img $(B)/guest/test-firmware32.img \
		   $(B)/guest/test-vgic32.img $(B)/guest/test-vgic2.img $(B)/guest/test-snapirq.img \
		   $(B)/guest/test-nested.img

# The benchmark's guest half uses Linux AIO through libaio, as gicvm does.
$(B)/guest/gicvm-bench: GUEST_LIBS := -laio -lpthread

# gicvm-hostile: the attacks, and one file per transport they go through.
$(B)/guest/gicvm-hostile: guest/hostile-mmio.c guest/hostile-pci.c guest/hostile.h

$(B)/guest/gicvm-%: guest/gicvm-%.c
	@mkdir -p $(dir $@)
	$(CC_ARM) -static -O2 $(WARN) -o $@ $(filter %.c,$^) $(GUEST_LIBS)

# Helpers the scenarios run in the emulated host.
TEST_TOOLS	:= $(B)/tools/run-as $(B)/tools/mktap $(B)/tools/json-get

$(B)/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC_ARM) -static -O2 $(WARN) -o $@ $<

# A bare firmware for -f: linked where gicvm loads it, the start of RAM.
$(B)/guest/test-firmware.img: guest/fwtest.S guest/fwtest.c guest/fwlib.c
	@mkdir -p $(dir $@)
	$(CC_ARM) -nostdlib -static -ffreestanding -fno-pie -no-pie -mgeneral-regs-only -O2 \
		$(WARN) -Wl,-Ttext=0x80000000 -Wl,--build-id=none -o $@.elf $^
	$(CROSS_COMPILE)objcopy -O binary $@.elf $@
	@rm -f $@.elf

# Bare GICv3 programs for -f, their entry linked first: test-snapirq.img,
# interrupts active and pending across a snapshot (guest/snapirq.c);
# test-nested.img, the interrupts of a guest of a guest hypervisor, an MSI
# through the ITS among them (guest/nested.c, guest/itsmsi.c).
GICV3_IMAGES	:= $(B)/guest/test-snapirq.img $(B)/guest/test-nested.img
$(B)/guest/test-snapirq.img: guest/snapirq.c
$(B)/guest/test-nested.img: guest/nested.c guest/itsmsi.c guest/itsmsi.h
$(GICV3_IMAGES): guest/fwtest.S guest/fwlib.c guest/gicd.h guest/sysreg.h
	@mkdir -p $(dir $@)
	$(CC_ARM) -nostdlib -static -ffreestanding -fno-pie -no-pie -mgeneral-regs-only -O2 \
		$(WARN) -Iinclude -Wl,-Ttext=0x80000000 -Wl,--build-id=none -o $@.elf \
		guest/fwtest.S $(filter-out guest/fwtest.S %.h,$^)
	$(CROSS_COMPILE)objcopy -O binary $@.elf $@
	@rm -f $@.elf

# The same built for arm: a 32-bit kernel for --aarch32, at RAM + 32 KiB;
# test-vgic32.img, the GICv3 CPU interface from AArch32 (guest/vgic32.c),
# and test-vgic2.img, the GICv2 one (guest/vgic2.c).
ARM32_IMG = clang --target=armv8a-none-eabi -marm -mfloat-abi=soft -ffreestanding -nostdlib \
	-static -fno-pic -O2 $(WARN) -Iinclude -fuse-ld=lld -Wl,-Ttext=0x80008000 \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none
$(B)/guest/test-firmware32.img: guest/fwtest32.S guest/fwtest.c guest/fwlib.c
	@mkdir -p $(dir $@)
	$(ARM32_IMG) -o $@.elf $^
	$(CROSS_COMPILE)objcopy -O binary $@.elf $@
	@rm -f $@.elf
$(B)/guest/test-vgic32.img: guest/fwtest32.S guest/vgic32.c guest/fwlib.c guest/gicd.h
	@mkdir -p $(dir $@)
	$(ARM32_IMG) -o $@.elf $(filter-out %.h,$^)
	$(CROSS_COMPILE)objcopy -O binary $@.elf $@
	@rm -f $@.elf
$(B)/guest/test-vgic2.img: guest/fwtest32.S guest/vgic2.c guest/fwlib.c
	@mkdir -p $(dir $@)
	$(ARM32_IMG) -o $@.elf $^
	$(CROSS_COMPILE)objcopy -O binary $@.elf $@
	@rm -f $@.elf

# Bare test "kernels" for exit paths: test-reset.img is built with -DTEST_RESET.
$(B)/guest/test-%.img: guest/testimg.S
	@mkdir -p $(dir $@)
	$(CC_ARM) -nostdlib -static -Wl,-Ttext=0 -Wl,--build-id=none \
		-DTEST_$(shell echo $* | tr a-z- A-Z_) -o $@.elf $<
	$(CROSS_COMPILE)objcopy -O binary -j .text $@.elf $@
	@rm -f $@.elf

guest: kernel $(GUEST_PROGS) $(TEST_IMAGES) $(TEST_TOOLS)
	@scripts/mkinitramfs.sh $(B)/guest/initramfs.cpio.gz guest/init \
		$(foreach p,$(GUEST_PROGS),/bin/$(notdir $(p))=$(p)) \
		$(foreach t,$(wildcard guest/tests/*.sh),/tests/$(notdir $(t))=$(t))

install: $(B)/gicvm
	install -D -m 755 $(B)/gicvm $(DESTDIR)$(PREFIX)/bin/gicvm
	@if [ -f $(B)/kernel/Image ] && [ -f $(B)/guest/initramfs.cpio.gz ]; then \
		install -D -m 644 $(B)/kernel/Image $(DESTDIR)$(DATADIR)/Image; \
		install -D -m 644 $(B)/guest/initramfs.cpio.gz $(DESTDIR)$(DATADIR)/initramfs.cpio.gz; \
	else echo "default guest not built ('make guest'): not installed"; fi

# --- the emulated arm64 KVM host ---------------------------------------------
emulated-tests: all guest
	@tests/host/run-scenarios.sh

check: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all guest $(UNIT_TESTS) $(FUZZ_TARGETS)
	@CHECK_FUZZ="$(CHECK_FUZZ_SECONDS) $(FUZZ_TARGETS)" tests/check.sh $(UNIT_TESTS)

# Longer reliability runs than make check affords: 20 rounds of SIGKILL
# after FLUSH, 200 reboots in one gicvm (and 200 more under ASan/LSan),
# 8 guests at once (all emulated), Debian's stock kernel as a guest under
# the test agent (make check boots it for a --rootfs command), guests that
# keep their rings full for ever (flood), each GIC choice (gic-choice), the
# benchmarks' --irq-inject ioctl (irq-inject), snapshots around a reboot in
# place (snapshot-reboot), and vgic-traps under all 15 combinations of the
# host's trap parameters (make check boots 2 of them); in the nested host,
# an L2 Linux guest whose MSIs go through L1's ITS and whose disks are
# checked (nested-msi).
RELIABILITY_SCENARIOS := durability-20 reboot-200 many-guests asan-200 stock-guest flood \
			 gic-choice irq-inject snapshot-reboot
reliability: deps
	@$(MAKE) --no-print-directory -j$(shell nproc) all $(B)/asan/gicvm guest
	@HOST_TIMEOUT=3600 tests/host/run-scenarios.sh $(RELIABILITY_SCENARIOS)
	@TRAP_COMBOS=all tests/host/run-scenarios.sh --trap-matrix
	@HOST_TIMEOUT=1800 tests/host/run-scenarios.sh --nested nested-msi

# Benchmarks: figures in bench/results.json and bench/*.png, a table on stdout.
BENCH_REPEATS	?= 5
bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all guest
	@BENCH_REPEATS=$(BENCH_REPEATS) bench/run.sh $(BENCH_FIGURES)

# The KVM selftests the kernel series is judged by, VHE and nVHE (make check
# runs them too, with kernel/check-series.sh).
kernel-selftests: deps
	@$(MAKE) --no-print-directory all guest
	@tests/host/kernel-selftests.sh

# The series' selftests on the kernel without it: the new cases must fail.
kernel-baseline: deps
	@$(MAKE) --no-print-directory all guest
	@kernel/baseline.sh

# ICH_* register accesses of an idle guest, patched vs stock (QEMU trace).
kernel-measure: deps
	@$(MAKE) --no-print-directory all guest
	@kernel/measure.sh

# Every prefix of the series builds (kernel with W=1, the selftests) and
# passes the selftests it has, VHE, nVHE and protected.
kernel-bisect: deps
	@$(MAKE) --no-print-directory all guest
	@kernel/bisect.sh

demo: deps
	@$(MAKE) --no-print-directory all guest
	@tests/host/demo.sh

clean:
	rm -rf $(B)

-include $(OBJS:.o=.d) $(ASAN_OBJS:.o=.d)

// SPDX-License-Identifier: GPL-2.0-only
/* `gicvm run`: build the VM in the order KVM needs, boot it, report how it ended. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arm/arm.h"
#include "arm/boot.h"
#include "gic/gic.h"
#include "gicvm/commands.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"

#ifndef GICVM_DATADIR
#define GICVM_DATADIR "/usr/local/share/gicvm"
#endif

#define EARLYCON	"earlycon=uart8250,mmio,0x1000000"
#define STDOUT_PATH	"/serial@1000000"

static char default_kernel[4096], default_initrd[4096];

/* No -k: boot the default guest installed by `make install`, or say how to get it. */
static void use_default_guest(struct vm_config *cfg)
{
	const char *dir = getenv("GICVM_GUEST_DIR");

	if (!dir || !*dir)
		dir = GICVM_DATADIR;
	snprintf(default_kernel, sizeof(default_kernel), "%s/Image", dir);
	snprintf(default_initrd, sizeof(default_initrd), "%s/initramfs.cpio.gz", dir);
	if (access(default_kernel, R_OK))
		die("no kernel given (-k) and no default guest in %s; "
		    "build and install it with 'make guest install' in the gicvm tree, "
		    "or pass -k Image", dir);
	cfg->kernel = default_kernel;
	if (!cfg->initrd && !access(default_initrd, R_OK))
		cfg->initrd = default_initrd;
}

/* Copy the initrd straight into guest RAM once its place is known. */
static u64 initrd_size_of(const char *path, int *fd)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		die_errno("cannot open initrd %s", path);
	if (fstat(*fd, &st) || !S_ISREG(st.st_mode))
		die("initrd %s is not a regular file", path);
	return st.st_size;
}

static void load_initrd(struct vm *vm, int fd, const struct boot_layout *bl)
{
	u8 *dst = guest_ram(vm, bl->initrd_addr, bl->initrd_size);
	u64 done = 0;

	while (done < bl->initrd_size) {
		ssize_t n = pread(fd, dst + done, bl->initrd_size - done, done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("cannot read the initrd (%s)", n ? strerror(errno) : "it shrank");
		done += n;
	}
	close(fd);
}

static void load_guest(struct vm *vm, const struct vm_config *cfg)
{
	struct kernel_image img;
	struct boot_layout bl;
	struct fdt_desc desc;
	u64 initrd_size = 0, *mpidrs;
	int initrd_fd = -1;
	const char *why;
	char *bootargs;

	if (image_load_file(cfg->kernel, vm->ram_size, &img))
		exit(1);
	if (cfg->initrd)
		initrd_size = initrd_size_of(cfg->initrd, &initrd_fd);
	if (boot_layout_compute(vm->ram_base, vm->ram_size, &img, initrd_size, &bl, &why))
		die("%s", why);

	memcpy(guest_ram(vm, bl.kernel_addr, img.size), img.data, img.size);
	free(img.data);
	if (initrd_fd >= 0)
		load_initrd(vm, initrd_fd, &bl);

	mpidrs = calloc(vm->nr_cpus, sizeof(*mpidrs));
	if (!mpidrs || asprintf(&bootargs, "console=%s " EARLYCON "%s%s",
				cfg->console == CONSOLE_VIRTIO ? "hvc0" : "ttyS0",
				cfg->params ? " " : "", cfg->params ? cfg->params : "") < 0)
		die("out of memory");
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		mpidrs[i] = vcpu_mpidr(vm, i);
	desc = (struct fdt_desc){
		.ram_base = vm->ram_base,
		.ram_size = vm->ram_size,
		.nr_cpus = vm->nr_cpus,
		.mpidrs = mpidrs,
		.bootargs = bootargs,
		.initrd_start = initrd_size ? bl.initrd_addr : 0,
		.initrd_end = bl.initrd_addr + initrd_size,
		.stdout_path = STDOUT_PATH,
		.gic = vm->gic,
		.devices = vm->devices,
	};
	if (fdt_build(&desc, guest_ram(vm, bl.fdt_addr, FDT_MAX_SIZE), FDT_MAX_SIZE))
		die("the device tree does not fit in %llu bytes", FDT_MAX_SIZE);
	free(mpidrs);
	free(bootargs);
	vcpu_set_boot_regs(vm, bl.kernel_addr, bl.fdt_addr);
	pr_info("kernel at %#llx (%llu KiB), initrd at %#llx (%llu KiB), DT at %#llx",
		(unsigned long long)bl.kernel_addr, (unsigned long long)img.image_size >> 10,
		(unsigned long long)bl.initrd_addr, (unsigned long long)initrd_size >> 10,
		(unsigned long long)bl.fdt_addr);
}

static void print_stats(struct vm *vm)
{
	struct vm_stats *s = &vm->stats;

	fprintf(stderr, "gicvm: stats: exits_mmio=%lu exits_other=%lu notify_mmio_exits=%lu "
		"irq_line_calls=%lu mmio_unhandled=%lu\n",
		atomic_load(&s->exits_mmio), atomic_load(&s->exits_other),
		atomic_load(&s->notify_mmio_exits), atomic_load(&s->irq_line_calls),
		atomic_load(&vm->mmio.unhandled));
	for (struct device *d = vm->devices; d; d = d->next) {
		if (d->print_stats)
			d->print_stats(d, stderr);
	}
}

int cmd_run(int argc, char **argv)
{
	static struct vm vm;
	struct vm_config cfg;
	int reason;

	switch (config_parse_run(&cfg, argc, argv)) {
	case CONFIG_HELP:
		return 0;
	case CONFIG_ERROR:
		return 1;
	case CONFIG_OK:
		break;
	}
	if (cfg.default_guest)
		use_default_guest(&cfg);

	vm_create(&vm, &cfg);
	vm.gic = gic_create(&vm, cfg.gic);
	if (!vm.gic)
		exit(1);
	vcpus_create(&vm);
	if (devices_create(&vm) || gic_finalize(vm.gic))
		exit(1);
	load_guest(&vm, &cfg);
	if (devices_start(&vm))
		die("cannot start the devices");

	vcpus_start(&vm);
	ioloop_run(&vm);
	vcpus_stop_and_join(&vm);

	reason = atomic_load(&vm.exit_reason);
	if (cfg.stats)
		print_stats(&vm);
	if (reason == VM_EXIT_RESET)
		pr_warn("guest asked for a reset; gicvm exits with status %d", VM_EXIT_RESET);
	pr_info("guest stopped (exit status %d)", reason);
	return reason;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the guest boots: the kernel and initrd (the user's, the installed
 * default guest's, or --rootfs's initramfs built in memory), the kernel
 * command line and the device tree, loaded into RAM at each boot. The
 * files are opened once, before the sandbox: a reboot reads them again
 * through the same descriptors, so it opens nothing, and a file deleted or
 * replaced meanwhile does not change what the guest boots.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arm/arm.h"
#include "arm/boot.h"
#include "gicvm/device.h"
#include "gicvm/guestcmd.h"
#include "gicvm/kmods.h"
#include "gicvm/load.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"

#ifndef GICVM_DATADIR
#define GICVM_DATADIR "/usr/local/share/gicvm"
#endif

#define EARLYCON	"earlycon=uart8250,mmio,0x1000000"
#define STDOUT_PATH	"/serial@1000000"

static char default_kernel[4096], default_initrd[4096];

/* gicvm-init, linked in by guest_init.S; the initramfs built around it. */
extern const u8 gicvm_init_start[], gicvm_init_end[];
static void *built_initrd;
static size_t built_initrd_len;

/* The kernel's and the initrd's files, open from the start: a reboot opens nothing. */
static int kernel_fd = -1, initrd_fd = -1;

/* No -k: the installed kernel, and its initramfs unless gicvm built one (--rootfs). */
static int use_default_guest(struct vm_config *cfg, bool with_initrd)
{
	const char *dir = getenv("GICVM_GUEST_DIR");

	if (!dir || !*dir)
		dir = GICVM_DATADIR;
	snprintf(default_kernel, sizeof(default_kernel), "%s/Image", dir);
	snprintf(default_initrd, sizeof(default_initrd), "%s/initramfs.cpio.gz", dir);
	if (access(default_kernel, R_OK)) {
		pr_err("no kernel given (-k) and no default guest in %s; "
		       "build and install it with 'make guest install' in the gicvm tree, "
		       "or pass -k Image", dir);
		return -1;
	}
	cfg->kernel = default_kernel;
	if (with_initrd && !cfg->initrd && !access(default_initrd, R_OK))
		cfg->initrd = default_initrd;
	return 0;
}

/* The kernel as build_initramfs() read it, kept for the first boot to load. */
static struct kernel_image first_image;

/*
 * --rootfs's initramfs, with the modules of the kernel's release (from
 * its banner) the root directory has.
 */
static int build_initramfs(const struct vm_config *cfg)
{
	char release[256];
	bool known;

	if (image_load_fd(kernel_fd, cfg->kernel, (size_t)cfg->mem_mib << 20, &first_image))
		return -1;
	known = !kernel_release(first_image.data, first_image.size, release, sizeof(release));
	return guestcmd_initramfs(cfg, gicvm_init_start, gicvm_init_end - gicvm_init_start,
				  known ? release : NULL, &built_initrd, &built_initrd_len);
}

/* The kernel (or firmware) to copy into RAM: read again at every boot but the first. */
static int kernel_load(const struct vm_config *cfg, size_t max, struct kernel_image *img)
{
	if (first_image.data) {
		*img = first_image;
		first_image.data = NULL;
		return 0;
	}
	if (cfg->firmware)
		return firmware_load_fd(kernel_fd, cfg->firmware,
					cfg->fw_address ? cfg->fw_address - MMAP_RAM_BASE : 0, max, img);
	if (cfg->aarch32)
		return zimage_load_fd(kernel_fd, cfg->kernel, max, img);
	return image_load_fd(kernel_fd, cfg->kernel, max, img);
}

int guest_files_open(struct vm_config *cfg)
{
	bool build = guestcmd_wanted(cfg);
	struct stat st;

	if (cfg->firmware && build) {
		pr_err("-f/--firmware boots the firmware alone: no --rootfs or command");
		return -1;
	}
	/* gicvm's own guest and initramfs are 64-bit. */
	if (cfg->aarch32 && (build || cfg->default_guest)) {
		pr_err("--aarch32 boots a 32-bit ARM kernel: give it with -k zImage (no --rootfs)");
		return -1;
	}
	if (cfg->default_guest && use_default_guest(cfg, !build))
		return -1;
	kernel_fd = cfg->firmware ? firmware_open(cfg->firmware) : image_open(cfg->kernel);
	if (kernel_fd < 0 || (build && build_initramfs(cfg)))
		return -1;
	if (!cfg->initrd)
		return 0;
	initrd_fd = open(cfg->initrd, O_RDONLY | O_CLOEXEC);
	if (initrd_fd < 0) {
		pr_err("cannot open initrd %s: %s", cfg->initrd, strerror(errno));
		return -1;
	}
	if (fstat(initrd_fd, &st) || !S_ISREG(st.st_mode)) {
		pr_err("initrd %s is not a regular file", cfg->initrd);
		return -1;
	}
	return 0;
}

/* The initrd's size now (it is copied as it is, never parsed); -1 said why. */
static long long initrd_size(void)
{
	struct stat st;

	if (initrd_fd < 0)
		return built_initrd ? (long long)built_initrd_len : 0;
	if (fstat(initrd_fd, &st)) {
		pr_err("the initrd: %s", strerror(errno));
		return -1;
	}
	return st.st_size;
}

static int load_initrd(struct vm *vm, const struct boot_layout *bl)
{
	u8 *dst = guest_ram(vm, bl->initrd_addr, bl->initrd_size);
	u64 done = 0;

	if (initrd_fd < 0) {
		memcpy(dst, built_initrd, bl->initrd_size);
		return 0;
	}
	while (done < bl->initrd_size) {
		ssize_t n = pread(initrd_fd, dst + done, bl->initrd_size - done, done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pr_err("cannot read the initrd (%s)", n ? strerror(errno) : "it shrank");
			return -1;
		}
		done += n;
	}
	return 0;
}

static char *make_bootargs(const struct vm_config *cfg)
{
	const char *params = cfg->params ? cfg->params : "";
	char devs[256];
	char *s;

	/*
	 * --nodefaults: exactly what the user gave. Otherwise the user's
	 * parameters come between gicvm's console= (so theirs wins) and its
	 * earlycon (so their quiet or loglevel= is in force before the early
	 * console prints the log so far, character by character). A command's
	 * run is quiet unless the user's loglevel= says otherwise.
	 */
	devices_boot_params(cfg, guestcmd_wanted(cfg), devs, sizeof(devs));
	if (cfg->nodefaults)
		s = strdup(params);
	else if (asprintf(&s, "console=%s %s%s%s%s" EARLYCON,
			  cfg->console == CONSOLE_VIRTIO ? "hvc0" : "ttyS0",
			  cfg->command ? "quiet " : "", devs, params, *params ? " " : "") < 0)
		s = NULL;
	return s;
}

static int dump_dtb(const char *path, const void *fdt)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(fdt, 1, fdt_totalsize_of(fdt), f) != fdt_totalsize_of(fdt) || fclose(f)) {
		pr_err("--dump-dtb %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The DT for this boot at @fdt: -1 said why. */
static int build_fdt(struct vm *vm, const struct boot_layout *bl, void *fdt)
{
	const struct vm_config *cfg = vm->cfg;
	u64 *mpidrs = calloc(vm->nr_cpus, sizeof(*mpidrs));
	char *bootargs = make_bootargs(cfg);
	struct fdt_desc desc;
	int err = -1;

	if (!mpidrs || !bootargs) {
		pr_err("out of memory");
		goto out;
	}
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		mpidrs[i] = vcpu_mpidr(vm, i);
	desc = (struct fdt_desc){
		.ram_base = vm->ram_base,
		.ram_size = vm->ram_size,
		.nr_cpus = vm->nr_cpus,
		.mpidrs = mpidrs,
		.bootargs = bootargs,
		.initrd_start = bl->initrd_size ? bl->initrd_addr : 0,
		.initrd_end = bl->initrd_addr + bl->initrd_size,
		.stdout_path = STDOUT_PATH,
		.pmu = cfg->pmu,
		.nested = cfg->nested,
		.kaslr_seed = cfg->kaslr_seed,
		.timer_frequency = cfg->timer_frequency,
		.gic = vm->gic,
		.devices = vm->devices,
	};
	err = fdt_build(&desc, fdt, FDT_MAX_SIZE);
	if (err)
		pr_err("the device tree does not fit in %llu bytes", FDT_MAX_SIZE);
out:
	free(mpidrs);
	free(bootargs);
	return err;
}

int guest_load(struct vm *vm, bool first_boot)
{
	const struct vm_config *cfg = vm->cfg;
	long long initrd_len = initrd_size();
	struct kernel_image img;
	struct boot_layout bl;
	const char *why;
	void *fdt;

	if (initrd_len < 0 || kernel_load(cfg, vm->ram_size, &img))
		return -1;
	if (boot_layout_compute(vm->ram_base, vm->ram_size, &img, initrd_len, &bl, &why)) {
		pr_err("%s", why);
		free(img.data);
		return -1;
	}
	memcpy(guest_ram(vm, bl.kernel_addr, img.size), img.data, img.size);
	free(img.data);
	fdt = guest_ram(vm, bl.fdt_addr, FDT_MAX_SIZE);
	if ((bl.initrd_size && load_initrd(vm, &bl)) || build_fdt(vm, &bl, fdt))
		return -1;
	/* Once: a reboot runs sandboxed, where opening a file to write is fatal. */
	if (cfg->dump_dtb && first_boot && dump_dtb(cfg->dump_dtb, fdt))
		return -1;
	if (vcpu_set_boot_regs(vm, bl.kernel_addr, bl.fdt_addr))
		return -1;
	pr_info("kernel at %#llx (%llu KiB), initrd at %#llx (%llu KiB), DT at %#llx",
		(unsigned long long)bl.kernel_addr, (unsigned long long)img.image_size >> 10,
		(unsigned long long)bl.initrd_addr, (unsigned long long)bl.initrd_size >> 10,
		(unsigned long long)bl.fdt_addr);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The VM itself: /dev/kvm, KVM_CREATE_VM with the IPA size it needs, RAM. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "arm/arm.h"
#include "gicvm/device.h"
#include "gicvm/memmap.h"
#include "gicvm/vm.h"

/* KVM's default for arm64 when the VM type does not ask for more. */
#define KVM_DEFAULT_IPA_BITS	40

static unsigned int bits_for(u64 end)
{
	unsigned int bits = 32;

	while (bits < 64 && (1ULL << bits) < end)
		bits++;
	return bits;
}

static int create_vm_fd(struct vm *vm)
{
	u64 ram_end = vm->ram_base + vm->ram_size;
	unsigned int need = MAX(bits_for(ram_end), 32U);
	int max_ipa = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
	unsigned long type = 0;
	int fd;

	if (need > KVM_DEFAULT_IPA_BITS) {
		if (max_ipa <= 0 || need > (unsigned int)max_ipa)
			die("--mem %llu MiB needs a %u-bit guest physical address space; "
			    "this host's KVM gives at most %d",
			    (unsigned long long)vm->cfg->mem_mib, need,
			    max_ipa > 0 ? max_ipa : KVM_DEFAULT_IPA_BITS);
		type = KVM_VM_TYPE_ARM_IPA_SIZE(need);
		vm->ipa_bits = need;
	} else {
		vm->ipa_bits = KVM_DEFAULT_IPA_BITS;
	}
	do {
		fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	} while (fd < 0 && errno == EINTR);
	return fd;
}

/*
 * --hugetlbfs DIR: an unlinked file there; --hugepages: a huge-page memfd.
 * Either way its size must be whole huge pages, which are reserved when
 * it is mapped: a host without enough free ones says so at start rather
 * than with a SIGBUS when the guest first touches the missing page.
 */
static void create_huge_ram_file(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	char path[4096];
	struct statfs fs;

	if (cfg->hugepages) {
		vm->ram_fd = memfd_create("gicvm-ram", MFD_CLOEXEC | MFD_HUGETLB);
		if (vm->ram_fd < 0)
			die_errno("--hugepages: cannot make a huge-page memory file");
	} else {
		snprintf(path, sizeof(path), "%s/gicvm-ram-XXXXXX", cfg->hugetlbfs);
		if (statfs(cfg->hugetlbfs, &fs) || fs.f_type != HUGETLBFS_MAGIC)
			die("--hugetlbfs %s: not a hugetlbfs mount", cfg->hugetlbfs);
		vm->ram_fd = mkostemp(path, O_CLOEXEC);
		if (vm->ram_fd < 0 || unlink(path))
			die_errno("--hugetlbfs %s: cannot make a file there", cfg->hugetlbfs);
	}
	if (fstatfs(vm->ram_fd, &fs))
		die_errno("huge pages");
	if (vm->ram_size % fs.f_bsize)
		die("-m %llu is not a whole number of %ld KiB huge pages",
		    (unsigned long long)cfg->mem_mib, (long)fs.f_bsize >> 10);
	if (ftruncate(vm->ram_fd, vm->ram_size))
		die_errno("cannot size the huge-page file for %llu MiB of guest RAM",
			  (unsigned long long)cfg->mem_mib);
}

/*
 * Guest RAM: private anonymous memory, or when a device hands it to another
 * process (a vhost-user backend maps it) a memfd mapped shared, or huge
 * pages from a hugetlbfs file (also shareable).
 */
static void create_ram(struct vm *vm)
{
	struct kvm_userspace_memory_region region;
	bool huge = vm->cfg->hugetlbfs || vm->cfg->hugepages;

	vm->ram_fd = -1;
	if (huge) {
		create_huge_ram_file(vm);
	} else if (devices_share_ram(vm->cfg)) {
		vm->ram_fd = memfd_create("gicvm-ram", MFD_CLOEXEC);
		if (vm->ram_fd < 0 || ftruncate(vm->ram_fd, vm->ram_size))
			die_errno("cannot make a memory file for %llu MiB of guest RAM",
				  (unsigned long long)vm->cfg->mem_mib);
	}
	/*
	 * As kvmtool: RAM is given on demand (MAP_NORESERVE), so a guest may be
	 * larger than what the host could give at once. --mem-prealloc reserves
	 * it (a host that cannot give it says so now) and faults every page in.
	 * (A memfd's pages are never reserved up front, as a tmpfs file's;
	 * huge pages always are.)
	 */
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       (vm->ram_fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED) |
		       (vm->cfg->mem_prealloc || huge ? 0 : MAP_NORESERVE), vm->ram_fd, 0);
	if (vm->ram == MAP_FAILED && huge)
		die_errno("cannot reserve %llu MiB of huge pages for guest RAM (see "
			  "/proc/sys/vm/nr_hugepages)", (unsigned long long)vm->cfg->mem_mib);
	if (vm->ram == MAP_FAILED)
		die_errno("cannot allocate %llu MiB of guest RAM",
			  (unsigned long long)vm->cfg->mem_mib);
	madvise(vm->ram, vm->ram_size, MADV_HUGEPAGE);
	if (vm->cfg->mem_prealloc && madvise(vm->ram, vm->ram_size, MADV_POPULATE_WRITE))
		die_errno("cannot allocate %llu MiB of guest RAM (--mem-prealloc)",
			  (unsigned long long)vm->cfg->mem_mib);

	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = vm->ram_base,
		.memory_size = vm->ram_size,
		.userspace_addr = (unsigned long)vm->ram,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		die_errno("KVM refused %llu MiB of guest RAM",
			  (unsigned long long)vm->cfg->mem_mib);
}

static void noop(void *opaque)
{
	u64 v;

	/* Only wakes the loop, which vm_request_stop() told to stop. */
	if (read(*(int *)opaque, &v, sizeof(v)) < 0)
		return;
}

void vm_create(struct vm *vm, const struct vm_config *cfg)
{
	const char *kvm_dev = cfg->kvm_dev ? cfg->kvm_dev : "/dev/kvm";
	int max_cpus;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->nr_cpus = cfg->nr_cpus;
	vm->ram_base = MMAP_RAM_BASE;
	vm->ram_size = cfg->mem_mib * SZ_1M;
	vm->mmio.trace = cfg->debug_mmio;
	atomic_init(&vm->exit_reason, VM_RUNNING);
	atomic_init(&vm->command_status, -1);
	vm->console_fd = STDOUT_FILENO;
	vm->console_in_fd = STDIN_FILENO;

	vm->kvm_fd = open(kvm_dev, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die_errno("cannot open %s", kvm_dev);
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		die("%s is not KVM, or speaks an unknown KVM API version", kvm_dev);

	max_cpus = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (max_cpus <= 0)
		max_cpus = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (max_cpus > 0 && cfg->nr_cpus > (unsigned int)max_cpus)
		die("--cpus %u: KVM allows at most %d vCPUs here", cfg->nr_cpus, max_cpus);

	vm->vm_fd = create_vm_fd(vm);
	if (vm->vm_fd < 0)
		die_errno("KVM_CREATE_VM failed");
	create_ram(vm);
	vm->stats_fd = ioctl(vm->vm_fd, KVM_GET_STATS_FD, NULL);

	if (ioloop_init(&vm->loop))
		die_errno("epoll_create1");
	vm->stop.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vm->stop.fn = noop;
	vm->stop.opaque = &vm->stop.fd;
	if (vm->stop.fd < 0 || ioloop_add(&vm->loop, &vm->stop))
		die_errno("cannot set up the stop eventfd");
	/* run.c fills in reboot.fn and adds it to the loop. */
	vm->reboot.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->reboot.fd < 0)
		die_errno("cannot set up the reboot eventfd");
}

void vm_request_stop(struct vm *vm, int reason)
{
	int expected = VM_RUNNING;
	u64 one = 1;

	if (atomic_compare_exchange_strong(&vm->exit_reason, &expected, reason))
		vm->timeline.stop = arm_counter();
	ioloop_stop(&vm->loop);
	if (write(vm->stop.fd, &one, sizeof(one)) < 0)
		pr_debug("stop eventfd write failed");
}

void vm_request_reboot(struct vm *vm)
{
	u64 one = 1;

	if (write(vm->reboot.fd, &one, sizeof(one)) < 0)
		pr_warn("reboot eventfd write failed");
}

void vm_clear_ram(struct vm *vm)
{
	/*
	 * A snapshot's memory file: MADV_DONTNEED would bring its pages back.
	 * Fresh anonymous memory in its place (KVM follows the mapping).
	 */
	if (vm->ram_from_file) {
		if (mmap(vm->ram, vm->ram_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			memset(vm->ram, 0, vm->ram_size);
		else
			vm->ram_from_file = false;
		return;
	}
	/*
	 * Private anonymous memory: the next touch gets a zeroed page. A memfd
	 * keeps its pages through MADV_DONTNEED: punch them out of the file.
	 */
	if (vm->ram_fd >= 0 &&
	    !fallocate(vm->ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, vm->ram_size))
		return;
	if (vm->ram_fd >= 0 || madvise(vm->ram, vm->ram_size, MADV_DONTNEED))
		memset(vm->ram, 0, vm->ram_size);
}

int vm_ioeventfd_assign(struct vm *vm, int fd, u64 addr, u32 len, u64 datamatch, bool assign)
{
	struct kvm_ioeventfd req = {
		.datamatch = datamatch,
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = KVM_IOEVENTFD_FLAG_DATAMATCH | (assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
	};

	return ioctl(vm->vm_fd, KVM_IOEVENTFD, &req);
}

int vm_ioeventfd(struct vm *vm, u64 addr, u32 len, u64 datamatch)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	if (fd < 0)
		return -1;
	if (vm_ioeventfd_assign(vm, fd, addr, len, datamatch, true)) {
		close(fd);
		return -1;
	}
	return fd;
}

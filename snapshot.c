// SPDX-License-Identifier: GPL-2.0-only
/*
 * Snapshot and restore of a whole VM (include/gicvm/snapshot.h).
 *
 * Saving (I/O thread, vCPUs parked): the devices first, since finishing
 * their requests in flight raises interrupts and writes guest RAM; then
 * the guest's counter, each vCPU, the vGIC (which writes the ITS tables
 * into RAM); RAM last. Restoring builds the same machine from the saved
 * command line, maps RAM from the memory file copy-on-write (so restore
 * costs the same for any RAM size and clones share the file's pages),
 * and writes the state back in the same order, the counter last.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arm/arm.h"
#include "gic/gic.h"
#include "gicvm/config.h"
#include "gicvm/device.h"
#include "gicvm/snapshot.h"
#include "gicvm/vm.h"

#define MAX_STATE_BYTES	(256ULL << 20)

static u64 vm_features(const struct vm *vm)
{
	return vcpus_features(vm) | (vm->cfg->pmu ? SNAP_FEAT_PMU : 0) |
	       (vm->cfg->aarch32 ? SNAP_FEAT_AARCH32 : 0);
}

static const char *feature_name(u64 bit)
{
	switch (bit) {
	case SNAP_FEAT_SVE:
		return "SVE";
	case SNAP_FEAT_PTRAUTH:
		return "pointer authentication";
	case SNAP_FEAT_PMU:
		return "a PMU (--pmu)";
	case SNAP_FEAT_AARCH32:
		return "a 32-bit EL1 (--aarch32)";
	}
	return "an unknown feature";
}

/* Each device's record: its name, then what its save hook wrote. */
static int save_devices(struct vm *vm, struct snap_writer *w)
{
	u32 index = 0;

	for (struct device *d = vm->devices; d; d = d->next, index++) {
		struct state s;
		int ret;

		if (!d->save) {
			pr_err("snapshot: device %s cannot be saved", d->name);
			return -1;
		}
		state_init(&s);
		state_put(&s, strlen(d->name), 1);
		state_put_bytes(&s, d->name, strlen(d->name));
		ret = d->save(d, &s);
		if (!ret)
			snap_add(w, "DEV ", index, &s);
		state_free(&s);
		if (ret)
			return -1;
	}
	return 0;
}

static int save_machine(struct vm *vm, struct snap_writer *w)
{
	struct state s;
	u64 cnt;
	int ret = 0;

	if (save_devices(vm, w) || vcpus_save_counter(vm, &cnt))
		return -1;
	state_init(&s);
	state_put(&s, cnt, 8);
	snap_add(w, "TIME", 0, &s);
	state_free(&s);
	for (unsigned int i = 0; i < vm->nr_cpus && !ret; i++) {
		state_init(&s);
		ret = vcpu_save(vm->vcpus[i], &s);
		snap_add(w, "VCPU", i, &s);
		state_free(&s);
	}
	if (ret)
		return -1;
	state_init(&s);
	ret = gic_save(vm->gic, &s);
	snap_add(w, "VGIC", 0, &s);
	state_free(&s);
	state_init(&s);
	snap_put_argv(&s, vm->cfg->argc, vm->cfg->argv);
	snap_add(w, "CONF", 0, &s);
	state_free(&s);
	return ret;
}

static bool page_is_zero(const u8 *p)
{
	const u64 *q = (const u64 *)p;

	for (size_t i = 0; i < SZ_4K / sizeof(*q); i++)
		if (q[i])
			return false;
	return true;
}

/*
 * RAM into @fd as a sparse file: runs of written pages, holes for pages
 * still zero (never touched, or given back by the balloon).
 */
static int save_ram(struct vm *vm, int fd, u64 *pages)
{
	u64 run = 0, len = 0;

	*pages = 0;
	if (ftruncate(fd, 0) || ftruncate(fd, vm->ram_size))
		return -1;
	for (u64 off = 0; off <= vm->ram_size; off += SZ_4K) {
		if (off < vm->ram_size && !page_is_zero(vm->ram + off)) {
			if (!len)
				run = off;
			len += SZ_4K;
			(*pages)++;
			continue;
		}
		for (u64 done = 0; done < len;) {
			ssize_t n = pwrite(fd, vm->ram + run + done, len - done, run + done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			done += n;
		}
		len = 0;
	}
	return 0;
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

int snapshot_save(struct vm *vm, int state_fd, int mem_fd, struct snapshot_stats *st)
{
	u64 start = now_ms();
	struct snap_header h = {
		.gic_type = gic_type(vm->gic),
		.nr_cpus = vm->nr_cpus,
		.ram_size = vm->ram_size,
		.features = vm_features(vm),
	};
	struct snap_writer w;
	u64 pages;
	int ret;

	/* Its EL2 state would need the nested vGIC's shadow registers too. */
	if (vm->cfg->nested) {
		pr_err("snapshot: a --nested VM (a guest hypervisor) cannot be saved");
		return -1;
	}
	if (vm->cfg->command) {
		pr_err("snapshot: a VM running a command (-- or --sandbox) cannot be saved");
		return -1;
	}
	snprintf(h.gicvm_version, sizeof(h.gicvm_version), "%s", GICVM_VERSION);
	snap_begin(&w, &h);
	ret = save_machine(vm, &w) || snap_finish(&w);
	if (!ret && save_ram(vm, mem_fd, &pages)) {
		pr_err("snapshot: cannot write guest RAM: %s", strerror(errno));
		ret = -1;
	}
	if (!ret && (ftruncate(state_fd, 0) || write_all(state_fd, w.out.buf, w.out.len) ||
		     fsync(mem_fd) || fsync(state_fd))) {
		pr_err("snapshot: cannot write the snapshot: %s", strerror(errno));
		ret = -1;
	}
	if (!ret) {
		*st = (struct snapshot_stats){
			.state_bytes = w.out.len,
			.ram_pages = pages,
			.ram_pages_all = vm->ram_size / SZ_4K,
			.ms = now_ms() - start,
		};
		pr_info("snapshot: %zu bytes of state, %llu of %llu RAM pages, %llu ms",
			st->state_bytes, (unsigned long long)st->ram_pages,
			(unsigned long long)st->ram_pages_all, (unsigned long long)st->ms);
	}
	state_free(&w.out);
	return ret ? -1 : 0;
}

static int open_in(const char *dir, const char *name, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		pr_err("--restore: cannot open %s: %s", path, strerror(errno));
	return fd;
}

int snapshot_open(const char *dir, struct snapshot *snap)
{
	const struct snap_section *conf;
	char path[4096], why[160];
	struct stat st;
	int fd, err;

	memset(snap, 0, sizeof(*snap));
	snap->mem_fd = -1;
	fd = open_in(dir, SNAP_STATE_FILE, path, sizeof(path));
	if (fd < 0)
		return -1;
	err = read_fd(fd, MAX_STATE_BYTES, (void **)&snap->buf, &snap->len);
	close(fd);
	if (err) {
		pr_err("--restore: cannot read %s: %s", path, strerror(-err));
		return -1;
	}
	if (snap_parse(snap->buf, snap->len, &snap->img, why, sizeof(why))) {
		pr_err("--restore: %s: %s", path, why);
		return -1;
	}
	conf = snap_find(&snap->img, "CONF", 0);
	if (!conf || snap_get_argv(conf, &snap->argc, &snap->argv) || snap->argc < 1) {
		pr_err("--restore: %s: its command line is missing or corrupt", path);
		return -1;
	}
	snap->mem_fd = open_in(dir, SNAP_MEMORY_FILE, path, sizeof(path));
	if (snap->mem_fd < 0)
		return -1;
	if (fstat(snap->mem_fd, &st) || (u64)st.st_size != snap->img.h.ram_size) {
		pr_err("--restore: %s holds %lld bytes, the snapshot's RAM is %llu: truncated or "
		       "another snapshot's", path, (long long)st.st_size,
		       (unsigned long long)snap->img.h.ram_size);
		return -1;
	}
	return 0;
}

int snapshot_check_config(const struct snapshot *snap, struct vm_config *cfg)
{
	const struct snap_header *h = &snap->img.h;

	if (cfg->nr_cpus != h->nr_cpus || cfg->mem_mib * SZ_1M != h->ram_size) {
		pr_err("--restore: the snapshot's VM has %u vCPUs and %llu MiB, not %u and %llu: "
		       "-c and -m cannot change", h->nr_cpus,
		       (unsigned long long)(h->ram_size / SZ_1M), cfg->nr_cpus,
		       (unsigned long long)cfg->mem_mib);
		return -1;
	}
	if (h->gic_type == GIC_AUTO || h->gic_type > GIC_V3_ITS) {
		pr_err("--restore: the snapshot names an unknown GIC");
		return -1;
	}
	if (cfg->gic != GIC_AUTO && cfg->gic != h->gic_type) {
		pr_err("--restore: the snapshot's VM has a %s GIC, not %s: --gic cannot change",
		       gic_type_name(h->gic_type), gic_type_name(cfg->gic));
		return -1;
	}
	cfg->gic = h->gic_type;	/* what "auto" picked then, not now */
	return 0;
}

int snapshot_map_ram(struct vm *vm, const struct snapshot *snap)
{
	void *p = mmap(vm->ram, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, snap->mem_fd, 0);

	if (p == MAP_FAILED) {
		pr_err("--restore: cannot map the snapshot's memory: %s", strerror(errno));
		return -1;
	}
	vm->ram_from_file = true;
	return 0;
}

static const struct snap_section *section(const struct snapshot *snap, const char *tag,
					  u32 index, struct state *s)
{
	const struct snap_section *sec = snap_find(&snap->img, tag, index);

	if (!sec) {
		pr_err("--restore: the snapshot has no %s %u: not this machine's", tag, index);
		return NULL;
	}
	state_init_read(s, sec->data, sec->len);
	return sec;
}

/* Each device's record, by position, under its own name. */
static int restore_devices(struct vm *vm, const struct snapshot *snap)
{
	u32 index = 0;

	for (struct device *d = vm->devices; d; d = d->next, index++) {
		struct state s;
		char name[256];
		u8 len;

		if (!section(snap, "DEV ", index, &s))
			return -1;
		len = state_get(&s, 1);
		state_get_bytes(&s, name, len);
		name[state_ok(&s) ? len : 0] = 0;
		if (strcmp(name, d->name)) {
			pr_err("--restore: device %u is %s here, %s in the snapshot: give the "
			       "same devices", index, d->name, name);
			return -1;
		}
		if (!d->restore || d->restore(d, &s))
			return -1;
		if (s.pos != s.len) {
			pr_err("--restore: device %s: its saved state is corrupt", d->name);
			return -1;
		}
	}
	if (snap_find(&snap->img, "DEV ", index)) {
		pr_err("--restore: the snapshot has more devices than this VM: give the same devices");
		return -1;
	}
	return 0;
}

int snapshot_restore(struct vm *vm, const struct snapshot *snap)
{
	u64 missing = snap->img.h.features & ~vm_features(vm);
	struct state s;
	u64 cnt;

	if (missing) {
		pr_err("--restore: the snapshot's vCPUs have %s, which this host or configuration "
		       "does not give", feature_name(missing & -missing));
		return -1;
	}
	for (unsigned int i = 0; i < vm->nr_cpus; i++)
		if (!section(snap, "VCPU", i, &s) || vcpu_restore(vm->vcpus[i], &s))
			return -1;
	if (!section(snap, "VGIC", 0, &s) || gic_restore(vm->gic, &s))
		return -1;
	if (restore_devices(vm, snap) || !section(snap, "TIME", 0, &s))
		return -1;
	cnt = state_get(&s, 8);
	if (!state_ok(&s)) {
		pr_err("--restore: the saved counter is corrupt");
		return -1;
	}
	return vcpus_restore_counter(vm, cnt);
}

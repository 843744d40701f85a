// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-balloon (VIRTIO 1.x, 5.5): --balloon. The host sets a target
 * (`gicvm balloon inflate|deflate MIB`); the guest gives pages up on the
 * inflate queue, takes them back on the deflate queue, sends its memory
 * statistics on the stats queue and reports free pages on the reporting
 * queue. Pages given up or reported free are discarded on the host (their
 * memory goes back to it; the guest later finds them zeroed).
 *
 * Queues by index: inflate, deflate, then stats and reporting each only if
 * negotiated (the driver numbers only the queues it uses).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/virtio_balloon.h>
#include <linux/virtio_ids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "balloon.h"
#include "gicvm/device.h"
#include "gicvm/report.h"
#include "gicvm/vm.h"

#define BALLOON_QUEUES		4
#define STAT_SIZE		10	/* le16 tag, le64 value, packed */

enum queue_role { Q_INFLATE, Q_DEFLATE, Q_STATS, Q_REPORTING, Q_NONE };

static const char *const stat_names[] = VIRTIO_BALLOON_S_NAMES;

static struct balloon *to_balloon(struct virtio_device *vdev)
{
	return (struct balloon *)vdev;
}

static enum queue_role role_of(struct virtio_device *vdev, unsigned int q)
{
	bool stats = virtio_has(vdev, VIRTIO_BALLOON_F_STATS_VQ);

	if (q < 2)
		return q;
	if (q == 2)
		return stats ? Q_STATS : virtio_has(vdev, VIRTIO_BALLOON_F_REPORTING) ?
		       Q_REPORTING : Q_NONE;
	if (q == 3 && stats && virtio_has(vdev, VIRTIO_BALLOON_F_REPORTING))
		return Q_REPORTING;
	return Q_NONE;
}

/*
 * Give guest RAM at [@gpa, @gpa + @len) back to the host. Private memory
 * is dropped; a shared memory file (vhost-user, huge pages) has its blocks
 * punched out, which huge pages allow only whole.
 */
static void discard(struct balloon *b, u64 gpa, u64 len)
{
	struct vm *vm = b->vm;
	void *host = guest_ram(vm, gpa, len);
	int err;

	if (!host)
		return;
	if (vm->ram_fd < 0)
		err = madvise(host, len, MADV_DONTNEED);
	else
		err = fallocate(vm->ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				gpa - vm->ram_base, len);
	if (err)
		b->discard_failures++;
}

/* An inflate request: le32 page frame numbers, coalesced into runs. */
static void inflate(struct balloon *b, const struct vq_req *r)
{
	u64 run_start = 0, run_len = 0;

	for (unsigned int i = 0; i < r->n_out; i++) {
		const u8 *p = r->iov[i].iov_base;

		for (size_t off = 0; off + 4 <= r->iov[i].iov_len; off += 4) {
			u64 gpa = (u64)le32_to_cpu_p(p + off) << VIRTIO_BALLOON_PFN_SHIFT;

			if (!guest_ram(b->vm, gpa, BALLOON_PAGE)) {
				atomic_fetch_add(&b->vdev.violations, 1);
				continue;
			}
			b->inflated++;
			if (run_len && gpa == run_start + run_len) {
				run_len += BALLOON_PAGE;
				continue;
			}
			if (run_len)
				discard(b, run_start, run_len);
			run_start = gpa;
			run_len = BALLOON_PAGE;
		}
	}
	if (run_len)
		discard(b, run_start, run_len);
}

static void deflate(struct balloon *b, const struct vq_req *r)
{
	for (unsigned int i = 0; i < r->n_out; i++)
		b->deflated += r->iov[i].iov_len / 4;
}

/* A stats request: (tag, value) pairs; kept, and the request held. */
static void take_stats(struct balloon *b, const struct vq_req *r)
{
	u8 pair[STAT_SIZE];
	size_t have = 0;

	for (unsigned int i = 0; i < r->n_out; i++) {
		const u8 *p = r->iov[i].iov_base;

		for (size_t off = 0; off < r->iov[i].iov_len; off++) {
			pair[have++] = p[off];
			if (have < STAT_SIZE)
				continue;
			have = 0;
			if (get_le(pair, 2) < VIRTIO_BALLOON_S_NR) {
				b->stats[get_le(pair, 2)] = get_le(pair + 2, 8);
				b->stats_seen |= 1U << get_le(pair, 2);
			}
		}
	}
}

/* A reporting request: each device-writable buffer is a free range. */
static void take_report(struct balloon *b, const struct vq_req *r)
{
	for (unsigned int i = r->n_out; i < r->n_out + r->n_in; i++) {
		u64 gpa = b->vm->ram_base + ((u8 *)r->iov[i].iov_base - b->vm->ram);

		discard(b, gpa, r->iov[i].iov_len);
		b->reported += r->iov[i].iov_len / BALLOON_PAGE;
	}
}

static void balloon_notify(struct virtio_device *vdev, unsigned int q)
{
	struct balloon *b = to_balloon(vdev);
	enum queue_role role = role_of(vdev, q);

	while (virtio_pop(vdev, q, &b->req)) {
		switch (role) {
		case Q_INFLATE:
			inflate(b, &b->req);
			break;
		case Q_DEFLATE:
			deflate(b, &b->req);
			break;
		case Q_STATS:
			take_stats(b, &b->req);
			/* Held: returning it is how the host asks for fresh ones. */
			if (b->stats_held)
				virtio_complete(vdev, q, b->stats_head, 0);
			b->stats_held = true;
			b->stats_head = b->req.head;
			continue;
		case Q_REPORTING:
			take_report(b, &b->req);
			break;
		case Q_NONE:
			atomic_fetch_add(&vdev->violations, 1);
			break;
		}
		virtio_complete(vdev, q, b->req.head, 0);
	}
}

/* The driver writes `actual` (what it has given); num_pages stays the host's. */
static void balloon_config_write(struct virtio_device *vdev, u32 offset, u32 len)
{
	put_le(vdev->config, to_balloon(vdev)->target, 4);
}

static void balloon_reset(struct virtio_device *vdev)
{
	struct balloon *b = to_balloon(vdev);

	b->stats_held = false;
	b->stats_seen = 0;
}

static void balloon_report(struct virtio_device *vdev, struct report *r)
{
	struct balloon *b = to_balloon(vdev);

	report_u64(r, "target_pages", b->target);
	report_u64(r, "actual_pages", get_le(vdev->config + 4, 4));
	report_u64(r, "inflated_pages", b->inflated);
	report_u64(r, "deflated_pages", b->deflated);
	report_u64(r, "reported_pages", b->reported);
	report_u64(r, "discard_failures", b->discard_failures);
	for (unsigned int t = 0; t < VIRTIO_BALLOON_S_NR; t++)
		if (b->stats_seen & (1U << t))
			report_u64(r, stat_names[t], b->stats[t]);
}

const struct virtio_ops virtio_balloon_ops = {
	.name = "virtio-balloon",
	.device_id = VIRTIO_ID_BALLOON,
	.features = (1ULL << VIRTIO_BALLOON_F_STATS_VQ) | (1ULL << VIRTIO_BALLOON_F_REPORTING),
	.num_queues = BALLOON_QUEUES,
	.queue_size = 128,
	.config_size = sizeof(struct virtio_balloon_config),
	.notify = balloon_notify,
	.reset = balloon_reset,
	.config_write = balloon_config_write,
	.report = balloon_report,
};

/* Ask the guest for fresh statistics: give its held request back (statsq is queue 2). */
static void ask_stats(struct balloon *b)
{
	if (b->stats_held) {
		b->stats_held = false;
		virtio_complete(&b->vdev, 2, b->stats_head, 0);
	}
}

/*
 * The control socket's "balloon [inflate|deflate MIB]": move the target,
 * tell the guest (a configuration change), and say where it stands. A
 * bare "balloon" asks for fresh statistics, which the next answer has.
 */
static bool balloon_command(struct device *dev, const char *cmd, FILE *out)
{
	struct balloon *b = dev->priv;
	struct virtio_device *vdev = &b->vdev;
	u64 ram_pages = b->vm->ram_size / BALLOON_PAGE, mib = 0, pages;
	char verb[16] = "";

	if (strncmp(cmd, "balloon", 7) || (cmd[7] && cmd[7] != ' '))
		return false;
	if (cmd[7] && (sscanf(cmd + 8, "%15s %llu", verb, (unsigned long long *)&mib) != 2 ||
		       (strcmp(verb, "inflate") && strcmp(verb, "deflate")))) {
		fprintf(out, "error: balloon wants inflate MIB or deflate MIB\n");
		return true;
	}
	pthread_mutex_lock(&vdev->lock);
	pages = MIN(mib, ram_pages) * (SZ_1M / BALLOON_PAGE);
	if (!strcmp(verb, "inflate"))
		b->target = MIN(ram_pages, (u64)b->target + pages);
	else if (*verb)
		b->target -= MIN((u64)b->target, pages);
	if (*verb) {
		put_le(vdev->config, b->target, 4);
		if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
			vdev->tops->signal_config(vdev);
	} else {
		ask_stats(b);
	}
	fprintf(out, "balloon: target %llu MiB, the guest has given %llu MiB\n",
		(unsigned long long)b->target * BALLOON_PAGE / SZ_1M,
		(unsigned long long)get_le(vdev->config + 4, 4) * BALLOON_PAGE / SZ_1M);
	for (unsigned int t = 0; t < VIRTIO_BALLOON_S_NR; t++)
		if (b->stats_seen & (1U << t))
			fprintf(out, "%s=%llu\n", stat_names[t], (unsigned long long)b->stats[t]);
	pthread_mutex_unlock(&vdev->lock);
	return true;
}

static int balloon_create(struct vm *vm)
{
	const struct balloon_config *cfg = device_config(vm->cfg, &virtio_balloon_device);
	struct balloon *b;

	if (!cfg->enabled)
		return 0;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -1;
	b->vm = vm;
	b->vdev.ops = &virtio_balloon_ops;
	b->ctl = (struct device){ .name = "virtio-balloon-control", .priv = b,
				  .command = balloon_command };
	device_add(vm, &b->ctl);
	return virtio_device_add(vm, &b->vdev);
}

static int balloon_option(void *config, const char *arg)
{
	((struct balloon_config *)config)->enabled = true;
	return 0;
}

static const struct device_option balloon_options[] = {
	{ "balloon", 0, false, "no value",
	  "      --balloon         a virtio-balloon: `gicvm balloon` moves its target; free\n"
	  "                        pages the guest reports go back to the host\n",
	  balloon_option },
	{ NULL },
};

const struct device_type virtio_balloon_device = {
	.name = "virtio-balloon",
	.create = balloon_create,
	.options = balloon_options,
	.config_size = sizeof(struct balloon_config),
};

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a virtio device model implements and what it may call. Devices do
 * not know their transport: it delivers kicks (from ioeventfds) to
 * ops->notify on the I/O thread and raises interrupts through an irqfd.
 */
#ifndef GICVM_VIRTIO_H
#define GICVM_VIRTIO_H

#include <pthread.h>
#include <stdatomic.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "gicvm/ioloop.h"
#include "gicvm/util.h"
#include "virtqueue.h"

struct vm;
struct report;
struct state;
struct virtio_device;

#define VIRTIO_MAX_QUEUES	17	/* 8 receive/transmit pairs and a control queue */
#define VIRTIO_CONFIG_MAX	256

/*
 * What a transport (virtio-pci, virtio-mmio) does for the core and the
 * devices: the core calls down only through these, so it never names a
 * transport (virtio_device_add() in transport.c picks one).
 */
struct virtio_transport_ops {
	/* Tell the driver queue @q has used buffers (vdev->lock held). */
	void (*signal_used)(struct virtio_device *vdev, unsigned int q);
	/* Tell the driver the configuration changed (vdev->lock held). */
	void (*signal_config)(struct virtio_device *vdev);
	/* Optional: an irqfd that raises queue @q's interrupt now, or -1. */
	int (*direct_call_fd)(struct virtio_device *vdev, unsigned int q);
};

struct virtio_ops {
	const char *name;
	u32 device_id;
	u32 pci_class;			/* class code on virtio-pci; 0: unclassified */
	u64 features;			/* device-specific features offered */
	unsigned int num_queues;
	u16 queue_size;
	u32 config_size;		/* bytes of vdev->config the guest sees */
	/* Queue @q was kicked. I/O thread, vdev->lock held. */
	void (*notify)(struct virtio_device *vdev, unsigned int q);
	/* The driver reset the device: forget in-flight work. vdev->lock held. */
	void (*reset)(struct virtio_device *vdev);
	/* Optional: the driver wrote config bytes [offset, offset + len). */
	void (*config_write)(struct virtio_device *vdev, u32 offset, u32 len);
	/*
	 * Optional, for a device whose queues a backend outside gicvm's I/O
	 * thread serves (vhost): the driver set DRIVER_OK, so hand the ready
	 * queues over (virtio_backend_hand_over()). Non-zero: the device needs
	 * a reset. Its reset op takes them back. vdev->lock held.
	 */
	int (*driver_ok)(struct virtio_device *vdev);
	/*
	 * With driver_ok: the eventfd a handed-over queue's backend must signal
	 * changed (MSI-X masking, a new vector). vdev->lock held.
	 */
	void (*call_changed)(struct virtio_device *vdev, unsigned int q, int fd);
	/* Optional: the device's own figures, after the common counters. */
	void (*report)(struct virtio_device *vdev, struct report *r);
	/*
	 * Optional, for snapshots: the device's own state after the common part
	 * (virtio_save()), and back; non-zero if it cannot (said why).
	 */
	int (*save)(struct virtio_device *vdev, struct state *s);
	int (*restore)(struct virtio_device *vdev, struct state *s);
	/*
	 * Optional, for snapshots: finish the requests in flight (their used
	 * entries written, interrupts raised) before the queues are saved.
	 * vdev->lock held, vCPUs stopped.
	 */
	void (*drain)(struct virtio_device *vdev);
};

/*
 * A queue's used-buffer notifications relayed by gicvm: the eventfd a
 * backend signals when gicvm must raise the interrupt itself (virtio-mmio,
 * whose InterruptStatus gicvm keeps; a masked MSI-X vector, whose pending
 * bit gicvm keeps).
 */
struct virtio_relay {
	struct ioloop_entry entry;
	struct virtio_device *vdev;
	unsigned int queue;
	int given_fd;			/* the call fd the backend has now; -1: none */
};

/* What a backend needs to serve one queue (virtio_backend_hand_over()). */
struct vq_handoff {
	int kick_fd;			/* the queue's ioeventfd */
	int call_fd;			/* an irqfd, or gicvm's relay */
	u16 num;
	u16 base;			/* the next available entry to take */
	void *desc, *avail, *used;	/* host addresses, checked inside guest RAM */
};

struct virtio_device {
	const struct virtio_ops *ops;
	void *priv;
	struct vm *vm;
	pthread_mutex_t lock;
	u8 config[VIRTIO_CONFIG_MAX];	/* little-endian, as the guest reads it */
	u64 features;			/* negotiated */
	u32 status;
	unsigned int num_queues;	/* 0 before add: ops->num_queues */
	struct virtqueue vqs[VIRTIO_MAX_QUEUES];

	/* Set by the transport. */
	void *transport;
	const struct virtio_transport_ops *tops;
	struct virtio_kick *kick[VIRTIO_MAX_QUEUES];	/* by virtio_kick_add() */

	/*
	 * A kick's pass over a queue takes at most one ring's worth of
	 * requests (virtio_pop()): left in this pass, and whether one is
	 * running or was cut short, one bit per queue.
	 */
	u16 pops_left[VIRTIO_MAX_QUEUES];
	u32 in_pass, cut_short;

	/* Queues served by a backend (virtio_backend_*), one bit each. */
	u32 handed_over;
	struct virtio_relay *relays;	/* by virtio_backend_init() */

	atomic_ulong kicks;		/* queue notifications received */
	atomic_ulong interrupts;	/* used-buffer interrupts raised */
	atomic_ulong violations;	/* guest requests refused as malformed */
	atomic_ulong relayed;		/* backend notifications gicvm relayed */
	atomic_ulong handovers;		/* queues handed to a backend */
};

/* Offered by every transport to every device. */
#define VIRTIO_TRANSPORT_FEATURES ((1ULL << VIRTIO_F_VERSION_1) | \
				   (1ULL << VIRTIO_RING_F_EVENT_IDX) | \
				   (1ULL << VIRTIO_RING_F_INDIRECT_DESC))

/*
 * Put @vdev on the VM's virtio transport: virtio-pci with MSI-X, or
 * virtio-mmio (--virtio-transport). Before gic_finalize().
 */
int virtio_device_add(struct vm *vm, struct virtio_device *vdev);

/* Whether virtio devices go on PCI (decided by --virtio-transport and the GIC). */
bool virtio_transport_is_pci(const struct vm *vm);

/* --- for transports ---------------------------------------------------- */
int virtio_mmio_add(struct vm *vm, struct virtio_device *vdev);
int virtio_pci_add(struct vm *vm, struct virtio_device *vdev);
void virtio_init_device(struct virtio_device *vdev, struct vm *vm);
static inline u64 virtio_offered(const struct virtio_device *vdev)
{
	return vdev->ops->features | VIRTIO_TRANSPORT_FEATURES;
}
/* The driver wrote 0 to the status: forget everything negotiated. */
void virtio_reset(struct virtio_device *vdev);
/* A status write; @drv_features is what the driver wrote so far. */
void virtio_set_status(struct virtio_device *vdev, u32 val, u64 drv_features);
/* A queue's notification eventfd (a KVM ioeventfd), served by the I/O loop. */
struct virtio_kick {
	struct ioloop_entry entry;
	struct virtio_device *vdev;
	unsigned int queue;
};

/* Watch @fd as queue @q's kicks: each one runs ops->notify under vdev->lock. */
int virtio_kick_add(struct virtio_kick *k, struct virtio_device *vdev, unsigned int q, int fd);
/* A notification that missed its ioeventfd (bad width or value) and exited. */
void virtio_notify_missed(struct virtio_device *vdev, unsigned int q);
/* The device's kick, interrupt and guest-error counters into @r. */
void virtio_report_counters(struct virtio_device *vdev, struct report *r);

/* A driver access to the device-specific configuration (vdev->lock held). */
void virtio_config_access(struct virtio_device *vdev, u64 off, u8 *data, u32 len, bool is_write);
/* QueueReady / queue_enable: validate and start using queue @q. */
void virtio_queue_set_ready(struct virtio_device *vdev, unsigned int q, bool ready);

static inline bool virtio_has(const struct virtio_device *vdev, unsigned int bit)
{
	return vdev->features & (1ULL << bit);
}

/*
 * Pop the next request of queue @q, logging (rate-limited) and counting a
 * malformed one. A corrupt ring sets DEVICE_NEEDS_RESET. Returns false when
 * there is nothing (more) to do.
 */
bool virtio_pop(struct virtio_device *vdev, unsigned int q, struct vq_req *req);

/* Return a request, and interrupt the guest if it wants to hear of it. */
void virtio_complete(struct virtio_device *vdev, unsigned int q, u16 head, u32 written);
/*
 * A used-buffer notification for queue @q whatever the driver asked for
 * (a driver finds nothing new and carries on): for what a backend that
 * went away may have put in the used ring without signalling it.
 */
void virtio_signal_used(struct virtio_device *vdev, unsigned int q);

/* Tell the driver the device needs a reset (bad ring): status bit + config IRQ. */
void virtio_needs_reset(struct virtio_device *vdev);

/*
 * Snapshots (virtio/vstate.c): the device's status, features, config and
 * queues, then ops->save's part. A device whose queues a backend holds
 * refuses to be saved. Restoring refuses (-1, said why) a record that is
 * another device's, corrupt, or puts a live queue outside guest RAM.
 */
int virtio_save(struct virtio_device *vdev, struct state *s);
int virtio_restore(struct virtio_device *vdev, struct state *s);
/* Once the transport is whole again: serve what the queues hold. vdev->lock held. */
void virtio_restart(struct virtio_device *vdev);

/* --- for devices whose queues a backend serves (virtio/backend.c) ------- */
/* Before the VM runs: the relay eventfds, in the I/O loop. */
int virtio_backend_init(struct virtio_device *vdev);
/*
 * Hand ready queue @q to a backend: gicvm stops serving its kicks and
 * fills @h. -1 if the queue is not ready or its rings are not in RAM.
 */
int virtio_backend_hand_over(struct virtio_device *vdev, unsigned int q, struct vq_handoff *h);
/* Take queue @q back; the backend stopped at available entry @next_avail. */
void virtio_backend_take_back(struct virtio_device *vdev, unsigned int q, u16 next_avail);
/* The transport's vectors changed: re-point the backends' call fds. */
void virtio_backend_calls_changed(struct virtio_device *vdev);

#endif

/*
 * Virtio core: the transport-independent device model and split
 * virtqueues.  A device (blk, rng, ...) fills a struct virtio_device with its
 * id, feature bits, config space and callbacks; a transport (virtio-mmio
 * now, PCI later) owns the register interface, calls into the device for
 * status/feature/queue events and delivers its interrupts.  Devices never
 * know which transport serves them.
 *
 * Threat model: everything in guest memory (rings, descriptors, buffers,
 * request headers) is hostile and may change under us while we read it.
 * Every index is bounds-checked, every buffer goes through guest_mem_ptr,
 * every chain is bounded by the queue size.  A structurally broken queue
 * marks the device DEVICE_NEEDS_RESET (one log line) and the device stops
 * touching guest memory until the driver resets it.
 *
 * Locking: one mutex per device (vdev->lock), taken by the transport around
 * every register access, so device callbacks run serialised under it.
 */
#ifndef POPEK_DEVICES_VIRTIO_VIRTIO_H
#define POPEK_DEVICES_VIRTIO_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "devices/irq.h"
#include "vm/memory.h"

/* Device status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE        1
#define VIRTIO_STATUS_DRIVER             2
#define VIRTIO_STATUS_DRIVER_OK          4
#define VIRTIO_STATUS_FEATURES_OK        8
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED             128

/* Transport-independent feature bits */
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1          32

/* Interrupt status bits */
#define VIRTIO_INT_VRING  1
#define VIRTIO_INT_CONFIG 2

/* Device ids */
#define VIRTIO_ID_NET   1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_RNG   4

#define VIRTQ_MAX_SIZE   1024   /* largest queue any device may offer */
#define VIRTIO_MAX_QUEUES 8

/* Split-ring layout (little-endian in guest memory; so is the host). */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* One queue as the driver configured it, plus the device's cursors. */
struct virtq {
	uint16_t num;              /* queue size chosen by the driver */
	uint16_t num_max;          /* largest size the device accepts */
	bool ready;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/* Host views of the rings, checked against RAM when the queue is made
	 * ready (guest RAM never moves, so they stay valid). */
	struct virtq_desc *desc;
	uint16_t *avail;           /* flags, idx, ring[num], used_event */
	uint16_t *used;            /* flags, idx, then used elems, avail_event */
	uint16_t last_avail;       /* next avail slot the device will read */
	uint16_t used_idx;         /* next used slot the device will write */
	uint16_t signalled_used;   /* used_idx when we last interrupted */
	bool signalled_valid;
};

/* Plain data for snapshots. */
struct virtq_state {
	uint16_t num, ready, last_avail, used_idx, signalled_used, signalled_valid;
	uint64_t desc_gpa, avail_gpa, used_gpa;
};

/* A popped descriptor chain: device-readable segments first (out), then
 * device-writable (in), as the spec requires drivers to order them. */
struct virtq_chain {
	uint16_t head;
	unsigned nout, nin;
	uint64_t out_len, in_len;       /* total bytes */
	struct iovec iov[VIRTQ_MAX_SIZE];   /* out[0..nout) then in[0..nin) */
};

struct virtio_device;

struct virtio_device_ops {
	/* Config space (the device's struct, little-endian).  May be NULL. */
	void (*config_write)(struct virtio_device *vdev, uint32_t off, const void *buf, unsigned len);
	/* The driver kicked queue q (DRIVER_OK is set, the queue is ready). */
	void (*queue_notify)(struct virtio_device *vdev, int q);
	/* Device-specific reset (queues and status are reset by the core). */
	void (*reset)(struct virtio_device *vdev);
};

/* What a transport provides to the core. */
struct virtio_transport {
	/* Interrupt status changed (the transport raises/lowers its line). */
	void (*update_irq)(struct virtio_device *vdev);
	void *opaque;
};

struct virtio_device {
	pthread_mutex_t lock;
	uint32_t device_id;
	const char *name;               /* for log lines */
	uint64_t host_features;
	uint64_t guest_features;
	uint8_t status;
	uint32_t isr;                   /* VIRTIO_INT_* bits not yet acked */
	uint32_t config_generation;
	void *config;                   /* config space bytes (device owned) */
	uint32_t config_len;
	int nqueues;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	bool broken;                    /* DEVICE_NEEDS_RESET until reset */
	struct guest_mem *mem;
	const struct virtio_device_ops *ops;
	struct virtio_transport transport;
	void *priv;                     /* the device's own state */
};

/* Plain data for snapshots (device-specific state is saved separately). */
struct virtio_device_state {
	uint64_t guest_features;
	uint32_t status, isr, config_generation, broken;
	struct virtq_state vq[VIRTIO_MAX_QUEUES];
};

/* ---- core (core.c): used by devices and transports ---- */

/* Fill the generic part; queue_max is offered for every queue. */
void virtio_device_init(struct virtio_device *vdev, uint32_t device_id, const char *name,
			struct guest_mem *mem, int nqueues, uint16_t queue_max,
			const struct virtio_device_ops *ops, void *priv);
void virtio_device_destroy(struct virtio_device *vdev);
/* Back to the power-on state (status 0 written, or transport reset). */
void virtio_device_reset(struct virtio_device *vdev);
/* Driver wrote the status register: handles reset and FEATURES_OK checks. */
void virtio_set_status(struct virtio_device *vdev, uint8_t status);
/* Driver set QueueReady for q: validates the rings (0 or -EINVAL). */
int virtio_queue_enable(struct virtio_device *vdev, int q);
/* Driver kicked q. */
void virtio_queue_kick(struct virtio_device *vdev, int q);
/* Set bits in the interrupt status and tell the transport. */
void virtio_raise_isr(struct virtio_device *vdev, uint32_t bits);
void virtio_ack_isr(struct virtio_device *vdev, uint32_t bits);
/* Mark the device broken: log `why` once, set DEVICE_NEEDS_RESET and
 * notify the driver with a config interrupt. */
void virtio_device_error(struct virtio_device *vdev, const char *why);
/* Config space access; out-of-range bytes read as 0, writes are dropped. */
uint64_t virtio_config_read(struct virtio_device *vdev, uint32_t off, unsigned size);
void virtio_config_write(struct virtio_device *vdev, uint32_t off, uint64_t value, unsigned size);
bool virtio_has_feature(const struct virtio_device *vdev, unsigned bit);

void virtio_device_save(struct virtio_device *vdev, struct virtio_device_state *st);
int virtio_device_load(struct virtio_device *vdev, const struct virtio_device_state *st);

/* ---- split virtqueue (queue.c) ---- */

/* Pop the next available chain: 1 when *chain was filled, 0 when the ring
 * is empty, -EINVAL when the queue is broken (the device has been marked
 * DEVICE_NEEDS_RESET; stop processing). */
int virtq_pop(struct virtio_device *vdev, struct virtq *vq, struct virtq_chain *chain);
/* Return a chain to the driver; len = bytes written to writable buffers. */
void virtq_push(struct virtio_device *vdev, struct virtq *vq, uint16_t head, uint32_t len);
/* Interrupt the driver for vq unless it asked not to be (flags/EVENT_IDX). */
void virtq_notify(struct virtio_device *vdev, struct virtq *vq);

/* iovec helpers over a chain's segments. */
size_t iov_to_buf(const struct iovec *iov, unsigned n, size_t skip, void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned n, size_t skip, const void *buf, size_t len);
/* Copy into dst[] the segments covering [skip, skip+len) of iov; returns
 * the number of dst segments (at most max). */
unsigned iov_slice(const struct iovec *iov, unsigned n, size_t skip, size_t len,
		   struct iovec *dst, unsigned max);

/* ---- virtio-mmio transport (mmio.c) ---- */

#define VIRTIO_MMIO_BASE   0x10001000ull
#define VIRTIO_MMIO_STRIDE 0x1000ull
#define VIRTIO_MMIO_SLOTS  8
#define VIRTIO_MMIO_IRQ0   1          /* slot i uses PLIC source 1 + i */
#define VIRTIO_MMIO_VENDOR 0x4b504f50 /* "POPK" */

struct virtio_mmio {
	struct virtio_device *vdev;   /* NULL: an empty slot (DeviceID 0) */
	struct irq_line irq;
	int irq_level;
	uint32_t device_features_sel, driver_features_sel, queue_sel;
};

/* Transport registers plus the device's generic state, for snapshots. */
struct virtio_mmio_state {
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	struct virtio_device_state dev;
};

/* vdev may be NULL for an empty slot. */
void virtio_mmio_init(struct virtio_mmio *m, struct virtio_device *vdev, const struct irq_line *irq);
void virtio_mmio_save(struct virtio_mmio *m, struct virtio_mmio_state *st);
/* Returns 0, or -EINVAL when the saved queues do not fit guest RAM. */
int virtio_mmio_load(struct virtio_mmio *m, const struct virtio_mmio_state *st);
uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size);
void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

/* ---- virtio-rng (rng.c) ---- */

struct virtio_rng {
	struct virtio_device vdev;
};
void virtio_rng_init(struct virtio_rng *rng, struct guest_mem *mem);
void virtio_rng_destroy(struct virtio_rng *rng);

#endif

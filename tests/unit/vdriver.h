/*
 * A fake virtio driver for unit tests: it lays out a split queue in a
 * fake guest RAM and talks to a device through the virtio-mmio registers
 * on a bus, the way Linux's virtio_mmio + virtio_ring drivers do.  Tests
 * then corrupt the rings on purpose to play a hostile guest.
 */
#ifndef POPEK_TESTS_VDRIVER_H
#define POPEK_TESTS_VDRIVER_H

#include <string.h>

#include "devices/virtio/virtio.h"
#include "vm/bus.h"
#include "vm/memory.h"

#define VD_RAM_BASE  0x80000000ull
#define VD_RAM_SIZE  (4ull << 20)
#define VD_DESC      (VD_RAM_BASE + 0x0000)
#define VD_AVAIL     (VD_RAM_BASE + 0x2000)
#define VD_USED      (VD_RAM_BASE + 0x4000)
#define VD_BUF       (VD_RAM_BASE + 0x10000)   /* data buffers from here */
#define VD_MMIO      0x10001000ull

struct vdriver {
	struct guest_mem mem;
	struct bus bus;
	struct virtio_mmio mmio;
	uint16_t qsize;
	uint16_t avail_idx, used_seen;
	uint64_t features;
};

static inline void *vd_ptr(struct vdriver *d, uint64_t gpa)
{
	return d->mem.host + (gpa - VD_RAM_BASE);
}

static inline uint32_t vd_rd(struct vdriver *d, uint64_t off)
{
	return (uint32_t)bus_read(&d->bus, VD_MMIO + off, 4, NULL);
}

static inline void vd_wr(struct vdriver *d, uint64_t off, uint32_t v)
{
	bus_write(&d->bus, VD_MMIO + off, v, 4, NULL);
}

static inline struct virtq_desc *vd_desc(struct vdriver *d, unsigned i)
{
	return (struct virtq_desc *)vd_ptr(d, VD_DESC) + i;
}

static inline uint16_t *vd_avail(struct vdriver *d) { return vd_ptr(d, VD_AVAIL); }
static inline uint16_t *vd_used16(struct vdriver *d) { return vd_ptr(d, VD_USED); }
static inline struct virtq_used_elem *vd_used_elem(struct vdriver *d, unsigned i)
{
	return (struct virtq_used_elem *)((uint8_t *)vd_ptr(d, VD_USED) + 4) + i % d->qsize;
}

/* Map RAM, attach the device on the bus (irq may be NULL). */
static inline int vd_attach(struct vdriver *d, struct virtio_device *vdev, const struct irq_line *irq)
{
	memset(d, 0, sizeof(*d));
	if (guest_mem_init(&d->mem, VD_RAM_BASE, VD_RAM_SIZE))
		return -1;
	vdev->mem = &d->mem;
	virtio_mmio_init(&d->mmio, vdev, irq);
	return bus_register(&d->bus, VD_MMIO, VIRTIO_MMIO_STRIDE, &d->mmio,
			    virtio_mmio_read, virtio_mmio_write, "virtio");
}

/* Negotiate `want` & offered features and set up queue 0 with qsize
 * entries.  Returns the final status register. */
static inline uint32_t vd_setup(struct vdriver *d, uint64_t want, uint16_t qsize)
{
	vd_wr(d, 0x070, 0);
	vd_wr(d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE);
	vd_wr(d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vd_wr(d, 0x014, 0);
	uint64_t offered = vd_rd(d, 0x010);
	vd_wr(d, 0x014, 1);
	offered |= (uint64_t)vd_rd(d, 0x010) << 32;
	d->features = offered & want;
	vd_wr(d, 0x024, 0);
	vd_wr(d, 0x020, (uint32_t)d->features);
	vd_wr(d, 0x024, 1);
	vd_wr(d, 0x020, (uint32_t)(d->features >> 32));
	vd_wr(d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(vd_rd(d, 0x070) & VIRTIO_STATUS_FEATURES_OK))
		return vd_rd(d, 0x070);
	d->qsize = qsize;
	d->avail_idx = d->used_seen = 0;
	memset(vd_ptr(d, VD_DESC), 0, 0x10000);
	vd_wr(d, 0x030, 0);
	vd_wr(d, 0x038, qsize);
	vd_wr(d, 0x080, (uint32_t)VD_DESC);
	vd_wr(d, 0x084, (uint32_t)(VD_DESC >> 32));
	vd_wr(d, 0x090, (uint32_t)VD_AVAIL);
	vd_wr(d, 0x094, 0);
	vd_wr(d, 0x0a0, (uint32_t)VD_USED);
	vd_wr(d, 0x0a4, 0);
	vd_wr(d, 0x044, 1);
	vd_wr(d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		      VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	return vd_rd(d, 0x070);
}

static inline void vd_set_desc(struct vdriver *d, unsigned i, uint64_t addr, uint32_t len,
			       uint16_t flags, uint16_t next)
{
	*vd_desc(d, i) = (struct virtq_desc){ .addr = addr, .len = len, .flags = flags, .next = next };
}

/* Publish head in the avail ring and kick queue 0. */
static inline void vd_submit(struct vdriver *d, uint16_t head)
{
	vd_avail(d)[2 + d->avail_idx % d->qsize] = head;
	d->avail_idx++;
	__atomic_store_n(&vd_avail(d)[1], d->avail_idx, __ATOMIC_RELEASE);
	vd_wr(d, 0x050, 0);
}

/* Next used element, or NULL if the device has not returned one. */
static inline struct virtq_used_elem *vd_reap(struct vdriver *d)
{
	if (__atomic_load_n(&vd_used16(d)[1], __ATOMIC_ACQUIRE) == d->used_seen)
		return NULL;
	return vd_used_elem(d, d->used_seen++);
}

static inline void vd_detach(struct vdriver *d)
{
	guest_mem_destroy(&d->mem);
}

#endif

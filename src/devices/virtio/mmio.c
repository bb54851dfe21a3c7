/*
 * virtio-mmio transport, version 2 (virtio 1.x "modern" register layout).
 * Registers are 32-bit; the device config space at 0x100 takes 1/2/4/8
 * byte accesses.  An empty slot (no device) answers with DeviceID 0 so the
 * guest driver skips it.  The device lock is held around every access.
 */
#include "devices/virtio/virtio.h"

#include <string.h>

enum {
	MMIO_MAGIC = 0x000, MMIO_VERSION = 0x004, MMIO_DEVICE_ID = 0x008,
	MMIO_VENDOR_ID = 0x00c, MMIO_DEVICE_FEATURES = 0x010,
	MMIO_DEVICE_FEATURES_SEL = 0x014, MMIO_DRIVER_FEATURES = 0x020,
	MMIO_DRIVER_FEATURES_SEL = 0x024, MMIO_QUEUE_SEL = 0x030,
	MMIO_QUEUE_NUM_MAX = 0x034, MMIO_QUEUE_NUM = 0x038,
	MMIO_QUEUE_READY = 0x044, MMIO_QUEUE_NOTIFY = 0x050,
	MMIO_INTERRUPT_STATUS = 0x060, MMIO_INTERRUPT_ACK = 0x064,
	MMIO_STATUS = 0x070,
	MMIO_QUEUE_DESC_LOW = 0x080, MMIO_QUEUE_DESC_HIGH = 0x084,
	MMIO_QUEUE_DRIVER_LOW = 0x090, MMIO_QUEUE_DRIVER_HIGH = 0x094,
	MMIO_QUEUE_DEVICE_LOW = 0x0a0, MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
	MMIO_CONFIG_GENERATION = 0x0fc, MMIO_CONFIG = 0x100,
};
#define MMIO_MAGIC_VALUE 0x74726976   /* "virt" */

static void mmio_update_irq(struct virtio_device *vdev)
{
	struct virtio_mmio *m = vdev->transport.opaque;
	int level = vdev->isr != 0;
	if (level != m->irq_level) {
		m->irq_level = level;
		irq_set(&m->irq, level);
	}
}

void virtio_mmio_init(struct virtio_mmio *m, struct virtio_device *vdev, const struct irq_line *irq)
{
	memset(m, 0, sizeof(*m));
	m->vdev = vdev;
	if (irq)
		m->irq = *irq;
	if (vdev) {
		vdev->transport = (struct virtio_transport){ .update_irq = mmio_update_irq, .opaque = m };
		virtio_device_reset(vdev);
	}
}

/* The selected queue, or NULL when QueueSel names none. */
static struct virtq *selected_queue(struct virtio_mmio *m)
{
	if (m->queue_sel >= (uint32_t)m->vdev->nqueues)
		return NULL;
	return &m->vdev->vq[m->queue_sel];
}

static uint32_t read_queue_reg(struct virtio_mmio *m, uint64_t off)
{
	struct virtq *vq = selected_queue(m);
	if (!vq)
		return 0;
	switch (off) {
	case MMIO_QUEUE_NUM_MAX:     return vq->num_max;
	case MMIO_QUEUE_NUM:         return vq->num;
	case MMIO_QUEUE_READY:       return vq->ready;
	case MMIO_QUEUE_DESC_LOW:    return (uint32_t)vq->desc_gpa;
	case MMIO_QUEUE_DESC_HIGH:   return (uint32_t)(vq->desc_gpa >> 32);
	case MMIO_QUEUE_DRIVER_LOW:  return (uint32_t)vq->avail_gpa;
	case MMIO_QUEUE_DRIVER_HIGH: return (uint32_t)(vq->avail_gpa >> 32);
	case MMIO_QUEUE_DEVICE_LOW:  return (uint32_t)vq->used_gpa;
	case MMIO_QUEUE_DEVICE_HIGH: return (uint32_t)(vq->used_gpa >> 32);
	}
	return 0;
}

static uint32_t read_reg(struct virtio_mmio *m, uint64_t off)
{
	struct virtio_device *vdev = m->vdev;
	switch (off) {
	case MMIO_DEVICE_FEATURES:
		if (m->device_features_sel > 1)
			return 0;
		return (uint32_t)(vdev->host_features >> (32 * m->device_features_sel));
	case MMIO_DEVICE_FEATURES_SEL: return m->device_features_sel;
	case MMIO_DRIVER_FEATURES_SEL: return m->driver_features_sel;
	case MMIO_QUEUE_SEL:           return m->queue_sel;
	case MMIO_INTERRUPT_STATUS:    return vdev->isr;
	case MMIO_STATUS:              return vdev->status;
	case MMIO_CONFIG_GENERATION:   return vdev->config_generation;
	}
	return read_queue_reg(m, off);
}

uint64_t virtio_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct virtio_mmio *m = opaque;
	if (offset >= MMIO_CONFIG) {
		if (!m->vdev)
			return 0;
		pthread_mutex_lock(&m->vdev->lock);
		uint64_t v = virtio_config_read(m->vdev, (uint32_t)(offset - MMIO_CONFIG), size);
		pthread_mutex_unlock(&m->vdev->lock);
		return v;
	}
	if (size != 4 || (offset & 3))
		return 0;
	switch (offset) {
	case MMIO_MAGIC:     return MMIO_MAGIC_VALUE;
	case MMIO_VERSION:   return 2;
	case MMIO_DEVICE_ID: return m->vdev ? m->vdev->device_id : 0;
	case MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	}
	if (!m->vdev)
		return 0;
	pthread_mutex_lock(&m->vdev->lock);
	uint32_t v = read_reg(m, offset);
	pthread_mutex_unlock(&m->vdev->lock);
	return v;
}

static void set_half(uint64_t *reg, bool high, uint32_t v)
{
	*reg = high ? (*reg & 0xffffffffull) | (uint64_t)v << 32
		    : (*reg & ~0xffffffffull) | v;
}

/* Queue registers may only change while the queue is not live. */
static void write_queue_reg(struct virtio_mmio *m, uint64_t off, uint32_t v)
{
	struct virtq *vq = selected_queue(m);
	if (!vq)
		return;
	if (off == MMIO_QUEUE_READY) {
		if (v & 1) {
			if (!vq->ready)
				virtio_queue_enable(m->vdev, (int)m->queue_sel);
		} else {
			vq->ready = false;
		}
		return;
	}
	if (vq->ready)
		return;
	switch (off) {
	case MMIO_QUEUE_NUM:         vq->num = v > 0xffff ? 0 : (uint16_t)v; break;
	case MMIO_QUEUE_DESC_LOW:    set_half(&vq->desc_gpa, false, v); break;
	case MMIO_QUEUE_DESC_HIGH:   set_half(&vq->desc_gpa, true, v); break;
	case MMIO_QUEUE_DRIVER_LOW:  set_half(&vq->avail_gpa, false, v); break;
	case MMIO_QUEUE_DRIVER_HIGH: set_half(&vq->avail_gpa, true, v); break;
	case MMIO_QUEUE_DEVICE_LOW:  set_half(&vq->used_gpa, false, v); break;
	case MMIO_QUEUE_DEVICE_HIGH: set_half(&vq->used_gpa, true, v); break;
	}
}

static void write_driver_features(struct virtio_mmio *m, uint32_t v)
{
	struct virtio_device *vdev = m->vdev;
	/* Features are frozen once FEATURES_OK is set. */
	if (m->driver_features_sel > 1 || (vdev->status & VIRTIO_STATUS_FEATURES_OK))
		return;
	set_half(&vdev->guest_features, m->driver_features_sel == 1, v);
}

static void write_reg(struct virtio_mmio *m, uint64_t off, uint32_t v)
{
	struct virtio_device *vdev = m->vdev;
	switch (off) {
	case MMIO_DEVICE_FEATURES_SEL: m->device_features_sel = v; break;
	case MMIO_DRIVER_FEATURES:     write_driver_features(m, v); break;
	case MMIO_DRIVER_FEATURES_SEL: m->driver_features_sel = v; break;
	case MMIO_QUEUE_SEL:           m->queue_sel = v; break;
	case MMIO_QUEUE_NOTIFY:        virtio_queue_kick(vdev, (int)(v & 0xffff)); break;
	case MMIO_INTERRUPT_ACK:       virtio_ack_isr(vdev, v); break;
	case MMIO_STATUS:
		virtio_set_status(vdev, (uint8_t)v);
		if (v == 0)
			m->device_features_sel = m->driver_features_sel = m->queue_sel = 0;
		break;
	default:                       write_queue_reg(m, off, v); break;
	}
}

void virtio_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct virtio_mmio *m = opaque;
	if (!m->vdev)
		return;
	pthread_mutex_lock(&m->vdev->lock);
	if (offset >= MMIO_CONFIG)
		virtio_config_write(m->vdev, (uint32_t)(offset - MMIO_CONFIG), value, size);
	else if (size == 4 && !(offset & 3))
		write_reg(m, offset, (uint32_t)value);
	pthread_mutex_unlock(&m->vdev->lock);
}

void virtio_mmio_save(struct virtio_mmio *m, struct virtio_mmio_state *st)
{
	memset(st, 0, sizeof(*st));
	if (!m->vdev)
		return;
	pthread_mutex_lock(&m->vdev->lock);
	st->device_features_sel = m->device_features_sel;
	st->driver_features_sel = m->driver_features_sel;
	st->queue_sel = m->queue_sel;
	virtio_device_save(m->vdev, &st->dev);
	pthread_mutex_unlock(&m->vdev->lock);
}

int virtio_mmio_load(struct virtio_mmio *m, const struct virtio_mmio_state *st)
{
	if (!m->vdev)
		return 0;
	pthread_mutex_lock(&m->vdev->lock);
	m->device_features_sel = st->device_features_sel;
	m->driver_features_sel = st->driver_features_sel;
	m->queue_sel = st->queue_sel;
	int ret = virtio_device_load(m->vdev, &st->dev);
	pthread_mutex_unlock(&m->vdev->lock);
	return ret;
}

/*
 * Virtio core: status and feature negotiation, queue set-up checks, the
 * interrupt status register and config space, shared by every device and
 * every transport.  See virtio.h.
 */
#include "devices/virtio/virtio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void virtio_device_init(struct virtio_device *vdev, uint32_t device_id, const char *name,
			struct guest_mem *mem, int nqueues, uint16_t queue_max,
			const struct virtio_device_ops *ops, void *priv)
{
	memset(vdev, 0, sizeof(*vdev));
	pthread_mutex_init(&vdev->lock, NULL);
	vdev->device_id = device_id;
	vdev->name = name;
	vdev->mem = mem;
	vdev->nqueues = nqueues < VIRTIO_MAX_QUEUES ? nqueues : VIRTIO_MAX_QUEUES;
	if (queue_max > VIRTQ_MAX_SIZE)
		queue_max = VIRTQ_MAX_SIZE;
	for (int q = 0; q < vdev->nqueues; q++)
		vdev->vq[q].num_max = vdev->vq[q].num = queue_max;
	vdev->ops = ops;
	vdev->priv = priv;
	vdev->host_features = 1ull << VIRTIO_F_VERSION_1 |
			      1ull << VIRTIO_RING_F_INDIRECT_DESC |
			      1ull << VIRTIO_RING_F_EVENT_IDX;
}

void virtio_device_destroy(struct virtio_device *vdev)
{
	pthread_mutex_destroy(&vdev->lock);
}

bool virtio_has_feature(const struct virtio_device *vdev, unsigned bit)
{
	return bit < 64 && (vdev->guest_features >> bit) & 1;
}

static void update_irq(struct virtio_device *vdev)
{
	if (vdev->transport.update_irq)
		vdev->transport.update_irq(vdev);
}

void virtio_device_reset(struct virtio_device *vdev)
{
	for (int q = 0; q < vdev->nqueues; q++) {
		uint16_t max = vdev->vq[q].num_max;
		memset(&vdev->vq[q], 0, sizeof(vdev->vq[q]));
		vdev->vq[q].num_max = max;
		vdev->vq[q].num = max;   /* QueueNum reads as the maximum at reset */
	}
	vdev->guest_features = 0;
	vdev->status = 0;
	vdev->isr = 0;
	vdev->broken = false;
	if (vdev->ops && vdev->ops->reset)
		vdev->ops->reset(vdev);
	update_irq(vdev);
}

/* FEATURES_OK may only stick when the driver accepted a subset of what we
 * offered and speaks virtio 1.x (the only version this transport serves). */
static bool features_acceptable(const struct virtio_device *vdev)
{
	return (vdev->guest_features & ~vdev->host_features) == 0 &&
	       virtio_has_feature(vdev, VIRTIO_F_VERSION_1);
}

void virtio_set_status(struct virtio_device *vdev, uint8_t status)
{
	if (status == 0) {
		virtio_device_reset(vdev);
		return;
	}
	bool newly_ok = (status & VIRTIO_STATUS_FEATURES_OK) &&
			!(vdev->status & VIRTIO_STATUS_FEATURES_OK);
	if (newly_ok && !features_acceptable(vdev))
		status &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	/* DRIVER_OK without FEATURES_OK is a driver bug; refuse it. */
	if (!(status & VIRTIO_STATUS_FEATURES_OK))
		status &= (uint8_t)~VIRTIO_STATUS_DRIVER_OK;
	if (vdev->broken)
		status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	vdev->status = status;
}

static bool is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

int virtio_queue_enable(struct virtio_device *vdev, int q)
{
	if (q < 0 || q >= vdev->nqueues)
		return -EINVAL;
	struct virtq *vq = &vdev->vq[q];
	uint64_t n = vq->num;
	if (!is_pow2(vq->num) || vq->num > vq->num_max ||
	    (vq->desc_gpa & 15) || (vq->avail_gpa & 1) || (vq->used_gpa & 3)) {
		virtio_device_error(vdev, "queue size or ring alignment invalid");
		return -EINVAL;
	}
	vq->desc = guest_mem_ptr(vdev->mem, vq->desc_gpa, 16 * n);
	vq->avail = guest_mem_ptr(vdev->mem, vq->avail_gpa, 6 + 2 * n);
	vq->used = guest_mem_ptr(vdev->mem, vq->used_gpa, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used) {
		vq->desc = NULL, vq->avail = NULL, vq->used = NULL;
		virtio_device_error(vdev, "queue rings outside guest RAM");
		return -EINVAL;
	}
	vq->ready = true;
	return 0;
}

void virtio_queue_kick(struct virtio_device *vdev, int q)
{
	if (q < 0 || q >= vdev->nqueues || vdev->broken || !vdev->vq[q].ready ||
	    !(vdev->status & VIRTIO_STATUS_DRIVER_OK))
		return;
	if (vdev->ops && vdev->ops->queue_notify)
		vdev->ops->queue_notify(vdev, q);
}

void virtio_raise_isr(struct virtio_device *vdev, uint32_t bits)
{
	vdev->isr |= bits;
	update_irq(vdev);
}

void virtio_ack_isr(struct virtio_device *vdev, uint32_t bits)
{
	vdev->isr &= ~bits;
	update_irq(vdev);
}

void virtio_device_error(struct virtio_device *vdev, const char *why)
{
	if (vdev->broken)
		return;
	fprintf(stderr, "virtio-%s: %s; device needs reset\n", vdev->name ? vdev->name : "?", why);
	vdev->broken = true;
	vdev->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_raise_isr(vdev, VIRTIO_INT_CONFIG);
}

uint64_t virtio_config_read(struct virtio_device *vdev, uint32_t off, unsigned size)
{
	uint64_t v = 0;
	if (size > 8 || off > vdev->config_len || size > vdev->config_len - off)
		return 0;
	memcpy(&v, (const uint8_t *)vdev->config + off, size);
	return v;
}

void virtio_config_write(struct virtio_device *vdev, uint32_t off, uint64_t value, unsigned size)
{
	if (size > 8 || off > vdev->config_len || size > vdev->config_len - off)
		return;
	if (vdev->ops && vdev->ops->config_write)
		vdev->ops->config_write(vdev, off, &value, size);
}

void virtio_device_save(struct virtio_device *vdev, struct virtio_device_state *st)
{
	memset(st, 0, sizeof(*st));
	st->guest_features = vdev->guest_features;
	st->status = vdev->status;
	st->isr = vdev->isr;
	st->config_generation = vdev->config_generation;
	st->broken = vdev->broken;
	for (int q = 0; q < vdev->nqueues; q++) {
		const struct virtq *vq = &vdev->vq[q];
		st->vq[q] = (struct virtq_state){
			.num = vq->num, .ready = vq->ready, .last_avail = vq->last_avail,
			.used_idx = vq->used_idx, .signalled_used = vq->signalled_used,
			.signalled_valid = vq->signalled_valid, .desc_gpa = vq->desc_gpa,
			.avail_gpa = vq->avail_gpa, .used_gpa = vq->used_gpa,
		};
	}
}

/* A snapshot is as untrusted as the guest that produced it: queues are
 * re-validated exactly as when the driver set them up. */
int virtio_device_load(struct virtio_device *vdev, const struct virtio_device_state *st)
{
	vdev->guest_features = st->guest_features & vdev->host_features;
	vdev->status = (uint8_t)st->status;
	vdev->isr = st->isr;
	vdev->config_generation = st->config_generation;
	vdev->broken = st->broken;
	for (int q = 0; q < vdev->nqueues; q++) {
		struct virtq *vq = &vdev->vq[q];
		const struct virtq_state *s = &st->vq[q];
		vq->num = s->num;
		vq->desc_gpa = s->desc_gpa, vq->avail_gpa = s->avail_gpa, vq->used_gpa = s->used_gpa;
		vq->last_avail = s->last_avail, vq->used_idx = s->used_idx;
		vq->signalled_used = s->signalled_used, vq->signalled_valid = s->signalled_valid;
		vq->ready = false;
		if (s->ready && virtio_queue_enable(vdev, q) < 0)
			return -EINVAL;
	}
	update_irq(vdev);
	return 0;
}

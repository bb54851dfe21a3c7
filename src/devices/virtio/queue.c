/*
 * Split virtqueues: popping descriptor chains (direct and indirect) from
 * the available ring, pushing them to the used ring, and deciding whether
 * the driver wants an interrupt (VIRTIO_F_EVENT_IDX or the NO_INTERRUPT
 * flag).  Every descriptor is copied out of guest memory once and checked
 * before use; see the threat model in virtio.h.
 *
 * Ring words shared with guest harts running on other threads use
 * acquire/release atomics: avail->idx is read with acquire before the ring
 * entries it publishes, used->idx is written with release after the entries.
 */
#include "devices/virtio/virtio.h"

#include <errno.h>
#include <string.h>

/* Avail ring: flags, idx, ring[num], used_event.  Used ring: flags, idx,
 * elems[num] (8 bytes each), avail_event. */
static uint16_t avail_idx(const struct virtq *vq)
{
	return __atomic_load_n(&vq->avail[1], __ATOMIC_ACQUIRE);
}

static uint16_t avail_ring(const struct virtq *vq, uint16_t slot)
{
	return __atomic_load_n(&vq->avail[2 + slot % vq->num], __ATOMIC_RELAXED);
}

static void set_avail_event(struct virtq *vq, uint16_t v)
{
	uint16_t *p = (uint16_t *)((uint8_t *)vq->used + 4 + 8ull * vq->num);
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static int queue_error(struct virtio_device *vdev, const char *why)
{
	virtio_device_error(vdev, why);
	return -EINVAL;
}

struct chain_walk {
	const uint8_t *table;     /* descriptor table being walked */
	uint32_t table_len;       /* its entries */
	bool indirect;
};

/* Add one buffer to the chain after checking it lies inside RAM and keeps
 * readable buffers before writable ones. */
static int chain_add(struct virtio_device *vdev, struct virtq_chain *c, const struct virtq_desc *d)
{
	bool writable = d->flags & VIRTQ_DESC_F_WRITE;
	if (!writable && c->nin)
		return queue_error(vdev, "readable descriptor after a writable one");
	if (d->len == 0)
		return 0;
	if (c->nout + c->nin >= VIRTQ_MAX_SIZE)
		return queue_error(vdev, "descriptor chain too long");
	void *p = guest_mem_ptr(vdev->mem, d->addr, d->len);
	if (!p)
		return queue_error(vdev, "descriptor buffer outside guest RAM");
	c->iov[c->nout + c->nin] = (struct iovec){ .iov_base = p, .iov_len = d->len };
	if (writable) {
		c->nin++;
		c->in_len += d->len;
	} else {
		c->nout++;
		c->out_len += d->len;
	}
	return 0;
}

/* Switch the walk to the indirect table d points at. */
static int enter_indirect(struct virtio_device *vdev, struct chain_walk *w, const struct virtq_desc *d)
{
	if (!virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC))
		return queue_error(vdev, "indirect descriptor not negotiated");
	if (w->indirect)
		return queue_error(vdev, "nested indirect descriptor");
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return queue_error(vdev, "indirect descriptor with NEXT");
	if (d->len == 0 || d->len % sizeof(struct virtq_desc) ||
	    d->len / sizeof(struct virtq_desc) > VIRTQ_MAX_SIZE)
		return queue_error(vdev, "indirect table size invalid");
	w->table = guest_mem_ptr(vdev->mem, d->addr, d->len);
	if (!w->table)
		return queue_error(vdev, "indirect table outside guest RAM");
	w->table_len = d->len / sizeof(struct virtq_desc);
	w->indirect = true;
	return 0;
}

/* Walk the chain starting at head.  A chain may visit at most table_len
 * descriptors per table: more means it loops. */
static int walk_chain(struct virtio_device *vdev, struct virtq *vq, uint16_t head,
		      struct virtq_chain *c)
{
	struct chain_walk w = { .table = (const uint8_t *)vq->desc, .table_len = vq->num };
	uint32_t i = head, seen = 0;
	for (;;) {
		struct virtq_desc d;
		if (i >= w.table_len)
			return queue_error(vdev, "descriptor index out of range");
		if (++seen > w.table_len)
			return queue_error(vdev, "descriptor chain loops");
		memcpy(&d, w.table + (size_t)i * sizeof(d), sizeof(d));
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (enter_indirect(vdev, &w, &d) < 0)
				return -EINVAL;
			i = 0;
			seen = 0;
			continue;
		}
		if (chain_add(vdev, c, &d) < 0)
			return -EINVAL;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = d.next;
	}
}

int virtq_pop(struct virtio_device *vdev, struct virtq *vq, struct virtq_chain *chain)
{
	if (vdev->broken || !vq->ready)
		return -EINVAL;
	uint16_t idx = avail_idx(vq);
	if (idx == vq->last_avail && virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
		/* Ask for a kick at the next buffer, then look again: the driver
		 * may have added one before it saw our avail_event. */
		set_avail_event(vq, vq->last_avail);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		idx = avail_idx(vq);
	}
	uint16_t pending = (uint16_t)(idx - vq->last_avail);
	if (pending == 0)
		return 0;
	if (pending > vq->num)
		return queue_error(vdev, "available index moved by more than the queue size");
	uint16_t head = avail_ring(vq, vq->last_avail);
	vq->last_avail++;
	if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX))
		set_avail_event(vq, vq->last_avail);
	chain->head = head;
	chain->nout = chain->nin = 0;
	chain->out_len = chain->in_len = 0;
	if (walk_chain(vdev, vq, head, chain) < 0)
		return -EINVAL;
	return 1;
}

void virtq_push(struct virtio_device *vdev, struct virtq *vq, uint16_t head, uint32_t len)
{
	if (vdev->broken || !vq->ready)
		return;
	struct virtq_used_elem e = { .id = head, .len = len };
	memcpy((uint8_t *)vq->used + 4 + 8ull * (vq->used_idx % vq->num), &e, sizeof(e));
	vq->used_idx++;
	__atomic_store_n(&vq->used[1], vq->used_idx, __ATOMIC_RELEASE);
}

/* The standard EVENT_IDX test: did used_idx cross used_event since old? */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

void virtq_notify(struct virtio_device *vdev, struct virtq *vq)
{
	if (vdev->broken || !vq->ready)
		return;
	/* Our used->idx store must be visible before we read the driver's
	 * suppression hints, or we could miss an interrupt it wants. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
		uint16_t used_event = __atomic_load_n(&vq->avail[2 + vq->num], __ATOMIC_RELAXED);
		bool fire = !vq->signalled_valid ||
			    need_event(used_event, vq->used_idx, vq->signalled_used);
		vq->signalled_used = vq->used_idx;
		vq->signalled_valid = true;
		if (!fire)
			return;
	} else if (__atomic_load_n(&vq->avail[0], __ATOMIC_RELAXED) & VIRTQ_AVAIL_F_NO_INTERRUPT) {
		return;
	}
	virtio_raise_isr(vdev, VIRTIO_INT_VRING);
}

size_t iov_to_buf(const struct iovec *iov, unsigned n, size_t skip, void *buf, size_t len)
{
	size_t done = 0;
	for (unsigned i = 0; i < n && done < len; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		size_t take = iov[i].iov_len - skip;
		if (take > len - done)
			take = len - done;
		memcpy((uint8_t *)buf + done, (const uint8_t *)iov[i].iov_base + skip, take);
		done += take;
		skip = 0;
	}
	return done;
}

size_t iov_from_buf(const struct iovec *iov, unsigned n, size_t skip, const void *buf, size_t len)
{
	size_t done = 0;
	for (unsigned i = 0; i < n && done < len; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		size_t take = iov[i].iov_len - skip;
		if (take > len - done)
			take = len - done;
		memcpy((uint8_t *)iov[i].iov_base + skip, (const uint8_t *)buf + done, take);
		done += take;
		skip = 0;
	}
	return done;
}

unsigned iov_slice(const struct iovec *iov, unsigned n, size_t skip, size_t len,
		   struct iovec *dst, unsigned max)
{
	unsigned out = 0;
	for (unsigned i = 0; i < n && len && out < max; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		size_t take = iov[i].iov_len - skip;
		if (take > len)
			take = len;
		dst[out++] = (struct iovec){ .iov_base = (uint8_t *)iov[i].iov_base + skip, .iov_len = take };
		len -= take;
		skip = 0;
	}
	return out;
}

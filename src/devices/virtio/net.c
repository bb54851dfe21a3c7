/*
 * virtio-net device model (see net.h): moving frames between the guest's
 * virtqueues and a backend, with the threading and memory bounds net.h
 * describes.
 */
#include "devices/virtio/net.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HDR_LEN sizeof(struct virtio_net_hdr)
#define TX_BUDGET 128        /* frames per loop wake-up before yielding */
#define MIN_FRAME 14         /* an Ethernet header */

static_assert(sizeof(struct virtio_net_hdr) == 12, "virtio_net_hdr layout");
static_assert(sizeof(struct virtio_net_config) == 10, "virtio_net_config layout");

struct virtio_net_frame {
	struct virtio_net_frame *next;
	size_t len;
	uint8_t data[];
};

static bool running(const struct virtio_device *vdev, const struct virtq *vq)
{
	return (vdev->status & VIRTIO_STATUS_DRIVER_OK) && !vdev->broken && vq->ready;
}

/* ---- receive ---- */

/* Publish n used elements with one index update: the driver reads a
 * merged frame's buffers as a unit and must never see only the first. */
static void push_used_batch(struct virtio_device *vdev, struct virtq *vq,
			    const struct virtq_used_elem *e, unsigned n)
{
	if (vdev->broken || !vq->ready)
		return;
	for (unsigned i = 0; i < n; i++) {
		uint16_t slot = (uint16_t)(vq->used_idx + i) % vq->num;
		memcpy((uint8_t *)vq->used + 4 + 8ull * slot, &e[i], sizeof(e[i]));
	}
	vq->used_idx = (uint16_t)(vq->used_idx + n);
	__atomic_store_n(&vq->used[1], vq->used_idx, __ATOMIC_RELEASE);
}

/* Copy bytes [off, off+len) of header+frame into iov. */
static void copy_span(const struct iovec *iov, unsigned n, const struct virtio_net_hdr *hdr,
		      const uint8_t *frame, size_t off, size_t len)
{
	size_t done = 0;
	if (off < HDR_LEN) {
		size_t h = HDR_LEN - off < len ? HDR_LEN - off : len;
		iov_from_buf(iov, n, 0, (const uint8_t *)hdr + off, h);
		done = h;
	}
	if (done < len)
		iov_from_buf(iov, n, done, frame + (off + done - HDR_LEN), len - done);
}

/* Put one frame into the guest's receive buffers.  Returns 1 when
 * delivered, 0 when the guest has not posted enough buffers (try again
 * after its next kick), -1 when the frame must be dropped. */
static int deliver(struct virtio_net *n, const uint8_t *frame, size_t len)
{
	struct virtio_device *vdev = &n->vdev;
	struct virtq *vq = &vdev->vq[VIRTIO_NET_RXQ];
	struct virtq_chain *c = &n->rx_chain;
	bool mrg = virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
	struct virtio_net_hdr hdr = { 0 };
	struct iovec hdr_iov[HDR_LEN];   /* where the first buffer's header goes */
	unsigned nhdr = 0, nbufs = 0;
	size_t total = HDR_LEN + len, done = 0;
	if (!running(vdev, vq))
		return -1;
	while (done < total) {
		if (nbufs == vq->num)
			goto drop;   /* cannot happen with a sane ring; never loop */
		int r = virtq_pop(vdev, vq, c);
		if (r < 0)
			return -1;
		if (r == 0) {
			vq->last_avail = (uint16_t)(vq->last_avail - nbufs);   /* un-pop */
			return 0;
		}
		const struct iovec *in = c->iov + c->nout;
		size_t take = total - done < c->in_len ? total - done : (size_t)c->in_len;
		if (nbufs == 0)
			nhdr = iov_slice(in, c->nin, 0, HDR_LEN, hdr_iov, HDR_LEN);
		copy_span(in, c->nin, &hdr, frame, done, take);
		n->rx_used[nbufs++] = (struct virtq_used_elem){ .id = c->head, .len = (uint32_t)take };
		done += take;
		if (!mrg && done < total)
			goto drop;   /* one buffer must hold it all */
	}
	hdr.num_buffers = (uint16_t)nbufs;
	if (iov_from_buf(hdr_iov, nhdr, 0, &hdr, HDR_LEN) < HDR_LEN)
		goto drop;   /* first buffer too small for the header */
	push_used_batch(vdev, vq, n->rx_used, nbufs);
	virtq_notify(vdev, vq);
	return 1;
drop:
	/* Give the buffers back empty so the driver can reuse them. */
	for (unsigned i = 0; i < nbufs; i++)
		n->rx_used[i].len = 0;
	push_used_batch(vdev, vq, n->rx_used, nbufs);
	virtq_notify(vdev, vq);
	return -1;
}

static void free_pending(struct virtio_net *n)
{
	while (n->pending) {
		struct virtio_net_frame *f = n->pending;
		n->pending = f->next;
		free(f);
	}
	n->pending_tail = NULL;
	n->npending = 0;
	n->pending_bytes = 0;
}

/* Deliver waiting frames in order until the guest runs out of buffers. */
static void flush_pending(struct virtio_net *n)
{
	while (n->pending) {
		struct virtio_net_frame *f = n->pending;
		int r = deliver(n, f->data, f->len);
		if (r == 0)
			return;
		if (r < 0)
			n->rx_dropped++;
		n->pending = f->next;
		n->npending--;
		n->pending_bytes -= f->len;
		free(f);
	}
	n->pending_tail = NULL;
}

static void enqueue_pending(struct virtio_net *n, const void *frame, size_t len)
{
	struct virtio_net_frame *f = NULL;
	if (n->npending < VIRTIO_NET_RX_PENDING_FRAMES &&
	    n->pending_bytes + len <= VIRTIO_NET_RX_PENDING_BYTES)
		f = malloc(sizeof(*f) + len);
	if (!f) {
		n->rx_dropped++;
		return;
	}
	f->next = NULL;
	f->len = len;
	memcpy(f->data, frame, len);
	if (n->pending_tail)
		n->pending_tail->next = f;
	else
		n->pending = f;
	n->pending_tail = f;
	n->npending++;
	n->pending_bytes += len;
}

void virtio_net_receive(void *opaque, const void *frame, size_t len)
{
	struct virtio_net *n = opaque;
	struct virtio_device *vdev = &n->vdev;
	if (len < MIN_FRAME || len > NET_MAX_FRAME)
		return;
	pthread_mutex_lock(&vdev->lock);
	if (!running(vdev, &vdev->vq[VIRTIO_NET_RXQ])) {
		n->rx_dropped++;   /* no driver yet: the wire is not connected */
	} else {
		flush_pending(n);
		if (n->pending || deliver(n, frame, len) == 0)
			enqueue_pending(n, frame, len);
	}
	pthread_mutex_unlock(&vdev->lock);
}

/* ---- transmit ---- */

/* Pop one frame into tx_buf (with its header).  Returns its frame length,
 * 0 for a chain that held nothing sendable, -1 when the ring is empty or
 * the device stopped. */
static long pop_tx_frame(struct virtio_net *n)
{
	struct virtio_device *vdev = &n->vdev;
	struct virtq *vq = &vdev->vq[VIRTIO_NET_TXQ];
	if (!running(vdev, vq) || virtq_pop(vdev, vq, &n->tx_chain) <= 0)
		return -1;
	const struct virtq_chain *c = &n->tx_chain;
	long len = 0;
	if (c->out_len >= HDR_LEN + MIN_FRAME && c->out_len <= sizeof(n->tx_buf)) {
		iov_to_buf(c->iov, c->nout, 0, n->tx_buf, c->out_len);
		len = (long)(c->out_len - HDR_LEN);
	} else {
		n->tx_dropped++;
	}
	virtq_push(vdev, vq, c->head, 0);
	return len;
}

static void notify_tx(struct virtio_net *n)
{
	pthread_mutex_lock(&n->vdev.lock);
	if (running(&n->vdev, &n->vdev.vq[VIRTIO_NET_TXQ]))
		virtq_notify(&n->vdev, &n->vdev.vq[VIRTIO_NET_TXQ]);
	pthread_mutex_unlock(&n->vdev.lock);
}

/* Loop thread, after a transmit kick.  The backend runs without the device
 * lock: it may answer at once through virtio_net_receive. */
static void process_tx(void *opaque)
{
	struct virtio_net *n = opaque;
	int sent = 0;
	for (; sent < TX_BUDGET; sent++) {
		pthread_mutex_lock(&n->vdev.lock);
		long len = pop_tx_frame(n);
		pthread_mutex_unlock(&n->vdev.lock);
		if (len < 0)
			break;
		struct net_backend *be = n->backend;
		if (len > 0 && be && be->ops->send(be, n->tx_buf + HDR_LEN, (size_t)len) < 0)
			n->tx_dropped++;
		if ((sent & 31) == 31)
			notify_tx(n);   /* let the driver reclaim buffers while we go on */
	}
	notify_tx(n);
	if (sent == TX_BUDGET)
		loop_wake(n->loop, n->tx_waker);   /* more may wait: after the others */
}

/* ---- device callbacks (vCPU threads, device lock held) ---- */

static void net_queue_notify(struct virtio_device *vdev, int q)
{
	struct virtio_net *n = vdev->priv;
	if (q == VIRTIO_NET_RXQ)
		flush_pending(n);
	else if (q == VIRTIO_NET_TXQ)
		loop_wake(n->loop, n->tx_waker);
}

static void net_reset(struct virtio_device *vdev)
{
	free_pending(vdev->priv);
}

static const struct virtio_device_ops net_ops = {
	.queue_notify = net_queue_notify,
	.reset = net_reset,
};

int virtio_net_init(struct virtio_net *n, struct guest_mem *mem, const uint8_t mac[6],
		    struct loop *loop)
{
	memset(n, 0, sizeof(*n));
	virtio_device_init(&n->vdev, VIRTIO_ID_NET, "net", mem, 2, VIRTIO_NET_QUEUE_SIZE, &net_ops, n);
	n->loop = loop;
	n->tx_waker = loop_add_waker(loop, process_tx, n);
	if (n->tx_waker < 0) {
		virtio_device_destroy(&n->vdev);
		return n->tx_waker;
	}
	memcpy(n->cfg.mac, mac, 6);
	n->cfg.status = VIRTIO_NET_S_LINK_UP;
	n->cfg.max_virtqueue_pairs = 1;
	n->vdev.config = &n->cfg;
	n->vdev.config_len = sizeof(n->cfg);
	n->vdev.host_features |= 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS |
				 1ull << VIRTIO_NET_F_MRG_RXBUF;
	return 0;
}

void virtio_net_attach(struct virtio_net *n, struct net_backend *be)
{
	n->backend = be;
}

void virtio_net_destroy(struct virtio_net *n)
{
	net_backend_destroy(n->backend);
	n->backend = NULL;
	free_pending(n);
	virtio_device_destroy(&n->vdev);
}

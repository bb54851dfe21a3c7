/*
 * virtio-net: an Ethernet card whose far end is a network backend
 * (src/backends/net_backend.h: libslirp NAT or a host tap device).
 *
 * Queues: 0 receive, 1 transmit; no control queue, one queue pair.
 * Features offered: MAC, STATUS (link always up), MRG_RXBUF (a frame may
 * span several receive buffers), plus the core's VERSION_1, INDIRECT_DESC
 * and EVENT_IDX.  No checksum or segmentation offload: neither backend
 * does it, so every frame carries a complete, checksummed packet.
 *
 * Threads:
 *  - transmit: a kick on the transmit queue (vCPU thread) only wakes the
 *    event loop; the loop thread pops frames under the device lock, copies
 *    each out and hands it to the backend with the lock dropped.  The guest's
 *    own ring bounds what is in flight: a flooding guest costs no host memory.
 *  - receive: the backend delivers frames on the loop thread; they are
 *    copied straight into the guest's receive buffers under the device lock.
 *    When the guest has posted no buffers, a bounded number of frames wait
 *    (RX_PENDING_* below; more are dropped, as a real NIC would) until it
 *    kicks the receive queue, which flushes them from the vCPU thread.
 */
#ifndef POPEK_DEVICES_VIRTIO_NET_H
#define POPEK_DEVICES_VIRTIO_NET_H

#include <stdint.h>

#include "backends/net_backend.h"
#include "devices/virtio/virtio.h"
#include "vm/loop.h"

#define VIRTIO_NET_F_MAC       5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS    16
#define VIRTIO_NET_S_LINK_UP   1

#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1
#define VIRTIO_NET_QUEUE_SIZE 256
#define VIRTIO_NET_RX_PENDING_FRAMES 64
#define VIRTIO_NET_RX_PENDING_BYTES  (1u << 20)

/* Config space (virtio 1.2, 5.1.4), as far as our features reach. */
struct virtio_net_config {
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_virtqueue_pairs;
};

/* The header in front of every frame, both directions (VERSION_1 form). */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

struct virtio_net_frame;

struct virtio_net {
	struct virtio_device vdev;
	struct virtio_net_config cfg;
	struct net_backend *backend;     /* owned */
	struct loop *loop;               /* not owned */
	int tx_waker;
	/* Receive side, under vdev.lock. */
	struct virtio_net_frame *pending, *pending_tail;
	unsigned npending;
	size_t pending_bytes;
	uint64_t rx_dropped;
	struct virtq_chain rx_chain;
	struct virtq_used_elem rx_used[VIRTIO_NET_QUEUE_SIZE];
	/* Transmit side: the chain under vdev.lock, the copy on the loop thread. */
	struct virtq_chain tx_chain;
	uint64_t tx_dropped;
	uint8_t tx_buf[sizeof(struct virtio_net_hdr) + NET_MAX_FRAME];
};

/* Set up the device (before loop_start).  Returns 0 or -errno. */
int virtio_net_init(struct virtio_net *n, struct guest_mem *mem, const uint8_t mac[6],
		    struct loop *loop);
/* The backend's receive callback; opaque is the struct virtio_net. */
void virtio_net_receive(void *opaque, const void *frame, size_t len);
/* Give the device its backend (created with virtio_net_receive, n). */
void virtio_net_attach(struct virtio_net *n, struct net_backend *be);
/* The loop must be stopped first.  Destroys the backend too. */
void virtio_net_destroy(struct virtio_net *n);

#endif

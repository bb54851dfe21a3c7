/*
 * What a network backend (net_slirp.c, net_tap.c) looks like to the
 * virtio-net device: it takes Ethernet frames from the guest with send()
 * and hands frames for the guest to a receive callback.  Both directions
 * run on the event-loop thread (src/vm/loop.h): the device calls send()
 * only from there, and the backend calls rx only from there, never with a
 * device lock held, so a backend may answer a frame synchronously (slirp
 * replies to ARP and DHCP from inside slirp_input).
 */
#ifndef POPEK_BACKENDS_NET_BACKEND_H
#define POPEK_BACKENDS_NET_BACKEND_H

#include <stddef.h>

/* Largest frame either direction carries: 64 KiB of payload (tap with
 * TSO off never exceeds its MTU; this bounds hostile sizes). */
#define NET_MAX_FRAME 65550

/* Deliver one frame to the guest (may drop it). */
typedef void (*net_rx_fn)(void *opaque, const void *frame, size_t len);

struct net_backend;

struct net_backend_ops {
	/* Send one frame to the outside world; 0 or -errno (the frame is
	 * dropped either way: Ethernet is allowed to lose frames). */
	int (*send)(struct net_backend *be, const void *frame, size_t len);
	void (*destroy)(struct net_backend *be);
};

struct net_backend {
	const struct net_backend_ops *ops;
	net_rx_fn rx;
	void *rx_opaque;
};

static inline void net_backend_destroy(struct net_backend *be)
{
	if (be)
		be->ops->destroy(be);
}

#endif

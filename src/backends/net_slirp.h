/*
 * User-mode networking through libslirp: the guest sits on 10.0.2.0/24
 * behind a NAT that lives in this process, needs no privileges and opens
 * ordinary host sockets for the guest's connections.
 *
 *   10.0.2.15  the guest (handed out by slirp's DHCP server)
 *   10.0.2.2   gateway; connections to it reach the host's loopback
 *   10.0.2.3   DNS, proxied to the host's resolver
 *
 * hostfwd rules listen on host ports and forward connections to the guest;
 * a rule whose host port cannot be bound fails creation (before boot).
 * All slirp calls happen on the event-loop thread (libslirp is not thread
 * safe): its sockets are watched through a nested epoll set that is
 * resynchronised with slirp_pollfds_fill() before every wait.
 */
#ifndef POPEK_BACKENDS_NET_SLIRP_H
#define POPEK_BACKENDS_NET_SLIRP_H

#include <stddef.h>

#include "backends/net_backend.h"
#include "backends/net_config.h"
#include "vm/loop.h"

/* Call before loop_start().  Returns 0 or -errno with a one-line reason. */
int net_slirp_create(struct loop *loop, const struct net_config *cfg, net_rx_fn rx,
		     void *rx_opaque, struct net_backend **out, char *err, size_t errlen);

#endif

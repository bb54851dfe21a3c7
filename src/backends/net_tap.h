/*
 * Host tap backend: the guest's frames go to and come from a Linux tap
 * device (/dev/net/tun with IFF_TAP | IFF_NO_PI).  An existing device (say
 * one made with `ip tuntap add`) is attached to; an absent one is created
 * when the process may (CAP_NET_ADMIN) and disappears when popek exits.
 * Configuring the host side (addresses, bridges) is the user's business.
 *
 * Frames are read on the event-loop thread, a bounded batch per wake-up;
 * writes that would block drop the frame, as a full NIC queue would.
 */
#ifndef POPEK_BACKENDS_NET_TAP_H
#define POPEK_BACKENDS_NET_TAP_H

#include <stddef.h>

#include "backends/net_backend.h"
#include "backends/net_config.h"
#include "vm/loop.h"

/* Call before loop_start().  Returns 0 or -errno with a one-line reason. */
int net_tap_create(struct loop *loop, const struct net_config *cfg, net_rx_fn rx,
		   void *rx_opaque, struct net_backend **out, char *err, size_t errlen);

#endif

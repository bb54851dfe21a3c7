/*
 * Tap backend (see net_tap.h): one non-blocking tun descriptor, read when
 * the loop says it is readable, written directly by send().
 */
#include "backends/net_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define READ_BATCH 64   /* frames per wake-up, so one busy tap cannot starve the loop */

struct net_tap {
	struct net_backend be;
	int fd;
	struct loop *loop;
	char ifname[IFNAMSIZ];
	uint8_t buf[NET_MAX_FRAME];
};

/* The device failed (deleted under us, say): stop watching it, or a
 * level-triggered error would spin the loop; the guest sees a dead wire. */
static void tap_give_up(struct net_tap *t, int err)
{
	fprintf(stderr, "popek: tap '%s' stopped working (%s); its link is now dead\n",
		t->ifname, strerror(err));
	loop_modify_fd(t->loop, t->fd, 0);
}

static void tap_readable(void *opaque, uint32_t events)
{
	struct net_tap *t = opaque;
	for (int i = 0; i < READ_BATCH; i++) {
		ssize_t n = read(t->fd, t->buf, sizeof(t->buf));
		if (n > 0) {
			t->be.rx(t->be.rx_opaque, t->buf, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(events & (EPOLLERR | EPOLLHUP)))
			return;
		tap_give_up(t, n < 0 ? errno : EIO);
		return;
	}
}

static int tap_send(struct net_backend *be, const void *frame, size_t len)
{
	struct net_tap *t = (struct net_tap *)be;
	ssize_t n = write(t->fd, frame, len);
	return n < 0 ? -errno : 0;
}

static void tap_destroy(struct net_backend *be)
{
	struct net_tap *t = (struct net_tap *)be;
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

static const struct net_backend_ops tap_ops = {
	.send = tap_send,
	.destroy = tap_destroy,
};

static int open_tap(struct net_tap *t, const char *ifname, char *err, size_t errlen)
{
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		int e = errno;
		snprintf(err, errlen, "--net tap: cannot open /dev/net/tun: %s", strerror(e));
		return -e;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		int e = errno;
		snprintf(err, errlen, "--net tap: cannot attach to tap device '%s': %s%s", ifname,
			 strerror(e), e == EPERM ? " (needs CAP_NET_ADMIN, or a tap owned by this user)" : "");
		return -e;
	}
	snprintf(t->ifname, sizeof(t->ifname), "%s", ifr.ifr_name);
	return 0;
}

int net_tap_create(struct loop *loop, const struct net_config *cfg, net_rx_fn rx,
		   void *rx_opaque, struct net_backend **out, char *err, size_t errlen)
{
	struct net_tap *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->be = (struct net_backend){ .ops = &tap_ops, .rx = rx, .rx_opaque = rx_opaque };
	t->loop = loop;
	int ret = open_tap(t, cfg->ifname, err, errlen);
	if (!ret) {
		ret = loop_watch_fd(loop, t->fd, EPOLLIN, tap_readable, t);
		if (ret)
			snprintf(err, errlen, "--net tap: cannot watch '%s': %s", cfg->ifname, strerror(-ret));
	}
	if (ret) {
		tap_destroy(&t->be);
		return ret;
	}
	*out = &t->be;
	return 0;
}

/*
 * libslirp backend (see net_slirp.h).
 *
 * libslirp is poll()-shaped: before sleeping the application asks it which
 * sockets to watch (slirp_pollfds_fill), afterwards it reports what
 * happened (slirp_pollfds_poll).  We keep those sockets in a private epoll
 * set nested in the event loop's: the prepare hook brings the private set
 * in line with what slirp asked for this time, the dispatch hook collects
 * ready sockets without blocking and hands them to slirp.  Timers slirp
 * creates live in a short list scanned by the same hooks.
 */
#include "backends/net_slirp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libslirp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define MAX_GUEST_ERRORS 8   /* log lines a guest can cause, at most */

struct slirp_timer {
	struct slirp_timer *next;
	SlirpTimerId id;            /* timer_new_opaque timers */
	SlirpTimerCb cb;            /* timer_new timers (cb != NULL) */
	void *cb_opaque;
	int64_t expire_ms;          /* -1: not armed */
};

/* A socket slirp asked about in the last fill, and what it saw. */
struct poll_entry {
	int fd;
	int events, revents;        /* SLIRP_POLL_* */
};

/* A socket in our epoll set, and the events it is registered for. */
struct reg_entry {
	int fd;
	uint32_t events;
	bool wanted;                /* asked for in the current fill */
};

struct net_slirp {
	struct net_backend be;
	Slirp *slirp;
	int epfd;                   /* nested in the loop's epoll set */
	struct poll_entry *polls;
	int npolls, polls_cap;
	struct reg_entry *regs;
	int nregs, regs_cap;
	struct slirp_timer *timers;
	int guest_errors;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- callbacks from libslirp ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;
	s->be.rx(s->be.rx_opaque, buf, len);
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	struct net_slirp *s = opaque;
	if (s->guest_errors++ < MAX_GUEST_ERRORS)
		fprintf(stderr, "popek: net user: guest error: %s\n", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static struct slirp_timer *add_timer(struct net_slirp *s)
{
	struct slirp_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;   /* slirp copes: the timer simply never fires */
	t->expire_ms = -1;
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = add_timer(opaque);
	if (t)
		t->cb = cb, t->cb_opaque = cb_opaque;
	return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct slirp_timer *t = add_timer(opaque);
	if (t)
		t->id = id, t->cb_opaque = cb_opaque;
	return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct net_slirp *s = opaque;
	for (struct slirp_timer **p = &s->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	if (timer)
		((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

static void cb_register_poll_fd(int fd, void *opaque)
{
	(void)fd, (void)opaque;   /* sockets are picked up by the next fill */
}

/* Forget a socket slirp is about to close: its number may come back for a
 * new socket before the next fill, which must then register it afresh. */
static void cb_unregister_poll_fd(int fd, void *opaque)
{
	struct net_slirp *s = opaque;
	for (int i = 0; i < s->nregs; i++) {
		if (s->regs[i].fd == fd) {
			epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
			s->regs[i] = s->regs[--s->nregs];
			return;
		}
	}
}

static void cb_notify(void *opaque)
{
	(void)opaque;   /* only the loop thread calls slirp: it re-polls anyway */
}

static const SlirpCb slirp_callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_new = cb_timer_new,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_register_poll_fd,
	.unregister_poll_fd = cb_unregister_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

/* ---- keeping the private epoll set in line with slirp's wishes ---- */

static bool grow(void **arr, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return true;
	int ncap = *cap ? *cap * 2 : 32;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*arr, (size_t)ncap * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

static uint32_t to_epoll(int ev)
{
	return (ev & SLIRP_POLL_IN ? EPOLLIN : 0) | (ev & SLIRP_POLL_OUT ? EPOLLOUT : 0) |
	       (ev & SLIRP_POLL_PRI ? EPOLLPRI : 0);
}

static int from_epoll(uint32_t ev)
{
	return (ev & EPOLLIN ? SLIRP_POLL_IN : 0) | (ev & EPOLLOUT ? SLIRP_POLL_OUT : 0) |
	       (ev & EPOLLPRI ? SLIRP_POLL_PRI : 0) | (ev & EPOLLERR ? SLIRP_POLL_ERR : 0) |
	       (ev & EPOLLHUP ? SLIRP_POLL_HUP : 0);
}

static int cb_add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;
	if (!grow((void **)&s->polls, &s->polls_cap, s->npolls + 1, sizeof(*s->polls)))
		return -1;   /* out of memory: slirp treats -1 as "not polled" */
	s->polls[s->npolls] = (struct poll_entry){ .fd = fd, .events = events };
	return s->npolls++;
}

static struct reg_entry *find_reg(struct net_slirp *s, int fd)
{
	for (int i = 0; i < s->nregs; i++)
		if (s->regs[i].fd == fd)
			return &s->regs[i];
	return NULL;
}

/* Register (or re-register) one socket with the events slirp wants. */
static void sync_one(struct net_slirp *s, const struct poll_entry *p)
{
	uint32_t want = to_epoll(p->events);
	struct reg_entry *r = find_reg(s, p->fd);
	if (!r) {
		if (!grow((void **)&s->regs, &s->regs_cap, s->nregs + 1, sizeof(*s->regs)))
			return;
		r = &s->regs[s->nregs++];
		*r = (struct reg_entry){ .fd = p->fd, .events = want };
		struct epoll_event ev = { .events = want, .data.fd = p->fd };
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, p->fd, &ev) < 0 && errno == EEXIST)
			epoll_ctl(s->epfd, EPOLL_CTL_MOD, p->fd, &ev);
	} else if (r->events != want) {
		struct epoll_event ev = { .events = want, .data.fd = p->fd };
		r->events = want;
		if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, p->fd, &ev) < 0 && errno == ENOENT)
			epoll_ctl(s->epfd, EPOLL_CTL_ADD, p->fd, &ev);
	}
	r->wanted = true;
}

static void sync_epoll(struct net_slirp *s)
{
	for (int i = 0; i < s->nregs; i++)
		s->regs[i].wanted = false;
	for (int i = 0; i < s->npolls; i++)
		sync_one(s, &s->polls[i]);
	for (int i = 0; i < s->nregs;) {
		if (s->regs[i].wanted) {
			i++;
			continue;
		}
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->regs[i].fd, NULL);
		s->regs[i] = s->regs[--s->nregs];
	}
}

/* ---- loop hooks ---- */

static int64_t next_timer_ms(const struct net_slirp *s)
{
	int64_t next = -1;
	for (const struct slirp_timer *t = s->timers; t; t = t->next)
		if (t->expire_ms >= 0 && (next < 0 || t->expire_ms < next))
			next = t->expire_ms;
	return next;
}

static int slirp_prepare(void *opaque)
{
	struct net_slirp *s = opaque;
	uint32_t timeout = UINT32_MAX;
	s->npolls = 0;
	slirp_pollfds_fill(s->slirp, &timeout, cb_add_poll, s);
	sync_epoll(s);
	int64_t t = next_timer_ms(s);
	if (t >= 0) {
		int64_t left = t - now_ns() / 1000000;
		left = left < 0 ? 0 : left;
		if ((uint64_t)left < timeout)
			timeout = (uint32_t)left;
	}
	return timeout > INT32_MAX ? -1 : (int)timeout;
}

static int cb_get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;
	return idx >= 0 && idx < s->npolls ? s->polls[idx].revents : 0;
}

static void collect_revents(struct net_slirp *s)
{
	struct epoll_event evs[64];
	for (int i = 0; i < s->npolls; i++)
		s->polls[i].revents = 0;
	int n = epoll_wait(s->epfd, evs, 64, 0);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < s->npolls; j++)
			if (s->polls[j].fd == evs[i].data.fd)
				s->polls[j].revents = from_epoll(evs[i].events) & (s->polls[j].events |
						      SLIRP_POLL_ERR | SLIRP_POLL_HUP);
}

static struct slirp_timer *first_expired(const struct net_slirp *s, int64_t now)
{
	for (struct slirp_timer *t = s->timers; t; t = t->next)
		if (t->expire_ms >= 0 && t->expire_ms <= now)
			return t;
	return NULL;
}

/* A callback may free or re-arm timers, so look the list up afresh after
 * each; the bound keeps a timer re-armed in the past from spinning here. */
static void run_timers(struct net_slirp *s)
{
	int64_t now = now_ns() / 1000000;
	struct slirp_timer *t;
	for (int fired = 0; fired < 16 && (t = first_expired(s, now)); fired++) {
		t->expire_ms = -1;
		if (t->cb)
			t->cb(t->cb_opaque);
		else
			slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
	}
}

static void slirp_dispatch(void *opaque)
{
	struct net_slirp *s = opaque;
	collect_revents(s);
	slirp_pollfds_poll(s->slirp, 0, cb_get_revents, s);
	run_timers(s);
}

static void nested_ready(void *opaque, uint32_t events)
{
	(void)opaque, (void)events;   /* the dispatch hook does the work */
}

/* ---- the backend ---- */

static int slirp_send(struct net_backend *be, const void *frame, size_t len)
{
	struct net_slirp *s = (struct net_slirp *)be;
	if (len > NET_MAX_FRAME)
		return -EMSGSIZE;
	slirp_input(s->slirp, frame, (int)len);
	return 0;
}

static void slirp_destroy(struct net_backend *be)
{
	struct net_slirp *s = (struct net_slirp *)be;
	if (s->slirp)
		slirp_cleanup(s->slirp);
	while (s->timers)
		cb_timer_free(s->timers, s);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s->polls);
	free(s->regs);
	free(s);
}

static const struct net_backend_ops slirp_ops = {
	.send = slirp_send,
	.destroy = slirp_destroy,
};

static void make_config(SlirpConfig *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 4;
	c->in_enabled = true;
	inet_pton(AF_INET, "10.0.2.0", &c->vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &c->vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &c->vhost);
	inet_pton(AF_INET, "10.0.2.15", &c->vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &c->vnameserver);
	c->vhostname = "popek";
}

static int add_forwards(struct net_slirp *s, const struct net_config *cfg, char *err, size_t errlen)
{
	for (int i = 0; i < cfg->nfwd; i++) {
		const struct net_hostfwd *f = &cfg->fwd[i];
		errno = 0;
		if (slirp_add_hostfwd(s->slirp, f->udp, f->host_addr, f->host_port,
				      f->guest_addr, f->guest_port) < 0) {
			char addr[INET_ADDRSTRLEN];
			inet_ntop(AF_INET, &f->host_addr, addr, sizeof(addr));
			snprintf(err, errlen, "--net user: cannot forward host port %s:%u/%s: %s",
				 addr, f->host_port, f->udp ? "udp" : "tcp",
				 errno ? strerror(errno) : "port unavailable (in use?)");
			return -EADDRINUSE;
		}
	}
	return 0;
}

int net_slirp_create(struct loop *loop, const struct net_config *cfg, net_rx_fn rx,
		     void *rx_opaque, struct net_backend **out, char *err, size_t errlen)
{
	err[0] = '\0';
	struct net_slirp *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->be = (struct net_backend){ .ops = &slirp_ops, .rx = rx, .rx_opaque = rx_opaque };
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	SlirpConfig sc;
	make_config(&sc);
	s->slirp = s->epfd >= 0 ? slirp_new(&sc, &slirp_callbacks, s) : NULL;
	if (!s->slirp) {
		snprintf(err, errlen, "--net user: cannot start user-mode networking");
		slirp_destroy(&s->be);
		return -ENOMEM;
	}
	int ret = add_forwards(s, cfg, err, errlen);
	if (!ret)
		ret = loop_watch_fd(loop, s->epfd, EPOLLIN, nested_ready, s);
	if (!ret)
		ret = loop_add_hooks(loop, slirp_prepare, slirp_dispatch, s);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "--net user: cannot watch sockets: %s", strerror(-ret));
		slirp_destroy(&s->be);
		return ret;
	}
	*out = &s->be;
	return 0;
}

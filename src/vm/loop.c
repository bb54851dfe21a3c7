/*
 * The backend event loop (see loop.h): one epoll set, a fixed table of
 * watched descriptors (indexed by epoll's data word, so no pointer in the
 * kernel's set can dangle), per-iteration hooks, and one eventfd shared by
 * every waker, with a bit mask saying which wakers were woken.
 */
#include "vm/loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define LOOP_MAX_WATCHES 32
#define LOOP_MAX_HOOKS   8
#define LOOP_MAX_WAKERS  64    /* one bit each in a uint64_t */
#define WAKE_INDEX       LOOP_MAX_WATCHES   /* epoll data of the eventfd */

struct loop_watch {
	int fd;
	loop_fd_fn fn;
	void *opaque;
};

struct loop_hook {
	loop_prepare_fn prepare;
	loop_dispatch_fn dispatch;
	void *opaque;
};

struct loop_waker {
	loop_wake_fn fn;
	void *opaque;
};

struct loop {
	int epfd, wakefd;
	pthread_t thread;
	bool started;
	int stop;                         /* atomic */
	uint64_t pending_wakes;           /* atomic: bit i = waker i woken */
	struct loop_watch watches[LOOP_MAX_WATCHES];
	int nwatches;
	struct loop_hook hooks[LOOP_MAX_HOOKS];
	int nhooks;
	struct loop_waker wakers[LOOP_MAX_WAKERS];
	int nwakers;
};

int loop_create(struct loop **out)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = WAKE_INDEX };
	if (l->epfd < 0 || l->wakefd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->wakefd, &ev) < 0) {
		int err = -errno;
		loop_destroy(l);
		return err;
	}
	*out = l;
	return 0;
}

static void kick(struct loop *l)
{
	uint64_t one = 1;
	/* EAGAIN means the counter is already non-zero: a wake is pending. */
	ssize_t n = write(l->wakefd, &one, sizeof(one));
	(void)n;
}

void loop_destroy(struct loop *l)
{
	if (!l)
		return;
	if (l->started) {
		__atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
		kick(l);
		pthread_join(l->thread, NULL);
	}
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->wakefd >= 0)
		close(l->wakefd);
	free(l);
}

int loop_watch_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *opaque)
{
	if (l->nwatches == LOOP_MAX_WATCHES)
		return -ENOSPC;
	struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)l->nwatches };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->watches[l->nwatches++] = (struct loop_watch){ .fd = fd, .fn = fn, .opaque = opaque };
	return 0;
}

int loop_modify_fd(struct loop *l, int fd, uint32_t events)
{
	for (int i = 0; i < l->nwatches; i++) {
		if (l->watches[i].fd != fd)
			continue;
		struct epoll_event ev = { .events = events, .data.u32 = (uint32_t)i };
		return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
	}
	return -ENOENT;
}

int loop_add_hooks(struct loop *l, loop_prepare_fn prepare, loop_dispatch_fn dispatch,
		   void *opaque)
{
	if (l->nhooks == LOOP_MAX_HOOKS)
		return -ENOSPC;
	l->hooks[l->nhooks++] = (struct loop_hook){ prepare, dispatch, opaque };
	return 0;
}

int loop_add_waker(struct loop *l, loop_wake_fn fn, void *opaque)
{
	if (l->nwakers == LOOP_MAX_WAKERS)
		return -ENOSPC;
	l->wakers[l->nwakers] = (struct loop_waker){ fn, opaque };
	return l->nwakers++;
}

void loop_wake(struct loop *l, int id)
{
	if (id < 0 || id >= LOOP_MAX_WAKERS)
		return;
	uint64_t bit = 1ull << id;
	/* Only the first wake since the last run needs the syscall. */
	if (!(__atomic_fetch_or(&l->pending_wakes, bit, __ATOMIC_ACQ_REL) & bit))
		kick(l);
}

static void run_wakers(struct loop *l)
{
	uint64_t count;
	ssize_t n = read(l->wakefd, &count, sizeof(count));
	(void)n;
	uint64_t bits = __atomic_exchange_n(&l->pending_wakes, 0, __ATOMIC_ACQ_REL);
	for (int i = 0; i < l->nwakers; i++)
		if (bits & (1ull << i))
			l->wakers[i].fn(l->wakers[i].opaque);
}

/* The shortest timeout any hook asks for; -1 when none does. */
static int prepare_hooks(struct loop *l)
{
	int timeout = -1;
	for (int i = 0; i < l->nhooks; i++) {
		int t = l->hooks[i].prepare ? l->hooks[i].prepare(l->hooks[i].opaque) : -1;
		if (t >= 0 && (timeout < 0 || t < timeout))
			timeout = t;
	}
	return timeout;
}

static void *loop_main(void *arg)
{
	struct loop *l = arg;
	struct epoll_event evs[LOOP_MAX_WATCHES + 1];
	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		int n = epoll_wait(l->epfd, evs, LOOP_MAX_WATCHES + 1, prepare_hooks(l));
		for (int i = 0; i < n; i++) {
			uint32_t idx = evs[i].data.u32;
			if (idx == WAKE_INDEX)
				run_wakers(l);
			else if (idx < (uint32_t)l->nwatches)
				l->watches[idx].fn(l->watches[idx].opaque, evs[i].events);
		}
		for (int i = 0; i < l->nhooks; i++)
			if (l->hooks[i].dispatch)
				l->hooks[i].dispatch(l->hooks[i].opaque);
	}
	return NULL;
}

int loop_start(struct loop *l)
{
	int ret = pthread_create(&l->thread, NULL, loop_main, l);
	if (ret)
		return -ret;
	l->started = true;
	return 0;
}

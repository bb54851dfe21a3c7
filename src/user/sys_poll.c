/*
 * Waiting on descriptors: ppoll, pselect6 and epoll.  riscv64 has no poll,
 * select or epoll_wait; its libc builds them on these.  struct pollfd and
 * fd_set have the same layout on both ABIs; struct epoll_event does not
 * (16 bytes on riscv64, packed 12 on x86-64) and is converted.
 *
 * Signal masks: the guest's blocked set lives in uthread.sigmask (guest
 * signal numbers, bit n-1 = signal n), not in the host thread's mask, so a
 * temporary mask argument is installed there for the duration of the wait
 * and the host call gets no mask.  A host signal interrupts the wait with
 * EINTR and the dispatcher delivers what is pending; Linux never restarts
 * these calls, so plain -EINTR is the right answer.  As in Linux (and like
 * sigsuspend), when the wait ends with -EINTR and a signal is deliverable,
 * the handler runs under the temporary mask and the old one comes back
 * afterwards: that is what in_sigsuspend/sigsuspend_mask tell the signal
 * code.
 */
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"
#include "user/uproc_priv.h"

/* Most events one epoll_pwait returns; fewer than maxevents is allowed. */
#define EPOLL_CHUNK 128

struct mask_swap {
	uint64_t saved;
	int active;
};

/* Install the call's temporary mask; -EINTR when a signal it unblocks is
 * already pending (the wait must not start). */
static int mask_begin(struct uthread *t, uint64_t gmask, uint64_t size, struct mask_swap *s)
{
	struct uproc *p = t->proc;
	uint64_t m;

	s->active = 0;
	if (!gmask)
		return 0;
	if (size != RV_SIZEOF_SIGSET)
		return -EINVAL;
	if (uproc_read(p, &m, gmask, sizeof(m)))
		return -EFAULT;
	pthread_mutex_lock(&p->sig_lock);
	s->saved = t->sigmask;
	t->sigmask = m & ~USIG_UNBLOCKABLE;
	pthread_mutex_unlock(&p->sig_lock);
	s->active = 1;
	return usig_have_deliverable(t) ? -EINTR : 0;
}

/* Put the old mask back, now or after the handler of the signal that
 * interrupted us has run.  Returns r. */
static long mask_end(struct uthread *t, const struct mask_swap *s, long r)
{
	struct uproc *p = t->proc;
	bool deliver;

	if (!s->active)
		return r;
	deliver = r == -EINTR && usig_have_deliverable(t);
	pthread_mutex_lock(&p->sig_lock);
	if (deliver) {
		t->sigsuspend_mask = s->saved;
		t->in_sigsuspend = true;
	} else {
		t->sigmask = s->saved;
	}
	pthread_mutex_unlock(&p->sig_lock);
	return r;
}

/* Blocking waits go through uproc_blocking_syscall(): a guest signal that
 * arrives just before the host call blocks then still interrupts it. */
static long do_ppoll(struct uthread *t, const uint64_t a[6])
{
	struct mask_swap ms;
	void *fds, *tsp;
	long r;

	if (a[1] > UPROC_WINDOW / RV_SIZEOF_POLLFD)
		return -EINVAL;
	fds = sys_buf(t, a[0], a[1] * RV_SIZEOF_POLLFD);
	if (!fds || sys_opt(t, a[2], RV_SIZEOF_TIMESPEC, &tsp))
		return -EFAULT;
	r = mask_begin(t, a[3], a[4], &ms);
	if (!r)
		r = uproc_blocking_syscall(t, SYS_ppoll, (long)fds, (long)a[1], (long)tsp, 0, 8, 0);
	return mask_end(t, &ms, r);
}

/* pselect6's sixth argument points at { const sigset_t *ss; size_t len; }. */
static long do_pselect6(struct uthread *t, const uint64_t a[6])
{
	int n = (int)a[0];
	uint64_t bytes, sig[2] = { 0, 0 };
	void *set[3], *tsp;
	struct mask_swap ms;
	long r;

	if (n < 0)
		return -EINVAL;
	bytes = ((uint64_t)n + 63) / 64 * 8;
	for (int i = 0; i < 3; i++)
		if (sys_opt(t, a[1 + i], bytes, &set[i]))
			return -EFAULT;
	if (sys_opt(t, a[4], RV_SIZEOF_TIMESPEC, &tsp))
		return -EFAULT;
	if (a[5] && uproc_read(t->proc, sig, a[5], sizeof(sig)))
		return -EFAULT;
	r = mask_begin(t, sig[0], sig[1], &ms);
	if (!r)
		r = uproc_blocking_syscall(t, SYS_pselect6, n, (long)set[0], (long)set[1], (long)set[2], (long)tsp, 0);
	return mask_end(t, &ms, r);
}

static long do_epoll_create1(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(epoll_create1(sys_oflags_to_host(a[0])));
}

static long do_epoll_ctl(struct uthread *t, const uint64_t a[6])
{
	struct rv_epoll_event g;
	struct epoll_event h, *hp = NULL;

	/* EPOLL_CTL_DEL ignores the event and old kernels wanted non-NULL;
	 * convert whenever the guest gave one. */
	if (a[3]) {
		if (uproc_read(t->proc, &g, a[3], sizeof(g)))
			return -EFAULT;
		h.events = g.events;
		h.data.u64 = g.data;
		hp = &h;
	}
	return sys_ret(epoll_ctl(sys_fd(a[0]), (int)a[1], sys_fd(a[2]), hp));
}

/* Copy host events out in the riscv64 layout. */
static long events_to_guest(struct uthread *t, uint64_t gaddr, const struct epoll_event *h, long n)
{
	for (long i = 0; i < n; i++) {
		struct rv_epoll_event g = { .events = h[i].events, .pad = 0, .data = h[i].data.u64 };

		if (uproc_write(t->proc, gaddr + (uint64_t)i * sizeof(g), &g, sizeof(g)))
			return -EFAULT;
	}
	return n;
}

/* Shared by epoll_pwait (timeout in ms) and epoll_pwait2 (timespec). */
static long epoll_wait_common(struct uthread *t, const uint64_t a[6], int ms_timeout, void *tsp,
			      int use_ts)
{
	struct epoll_event ev[EPOLL_CHUNK];
	int max = (int)a[2];
	struct mask_swap msk;
	long r;

	/* Linux's EP_MAX_EVENTS, in the guest's 16-byte events. */
	if (max <= 0 || max > INT_MAX / (int)sizeof(struct rv_epoll_event))
		return -EINVAL;
	if (!sys_buf(t, a[1], (uint64_t)max * sizeof(struct rv_epoll_event)))
		return -EFAULT;
	if (max > EPOLL_CHUNK)
		max = EPOLL_CHUNK;
	r = mask_begin(t, a[4], a[5], &msk);
	if (!r && use_ts)
		r = uproc_blocking_syscall(t, SYS_epoll_pwait2, sys_fd(a[0]), (long)ev, max, (long)tsp, 0, 8);
	else if (!r)
		r = uproc_blocking_syscall(t, SYS_epoll_pwait, sys_fd(a[0]), (long)ev, max, ms_timeout, 0, 8);
	r = mask_end(t, &msk, r);
	return r <= 0 ? r : events_to_guest(t, a[1], ev, r);
}

static long do_epoll_pwait(struct uthread *t, const uint64_t a[6])
{
	return epoll_wait_common(t, a, (int)a[3], NULL, 0);
}

static long do_epoll_pwait2(struct uthread *t, const uint64_t a[6])
{
	void *tsp;

	if (sys_opt(t, a[3], RV_SIZEOF_TIMESPEC, &tsp))
		return -EFAULT;
	return epoll_wait_common(t, a, 0, tsp, 1);
}

void sys_poll_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_ppoll, do_ppoll);
	SYS_SET(tbl, RVSYS_pselect6, do_pselect6);
	SYS_SET(tbl, RVSYS_epoll_create1, do_epoll_create1);
	SYS_SET(tbl, RVSYS_epoll_ctl, do_epoll_ctl);
	SYS_SET(tbl, RVSYS_epoll_pwait, do_epoll_pwait);
	SYS_SET(tbl, RVSYS_epoll_pwait2, do_epoll_pwait2);
}

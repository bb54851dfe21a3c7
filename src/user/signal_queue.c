/*
 * Pending guest signals: the per-thread and per-process pending sets, the
 * queue of real-time signals (one entry per send; standard signals
 * collapse), the lock-free ring through which the host signal handler
 * hands over what it caught, and the kicks that make a target thread look
 * at its pending set (exit_request for guest code, a marked host signal to
 * interrupt a blocking host call).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "user/uproc_priv.h"

#define KICK_MAGIC 0x706f706b   /* "popk" */

/* Signals caught by the host handler wait in this ring until a guest
 * thread moves them into the guest pending sets (usig_collect_async).
 * Producers are signal handlers, so the ring is lock-free: a slot is
 * claimed with an atomic increment and published with its ready flag. */
#define ASYNC_RING 256
static siginfo_t async_ring[ASYNC_RING];
static int async_ready[ASYNC_RING];
static unsigned async_head, async_tail;

/* Real-time signals queue one entry per send (standard ones collapse). */
#define USIG_RTMIN 32
#define RT_QUEUE_MAX 1024
struct usig_rtnode {
	int sig;
	uint64_t info[16];
	struct usig_rtnode *next;
};

/* The re-kick timer.  A signal that reaches a thread while it runs popek
 * code (not guest code, not inside uproc_blocking_syscall) cannot stop a
 * blocking host call that the thread is about to make in code we do not
 * control.  So the handler arms this per-thread one-shot timer, whose
 * expiry is another kick: if the thread went to sleep meanwhile, the kick
 * interrupts it and the run loop delivers.  It re-arms only while a signal
 * is still waiting for this thread, so a sleeping thread is not polled. */
#define REKICK_NS 2000000   /* 2 ms */
static __thread timer_t rekick_timer;
static __thread int rekick_ready;

void usig_rekick_init(void)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = USIG_KICK_SIG;
	ev.sigev_value.sival_int = KICK_MAGIC;
	ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	rekick_ready = timer_create(CLOCK_MONOTONIC, &ev, &rekick_timer) == 0;
}

void usig_rekick_fini(void)
{
	if (rekick_ready)
		timer_delete(rekick_timer);
	rekick_ready = 0;
}

static void rekick_arm(void)
{
	struct itimerspec it = { .it_value = { 0, REKICK_NS } };
	if (rekick_ready)
		timer_settime(rekick_timer, 0, &it, NULL);
}

/* Something this thread has not picked up yet? (Racy reads: a hint.) */
static bool still_waiting(const struct uthread *t)
{
	return __atomic_load_n(&async_head, __ATOMIC_ACQUIRE) != async_tail ||
	       (t->sig_pending & ~t->sigmask);
}

static bool is_kick(int sig, const siginfo_t *si)
{
	if (sig != USIG_KICK_SIG || si->si_value.sival_int != KICK_MAGIC)
		return false;
	return si->si_code == SI_TIMER || (si->si_code == SI_QUEUE && si->si_pid == getpid());
}

void usig_async_handler(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;
	bool kick = is_kick(sig, si);
	if (!kick && sig > 0 && sig <= USIG_MAX) {
		unsigned slot = __atomic_fetch_add(&async_head, 1, __ATOMIC_ACQ_REL) % ASYNC_RING;
		if (!__atomic_load_n(&async_ready[slot], __ATOMIC_ACQUIRE)) {
			async_ring[slot] = *si;
			async_ring[slot].si_signo = sig;
			__atomic_store_n(&async_ready[slot], 1, __ATOMIC_RELEASE);
		}
	}
	struct uthread *t = uthread_self;
	if (t) {
		t->cpu.exit_request = 1;
		safe_syscall_adjust(uc);   /* about to block? return EINTR instead */
		bool timer = kick && si->si_code == SI_TIMER;
		if (!rv_in_guest && (!timer || still_waiting(t)))
			rekick_arm();
	}
	errno = saved;
}

/* Locked: add sig to a pending set (standard signals keep the first info). */
static void pend_set(uint64_t *pending, uint64_t (*slot)[16], struct usig_rtnode **q, int sig,
		 const void *info)
{
	if (sig >= USIG_RTMIN) {
		int n = 0;
		struct usig_rtnode **tail = q;
		for (; *tail; tail = &(*tail)->next)
			n++;
		struct usig_rtnode *node = n < RT_QUEUE_MAX ? malloc(sizeof(*node)) : NULL;
		if (!node)
			return;   /* Linux drops too once RLIMIT_SIGPENDING is reached */
		node->sig = sig;
		memcpy(node->info, info, 128);
		node->next = NULL;
		*tail = node;
	} else if (!(*pending & USIG_BIT(sig))) {
		memcpy(slot[sig], info, 128);
	}
	*pending |= USIG_BIT(sig);
}

/* Locked: remove one instance of sig (it must be pending) into info. */
static void unpend_set(uint64_t *pending, uint64_t (*slot)[16], struct usig_rtnode **q, int sig,
		   uint64_t info[16])
{
	if (sig < USIG_RTMIN) {
		*pending &= ~USIG_BIT(sig);
		memcpy(info, slot[sig], 128);
		return;
	}
	struct usig_rtnode **at = q;
	while (*at && (*at)->sig != sig)
		at = &(*at)->next;
	bool more = false;
	if (*at) {
		struct usig_rtnode *node = *at;
		memcpy(info, node->info, 128);
		*at = node->next;
		free(node);
		for (struct usig_rtnode *n = *at; n && !more; n = n->next)
			more = n->sig == sig;
	} else {
		memset(info, 0, 128);
		((int32_t *)info)[0] = sig;
	}
	if (!more)
		*pending &= ~USIG_BIT(sig);
}

/* Locked: forget every pending instance of sig. */
static void drop_set(uint64_t *pending, struct usig_rtnode **q, int sig)
{
	*pending &= ~USIG_BIT(sig);
	while (*q) {
		if ((*q)->sig == sig) {
			struct usig_rtnode *node = *q;
			*q = node->next;
			free(node);
		} else {
			q = &(*q)->next;
		}
	}
}

void usig_pend_locked(struct uproc *p, struct uthread *t, int sig, const void *info)
{
	if (t)
		pend_set(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
	else
		pend_set(&p->sig_pending, p->sig_info, &p->rt_queue, sig, info);
}

void usig_drop_locked(struct uproc *p, int sig)
{
	drop_set(&p->sig_pending, &p->rt_queue, sig);
	for (struct uthread *t = p->threads; t; t = t->next)
		drop_set(&t->sig_pending, &t->rt_queue, sig);
}

void usig_kick(struct uthread *t)
{
	t->cpu.exit_request = 1;
	if (t == uthread_self || t->exiting)
		return;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = USIG_KICK_SIG;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = KICK_MAGIC;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, USIG_KICK_SIG, &si);
}

void usig_kick_all(struct uproc *p)
{
	pthread_mutex_lock(&p->threads_lock);
	for (struct uthread *t = p->threads; t; t = t->next)
		usig_kick(t);
	pthread_mutex_unlock(&p->threads_lock);
}

/* Process-directed signals: the calling thread takes them when it can
 * (for host signals it is the thread the host kernel chose, as Linux
 * would); otherwise every thread is asked to look.  Kicking everyone
 * unconditionally would let another thread steal a signal that the caller
 * is about to report as EINTR, e.g. from pause(). */
static void wake_for(struct uproc *p, uint64_t sigs)
{
	struct uthread *self = uthread_self;
	if (self && !(self->sigmask & sigs & ~USIG_UNBLOCKABLE)) {
		self->cpu.exit_request = 1;
		return;
	}
	usig_kick_all(p);
}

void usig_collect_async(struct uproc *p)
{
	if (__atomic_load_n(&async_head, __ATOMIC_ACQUIRE) == async_tail)
		return;
	uint64_t got = 0;
	pthread_mutex_lock(&p->sig_lock);
	for (;;) {
		unsigned slot = async_tail % ASYNC_RING;
		if (!__atomic_load_n(&async_ready[slot], __ATOMIC_ACQUIRE))
			break;
		siginfo_t si = async_ring[slot];
		__atomic_store_n(&async_ready[slot], 0, __ATOMIC_RELEASE);
		async_tail++;
		pend_set(&p->sig_pending, p->sig_info, &p->rt_queue, si.si_signo, &si);
		got |= USIG_BIT(si.si_signo);
	}
	pthread_mutex_unlock(&p->sig_lock);
	if (got)
		wake_for(p, got);
}

void usig_queue(struct uproc *p, struct uthread *t, int sig, const void *info)
{
	siginfo_t si;
	if (!info) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_USER;
		si.si_pid = getpid();
		si.si_uid = getuid();
		info = &si;
	}
	pthread_mutex_lock(&p->sig_lock);
	/* An ignored signal is discarded at once, unless the target blocks it
	 * (the action may change before it is unblocked). */
	if (usig_would_ignore(p, sig) && !(t && (t->sigmask & USIG_BIT(sig)))) {
		pthread_mutex_unlock(&p->sig_lock);
		return;
	}
	if (t)
		pend_set(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
	else
		pend_set(&p->sig_pending, p->sig_info, &p->rt_queue, sig, info);
	pthread_mutex_unlock(&p->sig_lock);
	if (t)
		usig_kick(t);
	else
		wake_for(p, USIG_BIT(sig));
}

long usig_queue_tid(struct uproc *p, pid_t tid, int sig, const void *info)
{
	pthread_mutex_lock(&p->threads_lock);
	struct uthread *t = uthread_find_locked(p, tid);
	if (t && sig) {
		pthread_mutex_lock(&p->sig_lock);
		if (!usig_would_ignore(p, sig) || (t->sigmask & USIG_BIT(sig)))
			pend_set(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
		pthread_mutex_unlock(&p->sig_lock);
		usig_kick(t);
	}
	pthread_mutex_unlock(&p->threads_lock);
	return t ? 0 : -ESRCH;
}

void usig_thread_free(struct uthread *t)
{
	while (t->rt_queue) {
		struct usig_rtnode *n = t->rt_queue;
		t->rt_queue = n->next;
		free(n);
	}
}

void usig_take_locked(struct uthread *t, int sig, uint64_t info[16])
{
	struct uproc *p = t->proc;
	if (t->sig_pending & USIG_BIT(sig))
		unpend_set(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
	else
		unpend_set(&p->sig_pending, p->sig_info, &p->rt_queue, sig, info);
}

int usig_take_from_set(struct uthread *t, uint64_t set, uint64_t info[16])
{
	struct uproc *p = t->proc;
	usig_collect_async(p);
	pthread_mutex_lock(&p->sig_lock);
	uint64_t hit = (t->sig_pending | p->sig_pending) & set;
	int sig = hit ? __builtin_ctzll(hit) + 1 : 0;
	if (sig)
		usig_take_locked(t, sig, info);
	pthread_mutex_unlock(&p->sig_lock);
	return sig;
}

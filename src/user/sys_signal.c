/*
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, sigaltstack, kill/tkill/tgkill,
 * rt_sigqueueinfo/rt_tgsigqueueinfo and rt_sigreturn.  The state and the
 * delivery machinery live in signal.c; this file checks arguments and
 * routes signals aimed at our own process to the emulated pending sets and
 * everything else to the host.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "user/syscall.h"
#include "user/uproc_priv.h"

#define GUEST_SS_ONSTACK 1
#define GUEST_SS_DISABLE 2
#define GUEST_SS_AUTODISARM ((int)0x80000000u)
#define GUEST_MINSIGSTKSZ 2048

static bool valid_sig(uint64_t sig)
{
	return sig >= 1 && sig <= USIG_MAX;
}

static long sys_rt_sigaction(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	int sig = (int)a[0];
	if (a[3] != 8 || !valid_sig(a[0]))
		return -EINVAL;
	struct uproc_sigaction act, old;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a[1] && uproc_read(p, &act, a[1], sizeof(act)))
		return -EFAULT;
	pthread_mutex_lock(&p->sig_lock);
	old = p->sigact[sig];
	pthread_mutex_unlock(&p->sig_lock);
	if (a[2] && uproc_write(p, a[2], &old, sizeof(old)))
		return -EFAULT;
	if (a[1])
		return usig_set_action(p, sig, &act);
	return 0;
}

static long sys_rt_sigprocmask(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	uint64_t set = 0, old = t->sigmask;
	if (a[3] != 8)
		return -EINVAL;
	if (a[1] && uproc_read(p, &set, a[1], 8))
		return -EFAULT;
	if (a[1]) {
		pthread_mutex_lock(&p->sig_lock);
		switch (a[0]) {
		case SIG_BLOCK: t->sigmask |= set; break;
		case SIG_UNBLOCK: t->sigmask &= ~set; break;
		case SIG_SETMASK: t->sigmask = set; break;
		default:
			pthread_mutex_unlock(&p->sig_lock);
			return -EINVAL;
		}
		t->sigmask &= ~USIG_UNBLOCKABLE;
		pthread_mutex_unlock(&p->sig_lock);
	}
	if (a[2] && uproc_write(p, a[2], &old, 8))
		return -EFAULT;
	return 0;
}

static long sys_rt_sigpending(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	if (a[1] != 8)
		return -EINVAL;
	usig_collect_async(p);
	pthread_mutex_lock(&p->sig_lock);
	uint64_t set = (t->sig_pending | p->sig_pending) & t->sigmask;
	pthread_mutex_unlock(&p->sig_lock);
	return uproc_write(p, a[0], &set, 8);
}

/* Sleep until a host signal arrives or the deadline passes, without the
 * race between "nothing pending" and going to sleep: host signals stay
 * blocked until ppoll atomically unblocks them. */
static int wait_for_signal(struct uthread *t, bool (*ready)(struct uthread *, void *), void *arg,
			   const struct timespec *deadline)
{
	sigset_t all, old, none;
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigemptyset(&none);
	for (;;) {
		pthread_sigmask(SIG_BLOCK, &all, &old);
		if (ready(t, arg)) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return 0;
		}
		struct timespec rel, now, *tp = NULL;
		if (deadline) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			rel.tv_sec = deadline->tv_sec - now.tv_sec;
			rel.tv_nsec = deadline->tv_nsec - now.tv_nsec;
			if (rel.tv_nsec < 0) {
				rel.tv_nsec += 1000000000L;
				rel.tv_sec--;
			}
			if (rel.tv_sec < 0) {
				pthread_sigmask(SIG_SETMASK, &old, NULL);
				return -EAGAIN;
			}
			tp = &rel;
		}
		ppoll(NULL, 0, tp, &none);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
}

static bool deliverable(struct uthread *t, void *arg)
{
	(void)arg;
	return usig_have_deliverable(t);
}

static long sys_rt_sigsuspend(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	uint64_t mask;
	if (a[1] != 8)
		return -EINVAL;
	if (uproc_read(p, &mask, a[0], 8))
		return -EFAULT;
	pthread_mutex_lock(&p->sig_lock);
	t->sigsuspend_mask = t->sigmask;
	t->sigmask = mask & ~USIG_UNBLOCKABLE;
	t->in_sigsuspend = true;
	pthread_mutex_unlock(&p->sig_lock);
	wait_for_signal(t, deliverable, NULL, NULL);
	/* The run loop delivers the signal with the old mask in the frame. */
	return -EINTR;
}

struct timedwait {
	uint64_t set;
	int sig;
	uint64_t info[16];
};

/* Take a pending signal from the awaited set, or notice a handler to run. */
static bool timedwait_ready(struct uthread *t, void *arg)
{
	struct timedwait *w = arg;
	w->sig = usig_take_from_set(t, w->set, w->info);
	return w->sig || usig_have_deliverable(t);
}

static long sys_rt_sigtimedwait(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	struct timedwait w = { 0 };
	struct timespec ts, deadline;
	if (a[3] != 8)
		return -EINVAL;
	if (uproc_read(p, &w.set, a[0], 8))
		return -EFAULT;
	w.set &= ~USIG_UNBLOCKABLE;
	if (a[2]) {
		if (uproc_read(p, &ts, a[2], sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += ts.tv_sec;
		deadline.tv_nsec += ts.tv_nsec;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_nsec -= 1000000000L;
			deadline.tv_sec++;
		}
	}
	int r = wait_for_signal(t, timedwait_ready, &w, a[2] ? &deadline : NULL);
	if (w.sig) {
		if (a[1] && uproc_write(p, a[1], w.info, 128))
			return -EFAULT;
		return w.sig;
	}
	return r ? r : -EINTR;
}

static long sys_sigaltstack(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	uint64_t sp = t->cpu.x[2];
	bool on = t->sigaltstack_size && sp > t->sigaltstack_sp &&
		  sp - t->sigaltstack_sp <= t->sigaltstack_size;
	struct { uint64_t sp; int32_t flags; int32_t pad; uint64_t size; } ss, old = {
		t->sigaltstack_sp,
		on ? GUEST_SS_ONSTACK : (t->sigaltstack_size ? t->sigaltstack_flags : GUEST_SS_DISABLE),
		0, t->sigaltstack_size };
	if (a[0]) {
		if (uproc_read(p, &ss, a[0], sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		int mode = ss.flags & ~GUEST_SS_AUTODISARM;
		if (mode != 0 && mode != GUEST_SS_DISABLE && mode != GUEST_SS_ONSTACK)
			return -EINVAL;
		if (mode == GUEST_SS_DISABLE) {
			ss.sp = 0;
			ss.size = 0;
		} else if (ss.size < GUEST_MINSIGSTKSZ) {
			return -ENOMEM;
		}
	}
	if (a[1] && uproc_write(p, a[1], &old, sizeof(old)))
		return -EFAULT;
	if (a[0]) {
		t->sigaltstack_sp = ss.sp;
		t->sigaltstack_size = ss.size;
		t->sigaltstack_flags = ss.flags & GUEST_SS_AUTODISARM;
	}
	return 0;
}

static long sys_kill(struct uthread *t, const uint64_t a[6])
{
	pid_t pid = (pid_t)a[0];
	if (a[1] > USIG_MAX)
		return -EINVAL;
	if (pid == getpid()) {
		if (a[1])
			usig_queue(t->proc, NULL, (int)a[1], NULL);
		return 0;
	}
	return kill(pid, (int)a[1]) ? -errno : 0;
}

static long queue_thread(struct uthread *t, pid_t tid, int sig, const void *info)
{
	siginfo_t si;
	if (!info) {
		memset(&si, 0, sizeof(si));
		si.si_signo = sig;
		si.si_code = SI_TKILL;
		si.si_pid = getpid();
		si.si_uid = getuid();
		info = &si;
	}
	return usig_queue_tid(t->proc, tid, sig, info);
}

static long sys_tkill(struct uthread *t, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0 || a[1] > USIG_MAX)
		return -EINVAL;
	if (uthread_exists(t->proc, (pid_t)a[0]))
		return queue_thread(t, (pid_t)a[0], (int)a[1], NULL);
	return syscall(SYS_tkill, (pid_t)a[0], (int)a[1]) ? -errno : 0;
}

static long sys_tgkill(struct uthread *t, const uint64_t a[6])
{
	if ((int64_t)a[0] <= 0 || (int64_t)a[1] <= 0 || a[2] > USIG_MAX)
		return -EINVAL;
	if ((pid_t)a[0] == getpid())
		return queue_thread(t, (pid_t)a[1], (int)a[2], NULL);
	return syscall(SYS_tgkill, (pid_t)a[0], (pid_t)a[1], (int)a[2]) ? -errno : 0;
}

static long sys_rt_sigqueueinfo(struct uthread *t, const uint64_t a[6])
{
	siginfo_t si;
	if (!valid_sig(a[1]))
		return -EINVAL;
	if (uproc_read(t->proc, &si, a[2], sizeof(si)))
		return -EFAULT;
	if ((pid_t)a[0] == getpid()) {
		if (si.si_code >= 0 || si.si_code == SI_TKILL)
			return -EPERM;
		si.si_signo = (int)a[1];
		usig_queue(t->proc, NULL, (int)a[1], &si);
		return 0;
	}
	return syscall(SYS_rt_sigqueueinfo, (pid_t)a[0], (int)a[1], &si) ? -errno : 0;
}

static long sys_rt_tgsigqueueinfo(struct uthread *t, const uint64_t a[6])
{
	siginfo_t si;
	if (!valid_sig(a[2]))
		return -EINVAL;
	if (uproc_read(t->proc, &si, a[3], sizeof(si)))
		return -EFAULT;
	if ((pid_t)a[0] == getpid()) {
		if (si.si_code >= 0 || si.si_code == SI_TKILL)
			return -EPERM;
		si.si_signo = (int)a[2];
		return queue_thread(t, (pid_t)a[1], (int)a[2], &si);
	}
	return syscall(SYS_rt_tgsigqueueinfo, (pid_t)a[0], (pid_t)a[1], (int)a[2], &si) ? -errno : 0;
}

static long sys_rt_sigreturn(struct uthread *t, const uint64_t a[6])
{
	(void)a;
	return usig_sigreturn(t);
}

void sys_signal_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, 129, sys_kill);
	SYS_SET(tbl, 130, sys_tkill);
	SYS_SET(tbl, 131, sys_tgkill);
	SYS_SET(tbl, 132, sys_sigaltstack);
	SYS_SET(tbl, 133, sys_rt_sigsuspend);
	SYS_SET(tbl, 134, sys_rt_sigaction);
	SYS_SET(tbl, 135, sys_rt_sigprocmask);
	SYS_SET(tbl, 136, sys_rt_sigpending);
	SYS_SET(tbl, 137, sys_rt_sigtimedwait);
	SYS_SET(tbl, 138, sys_rt_sigqueueinfo);
	SYS_SET(tbl, 139, sys_rt_sigreturn);
	SYS_SET(tbl, 240, sys_rt_tgsigqueueinfo);
}

/*
 * Guest signals: dispositions, default actions and delivery.  The pending
 * sets live in signal_queue.c, the frame layout in signal_frame.c.
 *
 * Guest and host signal numbers are the same (asm-generic on both sides),
 * but guest signals are emulated, never handed to host handlers:
 *  - host signals aimed at the process (SIGINT from the terminal, SIGCHLD,
 *    SIGPIPE, kill(1)...) are caught by usig_async_handler, which only
 *    records them and asks the running hart to stop at a block boundary;
 *  - guest kill/tgkill to its own threads queue directly (usig_queue) and
 *    kick the target with a marked host signal so a blocking host system
 *    call returns EINTR;
 *  - the run loop calls usig_deliver_pending between blocks, which builds
 *    the rt_sigframe the riscv64 kernel builds and points ra at a
 *    `li a7,139; ecall` trampoline page, since there is no vDSO.
 *
 * A guest SIG_IGN is mirrored as a host SIG_IGN (so SIGCHLD auto-reaping
 * and ignore-across-exec behave like Linux); every other disposition is
 * our catching handler, installed without SA_RESTART so blocking host
 * calls are interrupted and the guest's SA_RESTART decides (except for
 * signals whose default is to be ignored, see set_host_action).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/uproc_priv.h"

static uint64_t initial_mask;

enum dfl { DFL_TERM, DFL_IGNORE, DFL_STOP, DFL_CONT };

static enum dfl default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return DFL_IGNORE;
	case SIGCONT:
		return DFL_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return DFL_STOP;
	default:
		return DFL_TERM;
	}
}

static bool is_core_signal(int sig)
{
	return sig == SIGQUIT || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT ||
	       sig == SIGBUS || sig == SIGFPE || sig == SIGSEGV || sig == SIGXCPU ||
	       sig == SIGXFSZ || sig == SIGSYS;
}

/* Host signals whose disposition we may not change. */
static bool host_reserved(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS ||
	       sig == 32 || sig == 33;
}

bool usig_would_ignore(const struct uproc *p, int sig)
{
	uint64_t h = p->sigact[sig].handler;
	return h == USIG_IGN || (h == USIG_DFL && (default_action(sig) == DFL_IGNORE ||
							      default_action(sig) == DFL_CONT));
}

static int set_host_action(int sig, uint64_t guest_handler, uint64_t guest_flags)
{
	if (host_reserved(sig))
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (guest_handler == USIG_IGN && sig != USIG_KICK_SIG) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_sigaction = usig_async_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		/* A signal whose default is to be ignored (SIGCHLD, SIGWINCH...)
		 * must not interrupt host calls: the kernel restarts them with
		 * the right remaining time, which we could not. */
		if (guest_handler == USIG_DFL && (default_action(sig) == DFL_IGNORE ||
						       default_action(sig) == DFL_CONT))
			sa.sa_flags |= SA_RESTART;
	}
	if (sig == SIGCHLD)
		sa.sa_flags |= guest_flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL) ? -errno : 0;
}

/* Trampoline page: `li a7, 139` (rt_sigreturn); `ecall`. */
static int map_trampoline(struct uproc *p)
{
	long a = mm_map(p, 0, UPROC_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return (int)a;
	const uint32_t code[2] = { 0x08b00893, 0x00000073 };
	uproc_write(p, (uint64_t)a, code, sizeof(code));
	p->sigreturn_tramp = (uint64_t)a;
	long r = mm_protect(p, (uint64_t)a, UPROC_PAGE, PROT_READ | PROT_EXEC);
	return r < 0 ? (int)r : 0;
}

int usig_init(struct uproc *p)
{
	sigset_t old;
	sigprocmask(SIG_SETMASK, NULL, &old);
	for (int sig = 1; sig <= USIG_MAX; sig++) {
		if (sigismember(&old, sig) == 1 && !host_reserved(sig))
			initial_mask |= USIG_BIT(sig);
		if (host_reserved(sig))
			continue;
		struct sigaction cur;
		if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
			p->sigact[sig].handler = USIG_IGN;   /* inherited across exec */
		int r = set_host_action(sig, p->sigact[sig].handler, 0);
		if (r)
			return r;
	}
	return map_trampoline(p);
}

void usig_thread_start(struct uthread *t)
{
	if (t == t->proc->threads && !t->next)
		t->sigmask = initial_mask;
	usig_rekick_init();
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
}

_Noreturn void usig_die(int sig)
{
	if (is_core_signal(sig)) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(sig, &sa, NULL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
	kill(getpid(), sig);
	_exit(128 + sig);
}

/* Next pending unblocked signal for t (synchronous faults first), or 0. */
static int next_signal(struct uthread *t)
{
	struct uproc *p = t->proc;
	uint64_t blocked = t->sigmask & ~USIG_UNBLOCKABLE;
	uint64_t ready = (t->sig_pending | p->sig_pending) & ~blocked;
	if (!ready)
		return 0;
	const uint64_t sync = USIG_BIT(SIGSEGV) | USIG_BIT(SIGBUS) | USIG_BIT(SIGILL) |
			      USIG_BIT(SIGTRAP) | USIG_BIT(SIGFPE);
	uint64_t pick = ready & sync ? ready & sync : ready;
	return __builtin_ctzll(pick) + 1;
}

/* Drop pending signals that would be ignored; is anything left? Locked. */
static int next_effective_signal(struct uthread *t)
{
	int sig;
	while ((sig = next_signal(t)) && usig_would_ignore(t->proc, sig)) {
		uint64_t info[16];
		usig_take_locked(t, sig, info);
	}
	return sig;
}

bool usig_have_deliverable(struct uthread *t)
{
	struct uproc *p = t->proc;
	usig_collect_async(p);
	pthread_mutex_lock(&p->sig_lock);
	bool any = next_effective_signal(t) != 0;
	pthread_mutex_unlock(&p->sig_lock);
	return any;
}

int usig_restart_policy(struct uthread *t)
{
	struct uproc *p = t->proc;
	usig_collect_async(p);
	pthread_mutex_lock(&p->sig_lock);
	int sig = next_effective_signal(t);
	int policy = -1;
	if (sig && p->sigact[sig].handler > USIG_IGN)
		policy = (p->sigact[sig].flags & SA_RESTART) ? 1 : 0;
	pthread_mutex_unlock(&p->sig_lock);
	return policy;
}

/* Locked: run one signal's action.  Returns with the lock still held. */
static void act_on(struct uthread *t, int sig, uint64_t info[16])
{
	struct uproc *p = t->proc;
	struct uproc_sigaction act = p->sigact[sig];
	if (act.handler == USIG_DFL) {
		if (default_action(sig) == DFL_STOP) {
			pthread_mutex_unlock(&p->sig_lock);
			kill(getpid(), SIGSTOP);
			pthread_mutex_lock(&p->sig_lock);
			return;
		}
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(sig);
	}
	if (p->strace) {
		char line[96];
		int n = snprintf(line, sizeof(line), "[%d] --- signal %d delivered, handler %#llx ---\n",
				 (int)t->tid, sig, (unsigned long long)act.handler);
		if (n > 0)
			(void)!write(2, line, (size_t)n);
	}
	uint64_t saved = t->in_sigsuspend ? t->sigsuspend_mask : t->sigmask;
	t->in_sigsuspend = false;
	if (!usig_frame_push(t, sig, &act, info, saved)) {
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(SIGSEGV);
	}
	t->sigmask = saved | act.mask | ((act.flags & SA_NODEFER) ? 0 : USIG_BIT(sig));
	t->sigmask &= ~USIG_UNBLOCKABLE;
	if (act.flags & SA_RESETHAND)
		p->sigact[sig].handler = USIG_DFL;
}

void usig_deliver_pending(struct uthread *t)
{
	struct uproc *p = t->proc;
	usig_collect_async(p);
	if (!t->sig_pending && !p->sig_pending)
		return;
	pthread_mutex_lock(&p->sig_lock);
	int sig;
	while ((sig = next_effective_signal(t))) {
		uint64_t info[16];
		usig_take_locked(t, sig, info);
		act_on(t, sig, info);
	}
	if (t->in_sigsuspend) {       /* woke for nothing that ran: restore */
		t->sigmask = t->sigsuspend_mask;
		t->in_sigsuspend = false;
	}
	pthread_mutex_unlock(&p->sig_lock);
}

void usig_force(struct uthread *t, int sig, int code, uint64_t addr)
{
	struct uproc *p = t->proc;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = code;
	si.si_addr = (void *)(uintptr_t)addr;
	if (p->strace) {
		char line[160];
		int n = snprintf(line, sizeof(line), "[%d] --- %s {si_code=%d, si_addr=%#llx} pc=%#llx ---\n",
				 (int)t->tid, strsignal(sig), code, (unsigned long long)addr,
				 (unsigned long long)t->cpu.pc);
		if (n > 0)
			(void)!write(2, line, (size_t)n);
	}
	pthread_mutex_lock(&p->sig_lock);
	uint64_t h = p->sigact[sig].handler;
	if (h == USIG_DFL || h == USIG_IGN || (t->sigmask & USIG_BIT(sig))) {
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(sig);
	}
	usig_pend_locked(p, t, sig, &si);
	pthread_mutex_unlock(&p->sig_lock);
	usig_deliver_pending(t);
}

int usig_set_action(struct uproc *p, int sig, const struct uproc_sigaction *act)
{
	pthread_mutex_lock(&p->threads_lock);
	pthread_mutex_lock(&p->sig_lock);
	p->sigact[sig] = *act;
	p->sigact[sig].mask &= ~USIG_UNBLOCKABLE;
	/* Setting SIG_IGN discards what is pending (POSIX). */
	if (usig_would_ignore(p, sig)) {
		usig_drop_locked(p, sig);
	}
	pthread_mutex_unlock(&p->sig_lock);
	pthread_mutex_unlock(&p->threads_lock);
	return set_host_action(sig, act->handler, act->flags);
}

static void mask_to_host(uint64_t mask, sigset_t *set)
{
	sigemptyset(set);
	for (int sig = 1; sig <= USIG_MAX; sig++)
		if ((mask & USIG_BIT(sig)) && !host_reserved(sig))
			sigaddset(set, sig);
}

void usig_prepare_exec(struct uthread *t, sigset_t *saved)
{
	sigset_t set;
	mask_to_host(t->sigmask, &set);
	pthread_sigmask(SIG_SETMASK, &set, saved);
}

void usig_undo_exec(const sigset_t *saved)
{
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

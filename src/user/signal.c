/*
 * Guest signals: pending sets, delivery and the riscv64 signal frame.
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
 *    the same rt_sigframe the riscv64 kernel builds (siginfo, ucontext with
 *    sigcontext = 32 integer slots then the D-extension state) and points
 *    ra at a `li a7,139; ecall` trampoline page, since there is no vDSO.
 *
 * A guest SIG_IGN is mirrored as a host SIG_IGN (so SIGCHLD auto-reaping
 * and ignore-across-exec behave like Linux); every other disposition is
 * our catching handler, installed without SA_RESTART so blocking host
 * calls are interrupted and the guest's SA_RESTART decides.
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

#define USIG_SS_AUTODISARM ((int)0x80000000u)
#define KICK_SIG 64
#define KICK_MAGIC 0x706f706b   /* "popk" */
#define GUEST_SIG_DFL 0
#define GUEST_SIG_IGN 1

/* riscv64 rt_sigframe offsets (siginfo, then ucontext). */
#define FRAME_UC 128
#define UC_STACK 16
#define UC_SIGMASK 40
#define UC_MCONTEXT 176
#define MC_FP 256
#define UC_SIZE 960
#define FRAME_SIZE (FRAME_UC + UC_SIZE)

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

void usig_async_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int saved = errno;
	bool kick = sig == KICK_SIG && si->si_code == SI_QUEUE && si->si_pid == getpid() &&
		    si->si_value.sival_int == KICK_MAGIC;
	if (!kick && sig > 0 && sig <= USIG_MAX) {
		unsigned slot = __atomic_fetch_add(&async_head, 1, __ATOMIC_ACQ_REL) % ASYNC_RING;
		if (!__atomic_load_n(&async_ready[slot], __ATOMIC_ACQUIRE)) {
			async_ring[slot] = *si;
			async_ring[slot].si_signo = sig;
			__atomic_store_n(&async_ready[slot], 1, __ATOMIC_RELEASE);
		}
	}
	struct uthread *t = uthread_self;
	if (t)
		t->cpu.exit_request = 1;
	errno = saved;
}

static bool would_ignore(const struct uproc *p, int sig)
{
	uint64_t h = p->sigact[sig].handler;
	return h == GUEST_SIG_IGN || (h == GUEST_SIG_DFL && (default_action(sig) == DFL_IGNORE ||
							      default_action(sig) == DFL_CONT));
}

/* Locked: add sig to a pending set (standard signals keep the first info). */
static void pend(uint64_t *pending, uint64_t (*slot)[16], struct usig_rtnode **q, int sig,
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
static void unpend(uint64_t *pending, uint64_t (*slot)[16], struct usig_rtnode **q, int sig,
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
static void drop_all(uint64_t *pending, struct usig_rtnode **q, int sig)
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

static int set_host_action(int sig, uint64_t guest_handler, uint64_t guest_flags)
{
	if (host_reserved(sig))
		return 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (guest_handler == GUEST_SIG_IGN && sig != KICK_SIG) {
		sa.sa_handler = SIG_IGN;
	} else {
		sa.sa_sigaction = usig_async_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		/* A signal whose default is to be ignored (SIGCHLD, SIGWINCH...)
		 * must not interrupt host calls: the kernel restarts them with
		 * the right remaining time, which we could not. */
		if (guest_handler == GUEST_SIG_DFL && (default_action(sig) == DFL_IGNORE ||
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
			p->sigact[sig].handler = GUEST_SIG_IGN;   /* inherited across exec */
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
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL);
}

void usig_kick(struct uthread *t)
{
	t->cpu.exit_request = 1;
	if (t == uthread_self || t->exiting)
		return;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = KICK_SIG;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = KICK_MAGIC;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, KICK_SIG, &si);
}

void usig_kick_all(struct uproc *p)
{
	pthread_mutex_lock(&p->threads_lock);
	for (struct uthread *t = p->threads; t; t = t->next)
		usig_kick(t);
	pthread_mutex_unlock(&p->threads_lock);
}

void usig_collect_async(struct uproc *p)
{
	if (__atomic_load_n(&async_head, __ATOMIC_ACQUIRE) == async_tail)
		return;
	int got = 0;
	pthread_mutex_lock(&p->sig_lock);
	for (;;) {
		unsigned slot = async_tail % ASYNC_RING;
		if (!__atomic_load_n(&async_ready[slot], __ATOMIC_ACQUIRE))
			break;
		siginfo_t si = async_ring[slot];
		__atomic_store_n(&async_ready[slot], 0, __ATOMIC_RELEASE);
		async_tail++;
		pend(&p->sig_pending, p->sig_info, &p->rt_queue, si.si_signo, &si);
		got++;
	}
	pthread_mutex_unlock(&p->sig_lock);
	if (got)
		usig_kick_all(p);
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
	if (would_ignore(p, sig) && !(t && (t->sigmask & USIG_BIT(sig)))) {
		pthread_mutex_unlock(&p->sig_lock);
		return;
	}
	if (t)
		pend(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
	else
		pend(&p->sig_pending, p->sig_info, &p->rt_queue, sig, info);
	pthread_mutex_unlock(&p->sig_lock);
	if (t)
		usig_kick(t);
	else
		usig_kick_all(p);
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

static void take_signal(struct uthread *t, int sig, uint64_t info[16])
{
	struct uproc *p = t->proc;
	if (t->sig_pending & USIG_BIT(sig))
		unpend(&t->sig_pending, t->sig_info, &t->rt_queue, sig, info);
	else
		unpend(&p->sig_pending, p->sig_info, &p->rt_queue, sig, info);
}

int usig_take_from_set(struct uthread *t, uint64_t set, uint64_t info[16])
{
	struct uproc *p = t->proc;
	usig_collect_async(p);
	pthread_mutex_lock(&p->sig_lock);
	uint64_t hit = (t->sig_pending | p->sig_pending) & set;
	int sig = hit ? __builtin_ctzll(hit) + 1 : 0;
	if (sig)
		take_signal(t, sig, info);
	pthread_mutex_unlock(&p->sig_lock);
	return sig;
}


/* Drop pending signals that would be ignored; is anything left? Locked. */
static int next_effective_signal(struct uthread *t)
{
	int sig;
	while ((sig = next_signal(t)) && would_ignore(t->proc, sig)) {
		uint64_t info[16];
		take_signal(t, sig, info);
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
	if (sig && p->sigact[sig].handler > GUEST_SIG_IGN)
		policy = (p->sigact[sig].flags & SA_RESTART) ? 1 : 0;
	pthread_mutex_unlock(&p->sig_lock);
	return policy;
}

static bool on_altstack(const struct uthread *t, uint64_t sp)
{
	return t->sigaltstack_size && sp > t->sigaltstack_sp &&
	       sp - t->sigaltstack_sp <= t->sigaltstack_size;
}

static void fill_ucontext(struct uthread *t, uint8_t *uc, uint64_t mask, uint64_t sp)
{
	const struct rv_cpu *c = &t->cpu;
	uint64_t ss[3] = { t->sigaltstack_sp,
			   on_altstack(t, sp) ? SS_ONSTACK : (t->sigaltstack_size ? 0 : SS_DISABLE),
			   t->sigaltstack_size };
	memcpy(uc + UC_STACK, ss, sizeof(ss));
	memcpy(uc + UC_SIGMASK, &mask, 8);
	uint64_t *regs = (uint64_t *)(uc + UC_MCONTEXT);
	regs[0] = c->pc;
	memcpy(&regs[1], &c->x[1], 31 * 8);
	memcpy(uc + UC_MCONTEXT + MC_FP, c->f, 32 * 8);
	uint32_t fcsr = (c->fflags & 0x1f) | (c->frm & 7) << 5;
	memcpy(uc + UC_MCONTEXT + MC_FP + 256, &fcsr, 4);
}

/* Build the frame and enter the handler; false if the stack is unusable. */
static bool setup_frame(struct uthread *t, int sig, const struct uproc_sigaction *act,
			const uint64_t info[16], uint64_t saved_mask)
{
	struct rv_cpu *c = &t->cpu;
	uint64_t sp = c->x[2];
	if ((act->flags & SA_ONSTACK) && t->sigaltstack_size && !on_altstack(t, sp))
		sp = t->sigaltstack_sp + t->sigaltstack_size;
	uint64_t frame = (sp - FRAME_SIZE) & ~15ULL;
	uint8_t *buf = calloc(1, FRAME_SIZE);
	if (!buf)
		return false;
	memcpy(buf, info, 128);
	fill_ucontext(t, buf + FRAME_UC, saved_mask, c->x[2]);
	bool ok = sp >= FRAME_SIZE && uproc_write(t->proc, frame, buf, FRAME_SIZE) == 0;
	free(buf);
	if (!ok)
		return false;
	c->x[1] = t->proc->sigreturn_tramp;
	c->x[2] = frame;
	c->x[10] = (uint64_t)sig;
	c->x[11] = frame;
	c->x[12] = frame + FRAME_UC;
	c->pc = act->handler;
	c->res_valid = false;
	if ((t->sigaltstack_flags & USIG_SS_AUTODISARM) && on_altstack(t, frame + 1)) {
		t->sigaltstack_sp = 0;
		t->sigaltstack_size = 0;
	}
	return true;
}

/* Locked: run one signal's action.  Returns with the lock still held. */
static void act_on(struct uthread *t, int sig, uint64_t info[16])
{
	struct uproc *p = t->proc;
	struct uproc_sigaction act = p->sigact[sig];
	if (act.handler == GUEST_SIG_DFL) {
		if (default_action(sig) == DFL_STOP) {
			pthread_mutex_unlock(&p->sig_lock);
			kill(getpid(), SIGSTOP);
			pthread_mutex_lock(&p->sig_lock);
			return;
		}
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(sig);
	}
	uint64_t saved = t->in_sigsuspend ? t->sigsuspend_mask : t->sigmask;
	t->in_sigsuspend = false;
	if (!setup_frame(t, sig, &act, info, saved)) {
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(SIGSEGV);
	}
	t->sigmask = saved | act.mask | ((act.flags & SA_NODEFER) ? 0 : USIG_BIT(sig));
	t->sigmask &= ~USIG_UNBLOCKABLE;
	if (act.flags & SA_RESETHAND)
		p->sigact[sig].handler = GUEST_SIG_DFL;
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
		take_signal(t, sig, info);
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
	if (h == GUEST_SIG_DFL || h == GUEST_SIG_IGN || (t->sigmask & USIG_BIT(sig))) {
		pthread_mutex_unlock(&p->sig_lock);
		usig_die(sig);
	}
	pend(&t->sig_pending, t->sig_info, &t->rt_queue, sig, &si);
	pthread_mutex_unlock(&p->sig_lock);
	usig_deliver_pending(t);
}

long usig_sigreturn(struct uthread *t)
{
	struct rv_cpu *c = &t->cpu;
	uint8_t uc[UC_SIZE];
	if (uproc_read(t->proc, uc, c->x[2] + FRAME_UC, sizeof(uc)))
		usig_die(SIGSEGV);
	const uint64_t *regs = (const uint64_t *)(uc + UC_MCONTEXT);
	c->pc = regs[0];
	memcpy(&c->x[1], &regs[1], 31 * 8);
	c->x[0] = 0;
	memcpy(c->f, uc + UC_MCONTEXT + MC_FP, 32 * 8);
	uint32_t fcsr;
	memcpy(&fcsr, uc + UC_MCONTEXT + MC_FP + 256, 4);
	c->fflags = fcsr & 0x1f;
	c->frm = (fcsr >> 5) & 7;
	c->res_valid = false;
	uint64_t mask;
	memcpy(&mask, uc + UC_SIGMASK, 8);
	pthread_mutex_lock(&t->proc->sig_lock);
	t->sigmask = mask & ~USIG_UNBLOCKABLE;
	pthread_mutex_unlock(&t->proc->sig_lock);
	t->regs_set = true;
	return (long)c->x[10];
}

int usig_set_action(struct uproc *p, int sig, const struct uproc_sigaction *act)
{
	pthread_mutex_lock(&p->sig_lock);
	p->sigact[sig] = *act;
	p->sigact[sig].mask &= ~USIG_UNBLOCKABLE;
	/* Setting SIG_IGN discards what is pending (POSIX). */
	if (would_ignore(p, sig)) {
		drop_all(&p->sig_pending, &p->rt_queue, sig);
		for (struct uthread *t = p->threads; t; t = t->next)
			drop_all(&t->sig_pending, &t->rt_queue, sig);
	}
	pthread_mutex_unlock(&p->sig_lock);
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

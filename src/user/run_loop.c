/*
 * The per-thread run loop of the process VM: run guest code with the
 * execution core, then decide what each exit means.
 *
 *   ECALL      -> uproc_syscall; result in a0, pc past the ecall, or the
 *                 ecall again when an interrupted call must restart;
 *   faults     -> guest SIGSEGV/SIGBUS with the faulting address;
 *   ILLEGAL    -> SIGILL, EBREAK -> SIGTRAP, MISALIGNED -> SIGBUS;
 *   INTERRUPT  -> nothing here: pending signals are delivered at the top of
 *                 every iteration, which is a block boundary.
 */
#include <errno.h>
#include <signal.h>
#include <sys/mman.h>

#include "rv64/dbt/dbt.h"
#include "user/uproc_priv.h"

__thread struct uthread *uthread_self;

/* Calls Linux never restarts after a handler ran (-ERESTARTNOHAND and
 * friends): they report EINTR even with SA_RESTART. */
static bool restart_only_without_handler(uint64_t nr)
{
	switch (nr) {
	case 22:  /* epoll_pwait */
	case 72:  /* pselect6 */
	case 73:  /* ppoll */
	case 101: /* nanosleep */
	case 115: /* clock_nanosleep */
	case 133: /* rt_sigsuspend */
	case 137: /* rt_sigtimedwait */
	case 441: /* epoll_pwait2 */
		return true;
	default:
		return false;
	}
}

static void do_ecall(struct uthread *t)
{
	struct rv_cpu *c = &t->cpu;
	uint64_t nr = c->x[17], orig_a0 = c->x[10];
	/* A signal that arrived during the block ending in this ecall would
	 * otherwise wait until a blocking call returns: take it first, as if
	 * it had come just before the ecall (which then runs after it). */
	if (c->exit_request && usig_have_deliverable(t))
		return;
	t->regs_set = false;
	long r = uproc_syscall(t);
	if (t->exiting || t->regs_set)
		return;
	if (r == -EINTR && !t->in_sigsuspend) {
		int policy = usig_restart_policy(t);
		if (policy < 0 || (policy > 0 && !restart_only_without_handler(nr))) {
			c->x[10] = orig_a0;   /* pc stays on the ecall */
			return;
		}
	}
	c->x[10] = (uint64_t)r;
	c->pc += 4;
}

static void memory_fault(struct uthread *t, uint64_t addr)
{
	struct uproc *p = t->proc;
	if (fault_last_signo == SIGBUS) {
		usig_force(t, SIGBUS, BUS_ADRERR, addr);
		return;
	}
	pthread_mutex_lock(&p->mm_lock);
	bool mapped = addr < UPROC_WINDOW && vma_find(p, addr);
	pthread_mutex_unlock(&p->mm_lock);
	usig_force(t, SIGSEGV, mapped ? SEGV_ACCERR : SEGV_MAPERR, addr);
}

static void handle_exit(struct uthread *t, enum rv_exit e)
{
	struct rv_cpu *c = &t->cpu;
	switch (e) {
	case RV_EXIT_ECALL:
		do_ecall(t);
		break;
	case RV_EXIT_FETCH_FAULT:
	case RV_EXIT_LOAD_FAULT:
	case RV_EXIT_STORE_FAULT:
		memory_fault(t, c->tval);
		break;
	case RV_EXIT_ILLEGAL:
		usig_force(t, SIGILL, ILL_ILLOPC, c->pc);
		break;
	case RV_EXIT_EBREAK:
		usig_force(t, SIGTRAP, TRAP_BRKPT, c->pc);
		break;
	case RV_EXIT_MISALIGNED:
		usig_force(t, SIGBUS, BUS_ADRALN, c->tval);
		break;
	default:   /* INTERRUPT: signals are looked at by the caller */
		break;
	}
}

int uthread_run(struct uthread *t)
{
	struct rv_cpu *c = &t->cpu;
	uthread_self = t;
	while (!t->exiting) {
		c->exit_request = 0;
		if (t->flush_code) {
			t->flush_code = 0;
			rv_code_flush(c, 0, UINT64_MAX);
		}
		usig_deliver_pending(t);
		fault_last_signo = 0;
		handle_exit(t, rv_user_engine_dbt ? rv_run_user_dbt(c) : rv_run_user(c));
	}
	return t->exit_code;
}

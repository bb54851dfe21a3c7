/*
 * Host SIGSEGV/SIGBUS: the guest MMU.
 *
 * Guest memory is the host window, so a guest access to an unmapped or
 * protected page faults on the host.  When the faulting thread is inside
 * guest code and the address is in the window, the fault becomes a guest
 * fault (rv_cpu_host_fault unwinds into the core, which returns a FAULT
 * exit to the run loop).  When popek itself was copying guest memory
 * (window.c), the copy is abandoned with -EFAULT.  Anything else is a bug in
 * popek: one diagnostic line and abort.  A SIGSEGV sent by kill(1) is not a
 * fault at all and is treated as an ordinary asynchronous signal.
 *
 * The handlers run on a per-thread alternate stack so that even a popek
 * stack overflow produces the diagnostic.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "rv64/fpu_fast.h"
#include <unistd.h>

#include "user/uproc_priv.h"

#define ALTSTACK_SIZE (256 * 1024)

__thread sigjmp_buf *fault_copy_jmp;
__thread int fault_last_signo;


static bool in_window(uintptr_t addr)
{
	struct uproc *p = uproc_current;
	uintptr_t w = (uintptr_t)(p ? p->window : NULL);
	return p && addr >= w && addr - w < UPROC_WINDOW + UPROC_GUARD;
}

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	if (si->si_code <= 0) {          /* sent by someone, not a fault */
		usig_async_handler(sig, si, ucv);
		return;
	}
	uintptr_t addr = (uintptr_t)si->si_addr;
	ucontext_t *uc = ucv;
	if (in_window(addr) && rv_in_guest && rv_current_cpu) {
		bool is_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
		fault_last_signo = sig;
		/* FP flags the guest accrued in MXCSR (fpu_fast.h) live in the
		 * signal frame's copy, which unwinding throws away. */
		if (uc->uc_mcontext.fpregs)
			rv_current_cpu->fflags |= fpu_flags_from_mxcsr(uc->uc_mcontext.fpregs->mxcsr);
		rv_cpu_host_fault(rv_current_cpu, addr - (uintptr_t)uproc_current->window, is_write);
	}
	if (in_window(addr) && fault_copy_jmp)
		siglongjmp(*fault_copy_jmp, 1);
	char line[160];
	int n = snprintf(line, sizeof(line),
			 "popek: internal error: %s at host address %p (pc %p)\n",
			 sig == SIGBUS ? "SIGBUS" : "SIGSEGV", si->si_addr,
			 (void *)uc->uc_mcontext.gregs[REG_RIP]);
	if (n > 0)
		(void)!write(2, line, (size_t)n);
	signal(SIGABRT, SIG_DFL);
	abort();
}

int fault_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	/* SA_NODEFER: we leave the handler by siglongjmp without restoring the
	 * mask, so the signal must not stay blocked. */
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -errno;
	return 0;
}

int fault_thread_init(struct uthread *t)
{
	void *mem = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -errno;
	stack_t ss = { .ss_sp = mem, .ss_size = ALTSTACK_SIZE, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL)) {
		int err = -errno;
		munmap(mem, ALTSTACK_SIZE);
		return err;
	}
	t->host_altstack = mem;
	return 0;
}

void fault_thread_fini(struct uthread *t)
{
	if (!t->host_altstack)
		return;
	stack_t ss = { .ss_flags = SS_DISABLE };
	sigaltstack(&ss, NULL);
	munmap(t->host_altstack, ALTSTACK_SIZE);
	t->host_altstack = NULL;
}

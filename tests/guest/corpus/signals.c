/*
 * Signal delivery without timing: sigaction handlers with SA_SIGINFO,
 * raise and kill to ourselves, blocking with sigprocmask (the signal stays
 * pending, then arrives on unblock), sa_mask during a handler, SA_RESETHAND,
 * SA_NODEFER, a handler on an alternate stack, siglongjmp out of a SIGSEGV
 * handler after touching a PROT_NONE page, and sigsuspend/sigwaitinfo.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65];
static volatile int last_code, last_signo, nested_depth, max_depth;
static volatile int usr2_blocked_in_handler;
static volatile uintptr_t fault_addr;
static volatile int on_altstack;
static sigjmp_buf jump;
static char *altstack;
static size_t altstack_size;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_signo = si->si_signo;
	last_code = si->si_code;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr2_blocked_in_handler = sigismember(&cur, SIGUSR2);
}

static void on_nested(int sig)
{
	hits[sig]++;
	nested_depth++;
	if (nested_depth > max_depth)
		max_depth = nested_depth;
	if (nested_depth < 3)
		raise(sig);          /* SA_NODEFER: delivered again, right here */
	nested_depth--;
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	fault_addr = (uintptr_t)si->si_addr;
	last_code = si->si_code;
	char here;
	on_altstack = &here >= altstack && &here < altstack + altstack_size;
	siglongjmp(jump, 1);
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int mask_sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	if (mask_sig)
		sigaddset(&sa.sa_mask, mask_sig);
	if (sigaction(sig, &sa, NULL) != 0)
		printf("sigaction %d failed\n", sig);
}

static void basic_delivery(void)
{
	install(SIGUSR1, on_info, 0, SIGUSR2);
	raise(SIGUSR1);
	printf("raise: hits=%d signo=%d code-is-tkill=%d usr2-masked-in-handler=%d\n",
	       hits[SIGUSR1], last_signo, last_code == SI_TKILL, usr2_blocked_in_handler);
	kill(getpid(), SIGUSR1);
	printf("kill: hits=%d code-is-user=%d\n", hits[SIGUSR1], last_code == SI_USER);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("usr2 masked after handler: %d\n", sigismember(&cur, SIGUSR2));
}

static void blocking(void)
{
	sigset_t set, old, pend;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);   /* standard signals do not queue: one delivery */
	sigpending(&pend);
	printf("blocked: hits=%d pending=%d\n", hits[SIGUSR1], sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: hits=%d\n", hits[SIGUSR1]);
	sigpending(&pend);
	printf("pending after: %d\n", sigismember(&pend, SIGUSR1));

	/* Real-time signals queue: three raises, three deliveries. */
	install(SIGRTMIN + 2, on_info, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (int i = 0; i < 3; i++)
		raise(SIGRTMIN + 2);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("rt queued: hits=%d\n", hits[SIGRTMIN + 2]);
}

static void flags(void)
{
	struct sigaction sa, got;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_nested;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	printf("nodefer: hits=%d max depth=%d\n", hits[SIGUSR2], max_depth);

	install(SIGHUP, on_info, SA_RESETHAND, 0);
	raise(SIGHUP);
	sigaction(SIGHUP, NULL, &got);
	printf("resethand: hits=%d now default=%d\n", hits[SIGHUP], got.sa_handler == SIG_DFL);

	signal(SIGWINCH, SIG_IGN);
	raise(SIGWINCH);
	printf("ignored signal survived\n");
}

static void segv_on_altstack(void)
{
	altstack_size = SIGSTKSZ * 4;
	altstack = malloc(altstack_size);
	stack_t ss = { .ss_sp = altstack, .ss_size = altstack_size, .ss_flags = 0 };
	if (sigaltstack(&ss, NULL) != 0)
		printf("sigaltstack failed\n");
	install(SIGSEGV, on_segv, SA_ONSTACK, 0);
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p + pg, (size_t)pg, PROT_READ);
	if (sigsetjmp(jump, 1) == 0) {
		((volatile char *)p)[pg + 100] = 1;     /* write to a read-only page */
		printf("no fault?\n");
	}
	printf("segv: hits=%d addr-ok=%d accerr=%d altstack=%d\n", hits[SIGSEGV],
	       fault_addr == (uintptr_t)(p + pg + 100), last_code == SEGV_ACCERR, on_altstack);
	munmap(p + pg, (size_t)pg);
	if (sigsetjmp(jump, 1) == 0) {
		(void)((volatile char *)p)[pg + 8];     /* read an unmapped page */
		printf("no fault?\n");
	}
	printf("segv: hits=%d addr-ok=%d maperr=%d\n", hits[SIGSEGV],
	       fault_addr == (uintptr_t)(p + pg + 8), last_code == SEGV_MAPERR);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("segv unmasked after siglongjmp: %d\n", !sigismember(&cur, SIGSEGV));
}

static void waiting(void)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	siginfo_t si;
	int s = sigwaitinfo(&set, &si);
	printf("sigwaitinfo: %d signo=%d handler-hits=%d\n", s, si.si_signo, hits[SIGUSR1]);

	raise(SIGUSR1);
	sigset_t wait_mask = old;
	sigdelset(&wait_mask, SIGUSR1);
	int before = hits[SIGUSR1];
	sigsuspend(&wait_mask);         /* returns after the pending SIGUSR1 runs */
	printf("sigsuspend: delivered=%d\n", hits[SIGUSR1] - before);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	basic_delivery();
	blocking();
	flags();
	segv_on_altstack();
	waiting();
	return 0;
}

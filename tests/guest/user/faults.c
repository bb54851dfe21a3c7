/* Memory faults as guest signals.
 *   recover  : SIGSEGV handler + siglongjmp, twice (unmapped and read-only),
 *              checking si_addr and si_code
 *   null     : plain NULL store, no handler (the shell sees 139)
 *   rodata   : write to a PROT_READ page, no handler
 *   ill      : SIGILL handler for an illegal instruction (si_addr = pc)
 *   ill-dfl  : illegal instruction, no handler
 *   ebreak   : SIGTRAP handler for ebreak
 *   blocked  : SIGSEGV while SIGSEGV is blocked: still kills */
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf env;
/* Hide the constant addresses from the compiler's bounds warnings. */
static int *volatile null_ptr = 0;
static int *volatile low_ptr = (int *)8;
static volatile int got_sig, got_code;
static void *volatile got_addr;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(env, 1);
}

static void install(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

extern char illegal_insn[], ebreak_insn[];
__attribute__((noinline, noclone)) static void do_illegal(void)
{
	__asm__ volatile(".globl illegal_insn\nillegal_insn: .word 0\n");
}
__attribute__((noinline, noclone)) static void do_ebreak(void)
{
	__asm__ volatile(".globl ebreak_insn\nebreak_insn: ebreak\n");
}

static int recover(void)
{
	install(SIGSEGV);
	volatile int *bad = (int *)0x10;
	if (!sigsetjmp(env, 1)) {
		*bad = 1;
		CHECK(!"store to 0x10 did not fault");
	}
	CHECK(got_sig == SIGSEGV && got_addr == (void *)0x10 && got_code == SEGV_MAPERR);
	printf("segv maperr ok\n");

	long pg = sysconf(_SC_PAGESIZE);
	char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(ro != MAP_FAILED);
	got_sig = 0;
	if (!sigsetjmp(env, 1)) {
		ro[5] = 1;
		CHECK(!"store to read-only page did not fault");
	}
	CHECK(got_sig == SIGSEGV && got_addr == ro + 5 && got_code == SEGV_ACCERR);
	printf("segv accerr ok\n");

	/* The mask was restored by siglongjmp: a third fault is delivered too. */
	got_sig = 0;
	if (!sigsetjmp(env, 1))
		*(volatile char *)ro = (char)*null_ptr;
	CHECK(got_sig == SIGSEGV);
	printf("segv again ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "recover";
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(mode, "recover"))
		return recover();
	if (!strcmp(mode, "null")) {
		*null_ptr = 1;
		return 0;
	}
	if (!strcmp(mode, "rodata")) {
		char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ro[0] = 1;
		return 0;
	}
	if (!strcmp(mode, "ill") || !strcmp(mode, "ebreak")) {
		bool ill = !strcmp(mode, "ill");
		install(ill ? SIGILL : SIGTRAP);
		if (!sigsetjmp(env, 1)) {
			if (ill)
				do_illegal();
			else
				do_ebreak();
		}
		CHECK(got_sig == (ill ? SIGILL : SIGTRAP));
		CHECK(got_addr == (void *)(ill ? illegal_insn : ebreak_insn));
		if (ill)
			CHECK(got_code == ILL_ILLOPC);
		printf("%s ok\n", mode);
		return 0;
	}
	if (!strcmp(mode, "ill-dfl")) {
		do_illegal();
		return 0;
	}
	if (!strcmp(mode, "blocked")) {
		install(SIGSEGV);
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGSEGV);
		sigprocmask(SIG_BLOCK, &s, NULL);
		*low_ptr = 1;
		return 0;
	}
	return 2;
}

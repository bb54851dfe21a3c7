/*
 * The main thread's stack: deep recursion that uses most of the default
 * 8 MiB limit must work (the stack grows on demand), a large alloca must
 * work, threads get usable stacks of the size asked for, and runaway
 * recursion must end in a SIGSEGV that a handler on an alternate stack can
 * catch (the stack has a limit and a guard, not unbounded growth into
 * other mappings).
 */
#define _GNU_SOURCE
#include <alloca.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static sigjmp_buf escape;
static volatile int overflow_caught;

/* Each frame holds a 1 KiB buffer the compiler cannot drop. */
static uint64_t recurse(int depth, uint64_t acc)
{
	volatile char frame[1024];
	frame[0] = (char)depth;
	frame[1023] = (char)(depth >> 8);
	if (depth == 0)
		return acc;
	return recurse(depth - 1, acc * 31 + (unsigned char)frame[0]) + (unsigned char)frame[1023];
}

static volatile uint64_t runaway_limit = UINT64_MAX;   /* never reached */

static uint64_t runaway(uint64_t n)
{
	volatile char frame[4096];
	frame[0] = (char)n;
	if (n == runaway_limit)
		return 0;
	return runaway(n + 1) + (unsigned char)frame[0];
}

static void on_segv(int sig)
{
	(void)sig;
	overflow_caught = 1;
	siglongjmp(escape, 1);
}

static void *thread_body(void *arg)
{
	size_t bytes = (size_t)arg;
	char *p = alloca(bytes);
	memset(p, 0x5a, bytes);
	uint64_t s = 0;
	for (size_t i = 0; i < bytes; i += 4096)
		s += (unsigned char)p[i];
	return (void *)(uintptr_t)s;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 8u << 20) {
		printf("stack limit below 8 MiB\n");
		return 1;
	}
	printf("deep recursion (6000 x 1 KiB): %016llx\n", (unsigned long long)recurse(6000, 1));
	char *big = alloca(2 << 20);
	memset(big, 1, 2 << 20);
	printf("alloca 2 MiB: %d\n", big[(2 << 20) - 1]);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 4 << 20);
	pthread_t t;
	pthread_create(&t, &attr, thread_body, (void *)(uintptr_t)(3 << 20));
	void *ret;
	pthread_join(t, &ret);
	printf("thread with 4 MiB stack used 3 MiB: %lu\n", (unsigned long)(uintptr_t)ret);

	stack_t ss = { .ss_sp = malloc(1 << 16), .ss_size = 1 << 16, .ss_flags = 0 };
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	if (sigsetjmp(escape, 1) == 0)
		printf("runaway returned %llu?\n", (unsigned long long)runaway(0));
	printf("runaway recursion caught: %d\n", overflow_caught);
	return 0;
}

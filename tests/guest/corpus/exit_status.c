/*
 * How a process ends, selected by argv[1]; the test compares the exit
 * status (or the terminating signal) of the native run with popek's:
 *   exit N          exit(N) after flushing stdio
 *   _exit N         _exit(N): buffered stdout is lost
 *   return N        return from main
 *   abort           SIGABRT (raised by abort)
 *   segv            a write through a null pointer (SIGSEGV, no handler)
 *   ill             an illegal instruction (SIGILL)
 *   kill SIG        kill(getpid(), SIG)
 *   thread-exit N   exit(N) from a second thread while main waits
 *   main-exit N     main returns N while other threads still run
 *   many-args       print argc and a checksum of every argument and env var
 * With no argument it runs the many-args mode.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int status_arg;

static void *exiting_thread(void *arg)
{
	(void)arg;
	printf("thread exiting with %d\n", status_arg);
	exit(status_arg);
}

static void *spinning_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void crash_illegal(void)
{
#if defined(__riscv)
	__asm__ volatile(".4byte 0x0000006b");     /* a reserved opcode */
#elif defined(__x86_64__)
	__asm__ volatile("ud2");
#endif
}

static uint32_t checksum(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int many_args(int argc, char **argv)
{
	uint32_t h = 0;
	size_t total = 0;
	for (int i = 1; i < argc; i++) {
		h = h * 31 + checksum(argv[i]);
		total += strlen(argv[i]);
	}
	printf("argc %d total length %zu checksum %08x\n", argc, total, h);
	const char *big = getenv("POPEK_BIG_ENV");
	printf("big env length %zu checksum %08x\n", big ? strlen(big) : 0, big ? checksum(big) : 0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "many-args";
	int n = argc > 2 ? atoi(argv[2]) : 0;
	status_arg = n;
	printf("mode %s\n", mode);
	if (!strcmp(mode, "exit"))
		exit(n);
	if (!strcmp(mode, "_exit"))
		_exit(n);           /* stdout is a pipe: "mode" line is still buffered and lost */
	if (!strcmp(mode, "return"))
		return n;
	fflush(stdout);
	if (!strcmp(mode, "abort"))
		abort();
	if (!strcmp(mode, "segv")) {
		volatile int *volatile p = NULL;
		*p = 1;
	}
	if (!strcmp(mode, "ill"))
		crash_illegal();
	if (!strcmp(mode, "kill"))
		kill(getpid(), n);
	if (!strcmp(mode, "thread-exit")) {
		pthread_t t;
		pthread_create(&t, NULL, exiting_thread, NULL);
		pthread_join(t, NULL);
	}
	if (!strcmp(mode, "main-exit")) {
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, spinning_thread, NULL);
		printf("main returns %d with threads running\n", n);
		return n;
	}
	if (!strcmp(mode, "many-args"))
		return many_args(argc, argv);
	printf("still alive\n");
	return 99;
}

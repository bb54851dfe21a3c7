/* Threads: pthread create/join, a mutex-protected counter, a condition
 * variable hand-off, thread-local storage, pthread_kill to one thread,
 * gettid differing per thread, and exit_group from a non-main thread
 * ("exit-from-thread N"). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define NTHREADS 8
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value;
static volatile int usr1_tid;

static void *worker(void *arg)
{
	tls_value = (int)(long)arg;
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	CHECK(tls_value == (int)(long)arg);
	return (void *)(long)syscall(SYS_gettid);
}

static void *waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)42;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1_tid = (int)syscall(SYS_gettid);
}

static void *sleeper(void *arg)
{
	*(volatile int *)arg = (int)syscall(SYS_gettid);
	while (!usr1_tid)
		usleep(1000);
	return NULL;
}

static void *exiter(void *arg)
{
	exit((int)(long)arg);
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "exit-from-thread")) {
		pthread_t t;
		pthread_create(&t, NULL, exiter, (void *)(long)atoi(argv[2]));
		for (;;)
			pause();
	}
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
	long tids[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		void *r;
		CHECK(pthread_join(t[i], &r) == 0);
		tids[i] = (long)r;
		CHECK(tids[i] != getpid());
	}
	CHECK(counter == (long)NTHREADS * ITERS);
	printf("counter=%ld\n", counter);

	pthread_t w;
	CHECK(pthread_create(&w, NULL, waiter, NULL) == 0);
	usleep(10000);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	void *r;
	CHECK(pthread_join(w, &r) == 0 && r == (void *)42);
	printf("condvar ok\n");

	signal(SIGUSR1, on_usr1);
	volatile int sleeper_tid = 0;
	pthread_t s;
	CHECK(pthread_create(&s, NULL, sleeper, (void *)&sleeper_tid) == 0);
	while (!sleeper_tid)
		usleep(1000);
	CHECK(pthread_kill(s, SIGUSR1) == 0);
	CHECK(pthread_join(s, NULL) == 0);
	CHECK(usr1_tid == sleeper_tid);
	printf("pthread_kill ok\n");
	return 0;
}

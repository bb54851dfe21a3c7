/* Threads: pthread create/join, a mutex-protected counter, a condition
 * variable hand-off, thread-local storage, pthread_kill to one thread,
 * gettid differing per thread, exit_group from a non-main thread
 * ("exit-from-thread N"), many short-lived threads ("many N"), and
 * threads contending on a mutex while signalling each other ("storm"). */
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

static void *short_lived(void *arg)
{
	__atomic_fetch_add((long *)arg, 1, __ATOMIC_RELAXED);
	return NULL;
}

static int many(int n)
{
	long done = 0;
	for (int i = 0; i < n; i += 16) {
		pthread_t t[16];
		for (int j = 0; j < 16; j++)
			CHECK(pthread_create(&t[j], NULL, short_lived, &done) == 0);
		for (int j = 0; j < 16; j++)
			CHECK(pthread_join(t[j], NULL) == 0);
	}
	printf("many=%ld\n", done);
	return 0;
}

#define STORM 6
static pthread_t storm_threads[STORM];
static volatile int storm_go, storm_done;
static volatile long storm_hits;
static __thread int storm_me;

static void storm_handler(int sig)
{
	(void)sig;
	__atomic_fetch_add(&storm_hits, 1, __ATOMIC_RELAXED);
}

static void *storm_worker(void *arg)
{
	storm_me = (int)(long)arg;
	while (!storm_go)
		usleep(100);
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 100 == 0)
			pthread_kill(storm_threads[(storm_me + 1) % STORM], SIGUSR1);
	}
	/* Stay alive until nobody can signal us any more: pthread_kill on a
	 * joined thread is undefined (its stack may be gone). */
	__atomic_add_fetch(&storm_done, 1, __ATOMIC_SEQ_CST);
	while (storm_done < STORM)
		usleep(100);
	return NULL;
}

/* Interrupted futex waits must restart (SA_RESTART) without losing a wakeup. */
static int storm(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = storm_handler;
	sa.sa_flags = SA_RESTART;
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	for (long i = 0; i < STORM; i++)
		CHECK(pthread_create(&storm_threads[i], NULL, storm_worker, (void *)i) == 0);
	storm_go = 1;
	for (int i = 0; i < STORM; i++)
		CHECK(pthread_join(storm_threads[i], NULL) == 0);
	printf("storm counter=%ld hits=%d\n", counter, storm_hits > 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "storm"))
		return storm();
	if (argc > 2 && !strcmp(argv[1], "many"))
		return many(atoi(argv[2]));
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

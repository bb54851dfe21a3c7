/*
 * Threads meet signals: pthread_kill to each thread runs the handler on
 * that thread, per-thread signal masks steer a process-directed signal to
 * the one thread that does not block it, pthread_cancel (which glibc
 * implements with a real-time signal) ends a thread blocked in a
 * cancellation point, sigwait in a dedicated thread, and a semaphore
 * relay through many threads.  Output is deterministic by construction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { NT = 4 };

static __thread int my_index = -1;
static _Atomic int handled_by[NT + 1];
static _Atomic int usr2_deliveries, usr2_thread = -1;
static pthread_barrier_t ready, done;

static void on_usr1(int sig)
{
	(void)sig;
	if (my_index >= 0)
		handled_by[my_index]++;
}

static void on_usr2(int sig)
{
	(void)sig;
	usr2_deliveries++;
	usr2_thread = my_index;
}

static void *worker(void *arg)
{
	my_index = (int)(long)arg;
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	/* only thread 2 accepts process-directed SIGUSR2 */
	pthread_sigmask(my_index == 2 ? SIG_UNBLOCK : SIG_BLOCK, &m, NULL);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);   /* signals arrive while we wait here */
	return NULL;
}

static void directed_signals(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &m, NULL);    /* main blocks SIGUSR2 too */
	my_index = NT;
	pthread_barrier_init(&ready, NULL, NT + 1);
	pthread_barrier_init(&done, NULL, NT + 1);
	pthread_t t[NT];
	for (long i = 0; i < NT; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	pthread_barrier_wait(&ready);
	for (int i = 0; i < NT; i++)
		for (int k = 0; k <= i; k++) {
			pthread_kill(t[i], SIGUSR1);
			while (handled_by[i] < k + 1)   /* standard signals do not queue */
				sched_yield();
		}
	kill(getpid(), SIGUSR2);
	while (usr2_deliveries == 0)
		sched_yield();
	pthread_barrier_wait(&done);
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NT; i++)
		printf("thread %d handled SIGUSR1 %d times\n", i, (int)handled_by[i]);
	printf("main handled %d; SIGUSR2 delivered %d time(s) to thread %d\n",
	       (int)handled_by[NT], (int)usr2_deliveries, (int)usr2_thread);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
}

static void *blocked_reader(void *arg)
{
	int fd = *(int *)arg;
	char c;
	read(fd, &c, 1);            /* a cancellation point that never returns */
	return (void *)1;
}

static void cancellation(void)
{
	int p[2];
	pipe(p);
	pthread_t t;
	pthread_create(&t, NULL, blocked_reader, &p[0]);
	usleep(10000);
	int r = pthread_cancel(t);
	void *ret;
	pthread_join(t, &ret);
	printf("cancel %d, joined canceled: %d\n", r, ret == PTHREAD_CANCELED);
	close(p[0]);
	close(p[1]);
}

static void *waiter(void *arg)
{
	sigset_t *set = arg;
	int sig = 0, total = 0;
	for (int i = 0; i < 3; i++) {
		sigwait(set, &sig);
		total += sig;
	}
	return (void *)(long)total;
}

static void sigwait_thread(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 3);
	pthread_sigmask(SIG_BLOCK, &set, NULL);  /* inherited by the waiter */
	pthread_t t;
	pthread_create(&t, NULL, waiter, &set);
	for (int i = 0; i < 3; i++) {
		union sigval v = { .sival_int = i };
		pthread_sigqueue(t, SIGRTMIN + 3, v);
	}
	void *ret;
	pthread_join(t, &ret);
	printf("sigwait thread collected %ld (3 x SIGRTMIN+3)\n", (long)ret / (SIGRTMIN + 3));
}

static sem_t relay[9];

static void *relay_stage(void *arg)
{
	long i = (long)arg;
	for (int round = 0; round < 500; round++) {
		sem_wait(&relay[i]);
		sem_post(&relay[i + 1]);
	}
	return NULL;
}

static void semaphore_relay(void)
{
	for (int i = 0; i < 9; i++)
		sem_init(&relay[i], 0, 0);
	pthread_t t[8];
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, relay_stage, (void *)i);
	for (int round = 0; round < 500; round++) {
		sem_post(&relay[0]);
		sem_wait(&relay[8]);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	printf("relay through 8 threads: 500 rounds done\n");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	directed_signals();
	cancellation();
	sigwait_thread();
	semaphore_relay();
	return 0;
}

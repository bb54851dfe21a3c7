/*
 * Threads with deterministic output: a mutex-protected shared counter, C11
 * atomics (LR/SC or AMO in the guest), thread-local storage, a condition
 * variable ping-pong with a strict turn order, a barrier, thread return
 * values through pthread_join, and detached-thread-free exit.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

enum { NTHREADS = 4, ITERS = 20000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t shared_counter;
static _Atomic uint64_t atomic_counter;
static _Atomic uint32_t atomic_bits;
static __thread uint64_t tls_value = 5;
static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	tls_value += id * 1000;               /* each thread sees its own copy */
	uint64_t local = 0;
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		shared_counter += id + 1;
		pthread_mutex_unlock(&lock);
		atomic_fetch_add(&atomic_counter, 2);
		atomic_fetch_or(&atomic_bits, 1u << (id * 8 + (unsigned)(i & 7)));
		local += (uint64_t)i * (id + 1);
	}
	uint64_t expected = 0;
	while (!atomic_compare_exchange_weak(&atomic_counter, &expected, expected + 1))
		;   /* CAS loop: one extra increment per thread */
	return (void *)(uintptr_t)(local + tls_value);
}

/* Two threads take strict turns through a condition variable. */
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static int turn, rounds_done;
static char transcript[256];
static int transcript_len;

static void *pingpong(void *arg)
{
	int me = (int)(uintptr_t)arg;
	for (int r = 0; r < 20; r++) {
		pthread_mutex_lock(&lock);
		while (turn != me)
			pthread_cond_wait(&turn_cv, &lock);
		transcript[transcript_len++] = me ? 'B' : 'A';
		rounds_done++;
		turn = !me;
		pthread_cond_broadcast(&turn_cv);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t th[NTHREADS];
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (uintptr_t i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
			printf("pthread_create failed\n");
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		printf("thread %d returned %" PRIu64 "\n", i, (uint64_t)(uintptr_t)ret);
	}
	printf("mutex counter %" PRIu64 "\n", shared_counter);
	printf("atomic counter %" PRIu64 "\n", (uint64_t)atomic_load(&atomic_counter));
	printf("atomic bits %08" PRIx32 "\n", (uint32_t)atomic_load(&atomic_bits));
	printf("main tls %" PRIu64 "\n", tls_value);

	pthread_t a, b;
	pthread_create(&a, NULL, pingpong, (void *)0);
	pthread_create(&b, NULL, pingpong, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	transcript[transcript_len] = 0;
	printf("pingpong %d %s\n", rounds_done, transcript);
	pthread_barrier_destroy(&barrier);
	return 0;
}

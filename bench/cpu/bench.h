/*
 * Shared scaffolding for the CPU benchmarks: every program takes an
 * optional workload percentage as argv[1] (default 100, tuned so that 100
 * runs about 1-2 s natively) and prints one checksum line, which the bench
 * script compares between native and emulated runs to catch wrong answers.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdlib.h>

static inline long bench_scale(int argc, char **argv, long full)
{
	long pct = argc > 1 ? atol(argv[1]) : 100;
	if (pct < 1)
		pct = 1;
	long n = full * pct / 100;
	return n > 0 ? n : 1;
}

/* xorshift64*: deterministic data on every host */
static inline uint64_t bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

#endif

/*
 * Sorting: a hand-written quicksort (median of three, insertion sort for
 * small ranges) and a bottom-up merge sort over 64-bit keys, repeated over
 * fresh pseudo-random data.  Data-dependent branches and memory streams.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static void insertion(uint64_t *a, long n)
{
	for (long i = 1; i < n; i++) {
		uint64_t v = a[i];
		long j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void swap(uint64_t *x, uint64_t *y) { uint64_t t = *x; *x = *y; *y = t; }

static void quicksort(uint64_t *a, long n)
{
	while (n > 24) {
		long m = n / 2;
		if (a[m] < a[0]) swap(&a[m], &a[0]);
		if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[m]) swap(&a[n - 1], &a[m]);
		uint64_t pivot = a[m];
		long i = 0, j = n - 1;
		for (;;) {
			while (a[i] < pivot) i++;
			while (a[j] > pivot) j--;
			if (i >= j) break;
			swap(&a[i++], &a[j--]);
		}
		/* recurse into the smaller side, loop on the larger */
		if (j + 1 < n - j - 1) {
			quicksort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quicksort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion(a, n);
}

static void mergesort(uint64_t *a, uint64_t *tmp, long n)
{
	for (long width = 1; width < n; width *= 2) {
		for (long lo = 0; lo < n; lo += 2 * width) {
			long mid = lo + width < n ? lo + width : n;
			long hi = lo + 2 * width < n ? lo + 2 * width : n;
			long i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
			while (i < mid) tmp[k++] = a[i++];
			while (j < hi) tmp[k++] = a[j++];
		}
		memcpy(a, tmp, (size_t)n * sizeof(*a));
	}
}

int main(int argc, char **argv)
{
	enum { N = 1 << 18 };
	static uint64_t a[N], b[N], tmp[N];
	long rounds = bench_scale(argc, argv, 30);
	uint64_t s = 7, sum = 0;
	for (long r = 0; r < rounds; r++) {
		for (long i = 0; i < N; i++)
			a[i] = b[i] = bench_rand(&s) >> (r & 15);   /* some rounds with many ties */
		quicksort(a, N);
		mergesort(b, tmp, N);
		for (long i = 1; i < N; i++)
			if (a[i - 1] > a[i] || a[i] != b[i]) {
				printf("sort: wrong order at %ld\n", i);
				return 1;
			}
		sum = sum * 31 + a[N / 3] + b[N - 1];
	}
	printf("sort rounds=%ld sum=%016" PRIx64 "\n", rounds, sum);
	return 0;
}

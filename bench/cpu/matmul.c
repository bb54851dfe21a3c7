/*
 * Dense double-precision matrix multiply (i-k-j loop order, 256x256),
 * repeated with the result fed back: FP multiply-add throughput and
 * sequential loads/stores.
 */
#include <math.h>
#include <stdio.h>

#include "bench.h"

enum { DIM = 256 };
static double a[DIM][DIM], b[DIM][DIM], c[DIM][DIM];

static void multiply(void)
{
	for (int i = 0; i < DIM; i++) {
		for (int j = 0; j < DIM; j++)
			c[i][j] = 0;
		for (int k = 0; k < DIM; k++) {
			double aik = a[i][k];
			for (int j = 0; j < DIM; j++)
				c[i][j] += aik * b[k][j];
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t s = 3;
	for (int i = 0; i < DIM; i++)
		for (int j = 0; j < DIM; j++) {
			a[i][j] = (double)(bench_rand(&s) % 2000) / 1000.0 - 1.0;
			b[i][j] = (double)(bench_rand(&s) % 2000) / 1000.0 - 1.0;
		}
	long rounds = bench_scale(argc, argv, 400);
	double trace = 0;
	for (long r = 0; r < rounds; r++) {
		multiply();
		/* keep values near 1 (no overflow, no slow subnormals): a = c / max|c| */
		double max = 0;
		for (int i = 0; i < DIM; i++)
			for (int j = 0; j < DIM; j++)
				max = fabs(c[i][j]) > max ? fabs(c[i][j]) : max;
		for (int i = 0; i < DIM; i++)
			for (int j = 0; j < DIM; j++)
				a[i][j] = c[i][j] / max;
		trace = 0;
		for (int i = 0; i < DIM; i++)
			trace += c[i][i];
	}
	printf("matmul rounds=%ld trace=%.12e\n", rounds, trace);
	return 0;
}

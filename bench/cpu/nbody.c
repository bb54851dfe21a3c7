/*
 * N-body gravitation with a symplectic Euler step: FP divide, sqrt and
 * multiply-add over a small set of bodies, the classic benchmark shape.
 */
#include <math.h>
#include <stdio.h>

#include "bench.h"

enum { BODIES = 5 };
struct body { double x, y, z, vx, vy, vz, m; };

static struct body bodies[BODIES] = {
	{ 0, 0, 0, 0, 0, 0, 39.47841760435743 },
	{ 4.84, -1.16, -0.10, 0.606, 2.81, -0.025, 0.037 },
	{ 8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011 },
	{ 12.89, -15.11, -0.22, 1.08, 0.868, -0.010, 0.0017 },
	{ 15.37, -25.91, 0.17, 0.979, 0.594, -0.034, 0.0020 },
};

static void advance(double dt)
{
	for (int i = 0; i < BODIES; i++) {
		struct body *bi = &bodies[i];
		for (int j = i + 1; j < BODIES; j++) {
			struct body *bj = &bodies[j];
			double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			bi->vx -= dx * bj->m * mag; bi->vy -= dy * bj->m * mag; bi->vz -= dz * bj->m * mag;
			bj->vx += dx * bi->m * mag; bj->vy += dy * bi->m * mag; bj->vz += dz * bi->m * mag;
		}
	}
	for (int i = 0; i < BODIES; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void)
{
	double e = 0;
	for (int i = 0; i < BODIES; i++) {
		struct body *b = &bodies[i];
		e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
		for (int j = i + 1; j < BODIES; j++) {
			double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
			e -= b->m * bodies[j].m / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

int main(int argc, char **argv)
{
	long steps = bench_scale(argc, argv, 9000000);
	double e0 = energy();
	for (long i = 0; i < steps; i++)
		advance(0.01);
	printf("nbody steps=%ld energy %.9f -> %.9f\n", steps, e0, energy());
	return 0;
}

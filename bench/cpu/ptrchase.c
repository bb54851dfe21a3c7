/*
 * Pointer chasing through a linked list laid out in a random permutation
 * over 16 MiB: every load depends on the previous one and misses the data
 * caches (and an emulator's software TLB) most of the time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

struct node { struct node *next; uint64_t value; uint64_t pad[2]; };

int main(int argc, char **argv)
{
	enum { N = 1 << 19 };           /* 512 Ki nodes x 32 bytes */
	struct node *nodes = malloc(sizeof(struct node) * N);
	uint32_t *perm = malloc(sizeof(uint32_t) * N);
	if (!nodes || !perm)
		return 1;
	uint64_t s = 11;
	for (uint32_t i = 0; i < N; i++)
		perm[i] = i;
	for (uint32_t i = N - 1; i > 0; i--) {     /* Fisher-Yates: one big cycle order */
		uint32_t j = (uint32_t)(bench_rand(&s) % (i + 1));
		uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
	}
	for (uint32_t i = 0; i < N; i++) {
		nodes[perm[i]].next = &nodes[perm[(i + 1) % N]];
		nodes[perm[i]].value = i;
	}
	long hops = bench_scale(argc, argv, 10000000);
	struct node *p = &nodes[perm[0]];
	uint64_t sum = 0;
	for (long h = 0; h < hops; h++) {
		sum += p->value;
		p = p->next;
	}
	printf("ptrchase hops=%ld sum=%" PRIu64 " at=%" PRIu64 "\n", hops, sum, p->value);
	free(nodes);
	free(perm);
	return 0;
}

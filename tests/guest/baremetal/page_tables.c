/*
 * Page-table builder for paging.S, run in M-mode before translation is
 * turned on: a small pool of zeroed 4 KiB tables, one root, and pt_map()
 * to install a leaf at any level (4 KiB, 2 MiB, 1 GiB pages).  The
 * translation mode (Sv39 = 8, Sv48 = 9) comes from SATP_MODE at build
 * time, so the same test runs with three and four levels.
 */
#include <stdint.h>

#include "paging.h"

#define POOL_TABLES 16

static uint64_t pool[POOL_TABLES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

static uint64_t *table_alloc(void)
{
	if (pool_used >= POOL_TABLES)
		return 0;
	uint64_t *t = pool[pool_used++];
	for (unsigned i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

void pt_init(void)
{
	pool_used = 0;
	table_alloc();   /* pool[0] is the root */
}

uint64_t pt_satp(void)
{
	return ((uint64_t)SATP_MODE << 60) | ((uint64_t)(uintptr_t)pool[0] >> 12);
}

/* The PTE slot for va at the given level (0 = 4 KiB leaf), creating the
 * tables above it; 0 if the pool ran out or a leaf sits in the way. */
uint64_t *pt_slot(uint64_t va, int level)
{
	uint64_t *table = pool[0];
	for (int l = PT_LEVELS - 1; l > level; l--) {
		uint64_t *pte = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*pte & PTE_V)) {
			uint64_t *next = table_alloc();
			if (!next)
				return 0;
			*pte = ((uint64_t)(uintptr_t)next >> 12) << 10 | PTE_V;
		} else if (*pte & (PTE_R | PTE_W | PTE_X)) {
			return 0;
		}
		table = (uint64_t *)(uintptr_t)((*pte >> 10) << 12);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

/* Map va to pa with a leaf at level; returns the slot, or 0. */
uint64_t *pt_map(uint64_t va, uint64_t pa, int level, uint64_t flags)
{
	uint64_t *slot = pt_slot(va, level);
	if (slot)
		*slot = (pa >> 12) << 10 | flags | PTE_V;
	return slot;
}

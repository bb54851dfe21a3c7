/*
 * The address space paging.S runs in, built in M-mode: RAM mapped one to
 * one with a 1 GiB page (so code, stack, tohost and the tables themselves
 * stay reachable from S), the same RAM again at a high canonical address,
 * and the test pages of paging.h, each backed by a page of test_data whose
 * first doubleword is PATTERN(n).
 */
#include <stdint.h>

#include "paging.h"

#define RWX_AD (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

uint64_t test_data[8][512] __attribute__((aligned(4096)));
/* PTE slots the assembly inspects or rewrites */
uint64_t *pte_rw, *pte_swap;
extern char u_page[], s_page[];

static uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void fill_data(void)
{
	for (unsigned n = 0; n < 8; n++)
		for (unsigned i = 0; i < 512; i++)
			test_data[n][i] = i == 0 ? PATTERN(n) : 0;
	*(volatile uint64_t *)(uintptr_t)(MEGA_PA + 0x1008) = PATTERN(9);
}

/* Returns the satp value, or 0 if a table could not be built. */
uint64_t paging_setup(void)
{
	int ok = 1;
	fill_data();
	pt_init();
	ok &= pt_map(RAM_BASE, RAM_BASE, 2, RWX_AD) != 0;
	ok &= pt_map(HIGH_VA, RAM_BASE, 2, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
	ok &= (pte_rw = pt_map(VA_RW, pa(test_data[0]), 0, PTE_R | PTE_W)) != 0;
	ok &= pt_map(VA_RO, pa(test_data[1]), 0, PTE_R | PTE_A) != 0;
	ok &= pt_map(VA_XO, pa(test_data[2]), 0, PTE_X | PTE_A) != 0;
	ok &= pt_map(VA_USER, pa(test_data[3]), 0, PTE_U | PTE_R | PTE_W | PTE_A | PTE_D) != 0;
	ok &= (pte_swap = pt_map(VA_SWAP, pa(test_data[4]), 0, PTE_R | PTE_W | PTE_A | PTE_D)) != 0;
	ok &= pt_map(VA_UCODE, pa(u_page), 0, PTE_U | PTE_R | PTE_X | PTE_A) != 0;
	ok &= pt_map(VA_SCODE, pa(s_page), 0, PTE_X | PTE_A) != 0;
	ok &= pt_map(VA_WNOR, pa(test_data[7]), 0, PTE_W | PTE_A | PTE_D) != 0;
	ok &= pt_map(VA_RSVD, pa(test_data[7]), 0, PTE_R | PTE_W | PTE_A | PTE_D | 1ULL << 54) != 0;
	ok &= pt_map(VA_MEGA, MEGA_PA, 1, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
	ok &= pt_map(VA_BADMEGA, MEGA_PA + 0x1000, 1, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
#if SATP_MODE == 9
	ok &= pt_map(SV48_ONLY_VA, pa(test_data[6]), 0, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
#endif
	return ok ? pt_satp() : 0;
}

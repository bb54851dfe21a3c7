/*
 * Data and address space for misaligned.S.  mbuf is two pages of bytes
 * 0x80, 0x81, ... (byte k = (0x80 + k) & 0xff), so misaligned loads have
 * known values and exercise sign extension.  For S-mode, RAM is mapped one
 * to one and three test pages sit at MIS_VA in the opposite physical
 * order to catch an access that crosses a page by physical adjacency:
 *   MIS_VA          -> mis_pages[1]  RW
 *   MIS_VA + 0x1000 -> mis_pages[0]  RW
 *   MIS_VA + 0x2000 -> mis_pages[2]  read-only
 *   MIS_VA + 0x3000    not mapped
 * Byte k of mis_pages[p] is (k + 0x40 * p) & 0xff.
 */
#include <stdint.h>

#include "paging.h"

#define MIS_VA 0x40000000

uint8_t mbuf[2][4096] __attribute__((aligned(4096)));
uint8_t mis_pages[3][4096] __attribute__((aligned(4096)));

static uint64_t pa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* Returns the satp value for S-mode, or 0 if the tables did not fit. */
uint64_t misaligned_setup(void)
{
	for (unsigned k = 0; k < sizeof(mbuf); k++)
		(&mbuf[0][0])[k] = (uint8_t)(0x80 + k);
	for (unsigned p = 0; p < 3; p++)
		for (unsigned k = 0; k < 4096; k++)
			mis_pages[p][k] = (uint8_t)(k + 0x40 * p);
	int ok = 1;
	pt_init();
	ok &= pt_map(RAM_BASE, RAM_BASE, 2, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D) != 0;
	ok &= pt_map(MIS_VA, pa(mis_pages[1]), 0, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
	ok &= pt_map(MIS_VA + 0x1000, pa(mis_pages[0]), 0, PTE_R | PTE_W | PTE_A | PTE_D) != 0;
	ok &= pt_map(MIS_VA + 0x2000, pa(mis_pages[2]), 0, PTE_R | PTE_A) != 0;
	return ok ? pt_satp() : 0;
}

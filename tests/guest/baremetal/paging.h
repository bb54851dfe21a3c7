/*
 * Shared between paging.S and page_tables.c: PTE bits, the test's virtual
 * layout and the page-table builder's interface.  SATP_MODE (8 = Sv39,
 * 9 = Sv48) is given on the command line.
 */
#ifndef BAREMETAL_PAGING_H
#define BAREMETAL_PAGING_H

#ifndef SATP_MODE
#error "build with -DSATP_MODE=8 (Sv39) or -DSATP_MODE=9 (Sv48)"
#endif
#if SATP_MODE == 8
#define PT_LEVELS 3
#define NONCANONICAL_VA 0x0000004000000000   /* bit 38 set, 63..39 clear */
#define HIGH_VA         0xffffffc000000000   /* lowest canonical upper half */
#else
#define PT_LEVELS 4
#define NONCANONICAL_VA 0x0000800000000000   /* bit 47 set, 63..48 clear */
#define HIGH_VA         0xffff800000000000
#endif
/* Only Sv48 translates this; in Sv39 it is not canonical. */
#define SV48_ONLY_VA    0x0000008000000000

#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)

#define RAM_BASE   0x80000000
/* Test pages: 4 KiB mappings at TEST_VA + n * 4096 */
#define TEST_VA    0x40000000
#define VA_RW      (TEST_VA + 0x0000)   /* RW, A and D start clear */
#define VA_RO      (TEST_VA + 0x1000)   /* read-only */
#define VA_XO      (TEST_VA + 0x2000)   /* execute-only */
#define VA_USER    (TEST_VA + 0x3000)   /* U, RW */
#define VA_NONE    (TEST_VA + 0x4000)   /* not mapped */
#define VA_SWAP    (TEST_VA + 0x5000)   /* remapped by the sfence check */
#define VA_UCODE   (TEST_VA + 0x6000)   /* U code: u_page */
#define VA_SCODE   (TEST_VA + 0x7000)   /* S code: s_page */
#define VA_WNOR    (TEST_VA + 0x8000)   /* W without R: reserved */
#define VA_RSVD    (TEST_VA + 0x9000)   /* RW with reserved bit 54 set */
#define VA_MEGA    (TEST_VA + 0x200000) /* 2 MiB page at MEGA_PA */
#define VA_BADMEGA (TEST_VA + 0x400000) /* 2 MiB leaf, PPN not aligned */
#define MEGA_PA    0x80200000           /* 2 MiB into RAM, past the image */

/* First doubleword of test_data page n (9: MEGA_PA + 0x1008) */
#define PATTERN(n) (0x600d0000 + (n))

#ifndef __ASSEMBLER__
#include <stdint.h>
void pt_init(void);
uint64_t pt_satp(void);
uint64_t *pt_slot(uint64_t va, int level);
uint64_t *pt_map(uint64_t va, uint64_t pa, int level, uint64_t flags);
uint64_t paging_setup(void);
#endif

#endif

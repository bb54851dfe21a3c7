/*
 * Physical memory protection: NAPOT and TOR entries, R/W/X per entry,
 * priority of the lowest-numbered match, S/U accesses that match no entry
 * (denied, MMIO included), M-mode accesses (unchecked unless the entry is
 * locked), and locked entries ignoring writes to their configuration and
 * address.  The locking check comes last: a lock lasts until reset.
 *
 * Entries while checks 1-5 run:
 *   0  NAPOT 4 KiB page_none   no access
 *   1  NAPOT 4 KiB page_ro     R
 *   2  NAPOT 4 KiB page_nx     R W (code there must not run)
 *   3  OFF, address = start of tor_lo (the bottom of entry 4)
 *   4  TOR [tor_lo, tor_hi)    R
 *   7  NAPOT everything        R W X
 */
#include "bm.h"

#define CFG_R 0x01
#define CFG_W 0x02
#define CFG_X 0x04
#define CFG_TOR 0x08
#define CFG_NAPOT 0x18
#define CFG_L 0x80
/* pmpaddr of a naturally aligned 4 KiB NAPOT region at symbol s */
#define NAPOT_4K(reg, s) la reg, s; srli reg, reg, 2; ori reg, reg, 0x1ff

	.text
	.globl test_main
test_main:
	NAPOT_4K(t0, page_none)
	csrw pmpaddr0, t0
	NAPOT_4K(t0, page_ro)
	csrw pmpaddr1, t0
	NAPOT_4K(t0, page_nx)
	csrw pmpaddr2, t0
	la t0, tor_lo
	srli t0, t0, 2
	csrw pmpaddr3, t0
	la t0, tor_hi
	srli t0, t0, 2
	csrw pmpaddr4, t0
	li t0, -1
	csrw pmpaddr7, t0
	/* cfg bytes 0..7: none, R, RW, off, TOR R, off, off, NAPOT RWX */
	li t0, ((CFG_NAPOT | CFG_R | CFG_W | CFG_X) << 56) | ((CFG_TOR | CFG_R) << 32) | \
	       ((CFG_NAPOT | CFG_R | CFG_W) << 16) | ((CFG_NAPOT | CFG_R) << 8) | CFG_NAPOT
	csrw pmpcfg0, t0
	csrr t1, pmpcfg0
	EXPECT_SAME t1, t0

	CHECK 1   /* M-mode ignores unlocked entries */
	la a0, page_none
	li a1, 0x5a
	NO_TRAP sd a1, 0(a0)
	NO_TRAP ld a2, 0(a0)
	EXPECT a2, 0x5a

	CHECK 2   /* S-mode: no access to page_none, tval is the address */
	GOTO_MODE MODE_S, 1f
1:	la a0, page_none + 0x18
	TRAPS CAUSE_LOAD_ACCESS, ld a1, 0(a0)
	EXPECT_SAME s9, a0
	EXPECT s4, MODE_M
	TRAPS CAUSE_STORE_ACCESS, sw zero, 0(a0)
	EXPECT_SAME s9, a0
	/* the same page read again, now that the slow path has seen it */
	TRAPS CAUSE_LOAD_ACCESS, lbu a1, 7(a0)
	BACK_TO_M 2f
2:
	CHECK 3   /* S-mode: read-only page, and a TOR range */
	GOTO_MODE MODE_S, 1f
1:	la a0, page_ro
	NO_TRAP ld a1, 8(a0)
	TRAPS CAUSE_STORE_ACCESS, sd a1, 8(a0)
	TRAPS CAUSE_STORE_ACCESS, amoadd.w a2, a1, (a0)
	la a0, tor_lo
	NO_TRAP ld a1, 0(a0)
	TRAPS CAUSE_STORE_ACCESS, sd a1, 0(a0)
	la a0, tor_hi - 8          /* last doubleword inside the range */
	NO_TRAP ld a1, 0(a0)
	TRAPS CAUSE_STORE_ACCESS, sd a1, 0(a0)
	la a0, tor_hi              /* first byte past it: entry 7 applies */
	NO_TRAP sd a1, 0(a0)
	BACK_TO_M 2f
2:
	CHECK 4   /* S-mode: page_nx is data, not code */
	la a0, page_nx
	li a1, 0x00008067          /* ret */
	sw a1, 0(a0)
	fence.i
	GOTO_MODE MODE_S, 1f
1:	la a0, page_nx
	NO_TRAP lw a1, 0(a0)
	EXPECT a1, 0x00008067
	la s10, 3f
	jalr a0
	j fail
3:	EXPECT s8, CAUSE_INSN_ACCESS
	EXPECT_SAME s9, a0
	EXPECT_SAME s7, a0
	BACK_TO_M 2f
2:	/* while M runs the same code happily */
	la a0, page_nx
	NO_TRAP jalr a0

	CHECK 5   /* S-mode access that matches no entry fails, MMIO too */
	csrw pmpcfg0, zero         /* everything off: S may touch nothing */
	li t0, CFG_NAPOT | CFG_R | CFG_W | CFG_X
	li t1, (0x80000000 >> 2) | ((0x1000000 >> 3) - 1)   /* 16 MiB at 0x80000000 */
	csrw pmpaddr0, t1
	csrw pmpcfg0, t0
	GOTO_MODE MODE_S, 1f
1:	la a0, page_none
	NO_TRAP ld a1, 0(a0)
	li a0, CLINT_MTIME
	TRAPS CAUSE_LOAD_ACCESS, ld a1, 0(a0)
	li a0, 0x81000000          /* RAM, but past the entry */
	TRAPS CAUSE_STORE_ACCESS, sd zero, 0(a0)
	BACK_TO_M 2f
2:
	CHECK 6   /* a locked entry binds M-mode and ignores writes */
	NAPOT_4K(t0, page_none)
	csrw pmpaddr1, t0
	li t0, ((CFG_NAPOT | CFG_R | CFG_W | CFG_X) << 8) | CFG_NAPOT | CFG_R | CFG_W | CFG_X
	csrw pmpcfg0, t0
	/* entry 1: page_none, read-only, locked; entry 0 moves to page_ro */
	li t0, ((CFG_L | CFG_NAPOT | CFG_R) << 8) | CFG_NAPOT | CFG_R | CFG_W | CFG_X
	NAPOT_4K(t1, page_ro)
	csrw pmpaddr0, t1
	csrw pmpcfg0, t0
	la a0, page_none
	NO_TRAP ld a1, 0(a0)
	TRAPS CAUSE_STORE_ACCESS, sd a1, 0(a0)
	csrr t1, pmpcfg0
	li t2, -1
	csrw pmpcfg0, t2               /* byte 1 is locked: unchanged */
	csrr t2, pmpcfg0
	srli t2, t2, 8
	andi t2, t2, 0xff
	EXPECT t2, CFG_L | CFG_NAPOT | CFG_R
	csrr t1, pmpaddr1
	csrw pmpaddr1, zero            /* locked: unchanged */
	csrr t2, pmpaddr1
	EXPECT_SAME t2, t1

	PASS

	.data
	.balign 4096
page_none:	.skip 4096
page_ro:	.skip 4096
page_nx:	.skip 4096
tor_lo:		.skip 4096 + 512
tor_hi:		.skip 64

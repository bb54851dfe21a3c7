/*
 * Sv39 / Sv48 translation (built once per mode, SATP_MODE 8 or 9): 4 KiB,
 * 2 MiB and 1 GiB pages and a high canonical alias; load, store and
 * instruction page faults handled in M and delegated to S; hardware A/D
 * updates; write, execute-only (MXR) and user-page (SUM) permissions;
 * non-canonical addresses; sfence.vma after a PTE change; a misaligned
 * superpage; reserved PTE encodings; U-mode accesses; and MPRV in M.  The layout is built by
 * paging_layout.c; RAM is mapped one to one so S can reach everything,
 * including the PTEs it inspects.
 */
#include "bm.h"
#include "paging.h"

#define PTE_RW_AD (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

	/* JUMP_FAULTS addr: jumping to addr raises an instruction page
	 * fault with epc = tval = addr. */
	.macro JUMP_FAULTS addr
	li a0, \addr
	la s10, .Lfetch\@
	jalr a0
	j fail
.Lfetch\@:
	EXPECT s8, CAUSE_INSN_PAGE
	EXPECT s7, \addr
	EXPECT s9, \addr
	.endm

	.text
	.globl test_main
test_main:
	la a0, s_trap
	csrw stvec, a0
	CHECK 1   /* the tables build; satp takes the mode; S runs from RAM */
	call paging_setup
	bnez a0, 1f
	j fail
1:	mv s0, a0
	csrw satp, s0
	sfence.vma
	csrr a1, satp
	EXPECT_SAME a1, s0
	srli a1, a1, 60
	EXPECT a1, SATP_MODE
	GOTO_MODE MODE_S, 1f
1:	la a0, test_data
	ld a1, 0(a0)
	EXPECT a1, PATTERN(0)
	NO_TRAP csrr a1, satp
	EXPECT_SAME a1, s0

	CHECK 2   /* 4 KiB, 2 MiB and the high 1 GiB alias translate */
	li a0, VA_RO
	ld a1, 0(a0)
	EXPECT a1, PATTERN(1)
	li a0, VA_MEGA + 0x1008
	ld a1, 0(a0)
	EXPECT a1, PATTERN(9)
	la a0, test_data
	li a2, HIGH_VA - RAM_BASE
	add a0, a0, a2
	ld a1, 0(a0)
	EXPECT a1, PATTERN(0)
	li a3, 0x77
	sd a3, 8(a0)         /* store through the alias ... */
	la a4, test_data
	ld a5, 8(a4)         /* ... lands in the same RAM */
	EXPECT a5, 0x77
	li a0, VA_SCODE      /* instruction fetch through a 4 KiB page */
	jalr a0
	EXPECT a0, 0x5a

	CHECK 3   /* page faults, not delegated: taken in M with mtval = va */
	li a0, VA_NONE
	TRAPS CAUSE_LOAD_PAGE, ld a1, 8(a0)
	EXPECT s4, MODE_M
	EXPECT s9, VA_NONE + 8
	TRAPS CAUSE_STORE_PAGE, sd a1, 16(a0)
	EXPECT s9, VA_NONE + 16
#ifndef QEMU_7_2   /* QEMU 7.2 reports a load page fault for AMOs */
	TRAPS CAUSE_STORE_PAGE, amoadd.d a1, a1, (a0)
	EXPECT s9, VA_NONE
#endif
	JUMP_FAULTS VA_NONE
	EXPECT s4, MODE_M
	BACK_TO_M 1f
1:	li a0, (1 << CAUSE_INSN_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE)
	csrw medeleg, a0
	GOTO_MODE MODE_S, 1f
1:
	CHECK 4   /* the same faults delegated: taken in S with stval = va */
	li a0, VA_NONE
	TRAPS CAUSE_LOAD_PAGE, ld a1, 8(a0)
	EXPECT s4, MODE_S
	EXPECT s9, VA_NONE + 8
	EXPECT_BITS s6, MSTATUS_SPP, MSTATUS_SPP
	TRAPS CAUSE_LOAD_PAGE, lr.d a1, (a0)
	EXPECT s9, VA_NONE
	TRAPS CAUSE_STORE_PAGE, sw a1, 20(a0)
	EXPECT s4, MODE_S
	EXPECT s9, VA_NONE + 20
	JUMP_FAULTS VA_NONE
	EXPECT s4, MODE_S

	CHECK 5   /* hardware A/D: a read sets A, a write sets D */
	la a0, pte_rw
	ld s1, 0(a0)
	ld a1, 0(s1)
	EXPECT_BITS a1, PTE_A | PTE_D, 0
	li a0, VA_RW
	ld a2, 0(a0)
	EXPECT a2, PATTERN(0)
	ld a1, 0(s1)
	EXPECT_BITS a1, PTE_A | PTE_D, PTE_A
	sd a2, 8(a0)
	ld a1, 0(s1)
	EXPECT_BITS a1, PTE_A | PTE_D, PTE_A | PTE_D

	CHECK 6   /* no writes to R or X pages, no fetch from a non-X page */
	li a0, VA_RO
	TRAPS CAUSE_STORE_PAGE, sd zero, 0(a0)
	EXPECT s9, VA_RO
	ld a1, 0(a0)
	EXPECT a1, PATTERN(1)
	li a0, VA_XO
	TRAPS CAUSE_STORE_PAGE, sd zero, 0(a0)
	JUMP_FAULTS VA_RO
	JUMP_FAULTS VA_RW

	CHECK 7   /* execute-only pages are readable only with MXR */
	li a0, VA_XO
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	EXPECT s9, VA_XO
	li a1, MSTATUS_MXR
	csrs sstatus, a1
	NO_TRAP ld a1, 0(a0)
	EXPECT a1, PATTERN(2)
	TRAPS CAUSE_STORE_PAGE, sd zero, 8(a0)
	li a1, MSTATUS_MXR
	csrc sstatus, a1
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)

	CHECK 8   /* U pages: S needs SUM for data and never executes them */
	li a0, VA_USER
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	TRAPS CAUSE_STORE_PAGE, sd a1, 0(a0)
	li a1, MSTATUS_SUM
	csrs sstatus, a1
	NO_TRAP ld a1, 0(a0)
	EXPECT a1, PATTERN(3)
	NO_TRAP sd a1, 8(a0)
	JUMP_FAULTS VA_UCODE
	li a1, MSTATUS_SUM
	csrc sstatus, a1
	li a0, VA_USER
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)

	CHECK 9   /* addresses that are not canonical fault */
	li a0, NONCANONICAL_VA
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	EXPECT s9, NONCANONICAL_VA
	TRAPS CAUSE_STORE_PAGE, sd a1, 0(a0)
	li a0, 0x8000000080000000    /* RAM's address with a stray top bit */
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	li a0, SV48_ONLY_VA
#if SATP_MODE == 9
	NO_TRAP ld a1, 0(a0)
	EXPECT a1, PATTERN(6)
#else
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	EXPECT s9, SV48_ONLY_VA
#endif

	CHECK 10  /* a changed PTE is used after sfence.vma */
	li a0, VA_SWAP
	ld a1, 0(a0)
	EXPECT a1, PATTERN(4)
	la a2, pte_swap
	ld s1, 0(a2)
	la a3, test_data + 5 * 4096
	srli a3, a3, 12
	slli a3, a3, 10
	ori a3, a3, PTE_RW_AD
	sd a3, 0(s1)
	sfence.vma a0, zero
	ld a1, 0(a0)
	EXPECT a1, PATTERN(5)
	sd zero, 0(s1)                /* unmap it */
	sfence.vma
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	la a3, test_data + 4 * 4096   /* and map it back */
	srli a3, a3, 12
	slli a3, a3, 10
	ori a3, a3, PTE_RW_AD
	sd a3, 0(s1)
	sfence.vma zero, zero
	ld a1, 0(a0)
	EXPECT a1, PATTERN(4)

	CHECK 11  /* a 2 MiB leaf whose PPN is not 2 MiB aligned faults */
	li a0, VA_BADMEGA
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	TRAPS CAUSE_STORE_PAGE, sd a1, 0(a0)

	CHECK 12  /* U-mode: its own pages work, S pages fault (in M) */
	BACK_TO_M 1f
1:	csrw medeleg, zero
	li a0, VA_USER
	la a1, 2f
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, VA_UCODE
	csrw mepc, t0
	mret
2:	EXPECT a2, -1
	EXPECT t1, PATTERN(3)
	li a0, VA_RW
	la a1, 2f
	li t0, VA_UCODE
	csrw mepc, t0
	mret
2:	EXPECT a2, CAUSE_LOAD_PAGE
	EXPECT a3, VA_RW
	li s5, 1
	la s10, 2f
	GOTO_MODE MODE_U, 3f          /* fetch from a page without U */
3:	j fail
2:	EXPECT s8, CAUSE_INSN_PAGE
	la a0, 3b
	EXPECT_SAME s7, a0
	EXPECT_SAME s9, a0

	CHECK 13  /* MPRV: M-mode loads and stores translated as MPP = S */
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, MSTATUS_MPRV | (MODE_S << 11)
	csrs mstatus, t0
	li a0, VA_RO
	ld a1, 0(a0)
	li a0, VA_NONE
	la s10, 1f
	ld a2, 0(a0)
	j fail
1:	li t0, MSTATUS_MPRV
	csrc mstatus, t0
	EXPECT a1, PATTERN(1)
	EXPECT s8, CAUSE_LOAD_PAGE
	EXPECT s4, MODE_M
	EXPECT s9, VA_NONE

	CHECK 14  /* reserved PTE encodings fault: W without R, bits 60..54 */
	GOTO_MODE MODE_S, 1f
1:	li a0, VA_WNOR
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	TRAPS CAUSE_STORE_PAGE, sd a1, 0(a0)
	li a0, VA_RSVD
	TRAPS CAUSE_LOAD_PAGE, ld a1, 0(a0)
	TRAPS CAUSE_STORE_PAGE, sd a1, 0(a0)
	BACK_TO_M 2f
2:	csrw satp, zero
	sfence.vma
	PASS

/* Code that runs from its own mappings: u_page at VA_UCODE (U), s_page
 * at VA_SCODE (S).  Only pc-relative references, which follow the
 * mapping.  u_page loads from a0 and returns to M at a1 with a2 = the
 * cause of a fault (or -1), a3 = its tval, t1 = the value. */
	.section .upage, "ax"
	.balign 4096
	.globl u_page, s_page
u_page:
	li a2, -1
	la s10, 1f
	ld t1, 0(a0)
	j 2f
1:	mv a2, s8
	mv a3, s9
2:	mv s10, a1
	li s5, 1
	ebreak

	.balign 4096
s_page:
	li a0, 0x5a
	ret

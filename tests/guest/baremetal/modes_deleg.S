/*
 * Privilege modes and trap delegation: mret into S and U through MPP,
 * environment calls from each mode, exceptions delegated to S with
 * medeleg (scause/sepc/stval/SPP/SPIE/SIE, sret back), CSR privilege
 * checks, the mstatus trap bits TSR, TVM and TW, and the counter enables
 * mcounteren/scounteren.  satp stays bare throughout.
 */
#include "bm.h"

/* QEMU's spike machine has no time CSR (its CLINT does not provide one),
 * so there rdtime traps in every mode; virt and popek have it. */
#ifdef NO_TIME_CSR
#define RDTIME_WORKS(r)
#else
#define RDTIME_WORKS(r) NO_TRAP rdtime r
#endif

	.text
	.globl test_main
test_main:
	la a0, s_trap
	csrw stvec, a0

	CHECK 1   /* mret to S; ecall from S is cause 9, taken in M */
	GOTO_MODE MODE_S, 1f
1:	li s5, 1           /* resume in M */
	la s10, 2f
ecall_s:
	ecall
	j fail
2:	EXPECT s8, CAUSE_ECALL_S
	EXPECT s4, MODE_M
	la a0, ecall_s
	EXPECT_SAME s7, a0
	EXPECT_BITS s6, MSTATUS_MPP, MODE_S << 11

	CHECK 2   /* mret to U; ecall from U is cause 8, taken in M */
	GOTO_MODE MODE_U, 1f
1:	li s5, 1
	la s10, 2f
ecall_u:
	ecall
	j fail
2:	EXPECT s8, CAUSE_ECALL_U
	EXPECT s4, MODE_M
	la a0, ecall_u
	EXPECT_SAME s7, a0
	EXPECT_BITS s6, MSTATUS_MPP, MODE_U << 11

	CHECK 3   /* U may not touch S or M CSRs, nor run sret or mret */
	GOTO_MODE MODE_U, 1f
1:	TRAPS CAUSE_ILLEGAL, csrr a0, sstatus
	TRAPS CAUSE_ILLEGAL, csrw sscratch, zero
	TRAPS CAUSE_ILLEGAL, csrr a0, mstatus
	TRAPS CAUSE_ILLEGAL, sret
	TRAPS CAUSE_ILLEGAL, mret
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:
	CHECK 4   /* S may use S CSRs but not M ones, nor mret */
	GOTO_MODE MODE_S, 1f
1:	NO_TRAP csrr a0, sstatus
	li a0, 0x77
	NO_TRAP csrw sscratch, a0
	NO_TRAP csrr a1, sscratch
	EXPECT a1, 0x77
	TRAPS CAUSE_ILLEGAL, csrr a0, mstatus
	EXPECT s4, MODE_M
	TRAPS CAUSE_ILLEGAL, csrw mscratch, zero
	TRAPS CAUSE_ILLEGAL, csrr a0, mhartid
	TRAPS CAUSE_ILLEGAL, mret
	BACK_TO_M 2f
2:	/* sstatus is a view of mstatus */
	li a0, MSTATUS_SUM
	csrs mstatus, a0
	csrr a1, sstatus
	EXPECT_BITS a1, MSTATUS_SUM, MSTATUS_SUM
	csrc sstatus, a0
	csrr a1, mstatus
	EXPECT_BITS a1, MSTATUS_SUM, 0

	CHECK 5   /* ecall from U and illegal instructions delegated to S */
	li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL)
	csrw medeleg, a0
	csrr a1, medeleg
	EXPECT_SAME a1, a0
	GOTO_MODE MODE_S, 1f
1:	/* in S: enter U with SPP = U, SPIE = 1 so that sret sets SIE */
	li a0, MSTATUS_SPP
	csrc sstatus, a0
	li a0, MSTATUS_SPIE
	csrs sstatus, a0
	csrsi sstatus, MSTATUS_SIE
	la a0, 2f
	csrw sepc, a0
	sret
2:	/* in U */
	la s10, 3f
ecall_u_deleg:
	ecall
	j fail
3:	EXPECT s4, MODE_S
	EXPECT s8, CAUSE_ECALL_U
	EXPECT s9, 0
	la a0, ecall_u_deleg
	EXPECT_SAME s7, a0
	/* sstatus at the trap: SPP = U, SPIE = the old SIE (1), SIE = 0 */
	EXPECT_BITS s6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE
	TRAPS CAUSE_ILLEGAL, .word ILLEGAL_INSN
	EXPECT s4, MODE_S
	EXPECT_EITHER s9, 0, ILLEGAL_INSN
	TRAPS CAUSE_ILLEGAL, csrr a0, sstatus
	EXPECT s4, MODE_S
	/* not delegated: ebreak still goes to M */
	BACK_TO_M 4f
4:	EXPECT s4, MODE_M
	EXPECT s8, CAUSE_BREAKPOINT
	EXPECT_BITS s6, MSTATUS_MPP, MODE_U << 11

	CHECK 6   /* an exception in S delegated to S: SPP = S, SIE saved */
	GOTO_MODE MODE_S, 1f
1:	csrsi sstatus, MSTATUS_SIE
	TRAPS CAUSE_ILLEGAL, .word ILLEGAL_INSN
	EXPECT s4, MODE_S
	EXPECT_BITS s6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
	/* sret went back to S: SIE = SPIE (1), SPIE = 1, SPP = U */
	csrr a0, sstatus
	EXPECT_BITS a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPIE | MSTATUS_SIE
	csrci sstatus, MSTATUS_SIE
	/* an M CSR from S is illegal and now lands in S too */
	TRAPS CAUSE_ILLEGAL, csrr a0, mstatus
	EXPECT s4, MODE_S
	/* ecall from S is not delegated */
	li s5, 1
	la s10, 2f
	ecall
	j fail
2:	EXPECT s4, MODE_M
	EXPECT s8, CAUSE_ECALL_S
	csrw medeleg, zero

	CHECK 7   /* mstatus.TSR: sret in S is illegal */
	li a0, MSTATUS_TSR
	csrs mstatus, a0
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, sret
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:	li a0, MSTATUS_TSR
	csrc mstatus, a0
	GOTO_MODE MODE_S, 1f
1:	li a0, MSTATUS_SPP   /* without TSR sret works: back to S */
	csrs sstatus, a0
	la a0, 2f
	csrw sepc, a0
	NO_TRAP sret
	j fail
2:	BACK_TO_M 3f
3:	EXPECT_BITS s6, MSTATUS_MPP, MODE_S << 11

	CHECK 8   /* mstatus.TVM: satp and sfence.vma in S are illegal */
	li a0, MSTATUS_TVM
	csrs mstatus, a0
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, csrr a0, satp
	TRAPS CAUSE_ILLEGAL, csrw satp, zero
	TRAPS CAUSE_ILLEGAL, sfence.vma
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:	li a0, MSTATUS_TVM
	csrc mstatus, a0
	GOTO_MODE MODE_S, 1f
1:	NO_TRAP csrr a0, satp
	EXPECT a0, 0
	NO_TRAP sfence.vma
	BACK_TO_M 2f
2:
	CHECK 9   /* mstatus.TW: wfi in S is illegal; wfi in U always is */
	li a0, MSTATUS_TW
	csrs mstatus, a0
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, wfi
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:	li a0, MSTATUS_TW
	csrc mstatus, a0
	GOTO_MODE MODE_U, 1f
1:	TRAPS CAUSE_ILLEGAL, wfi
	BACK_TO_M 2f
2:
	CHECK 10  /* mcounteren = 0: S may not read time or cycle */
	csrw mcounteren, zero
	csrw scounteren, zero
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, rdtime a0
	TRAPS CAUSE_ILLEGAL, rdcycle a0
	TRAPS CAUSE_ILLEGAL, rdinstret a0
	BACK_TO_M 2f
2:	RDTIME_WORKS(a0)      /* M always may */
	NO_TRAP rdcycle a0

	CHECK 11  /* mcounteren bits set: S reads them; U needs scounteren */
	li a0, 7
	csrw mcounteren, a0
	GOTO_MODE MODE_S, 1f
1:	RDTIME_WORKS(a0)
	NO_TRAP rdcycle a0
	NO_TRAP rdinstret a0
	BACK_TO_M 2f
2:	GOTO_MODE MODE_U, 1f
1:	TRAPS CAUSE_ILLEGAL, rdtime a0
	TRAPS CAUSE_ILLEGAL, rdcycle a0
	BACK_TO_M 2f
2:	li a0, 2              /* time only */
	csrw scounteren, a0
	GOTO_MODE MODE_U, 1f
1:	RDTIME_WORKS(a0)
	TRAPS CAUSE_ILLEGAL, rdcycle a0
	BACK_TO_M 2f
2:	csrw mcounteren, zero /* mcounteren wins over scounteren */
	GOTO_MODE MODE_U, 1f
1:	TRAPS CAUSE_ILLEGAL, rdtime a0
	BACK_TO_M 2f
2:
	CHECK 12  /* time advances and reads the same in M and S */
#ifndef NO_TIME_CSR
	li a0, 7
	csrw mcounteren, a0
	rdtime s0
	li a1, 20000
1:	addi a1, a1, -1
	bnez a1, 1b
	rdtime s1
	bltu s0, s1, 3f
	j fail
3:
	GOTO_MODE MODE_S, 1f
1:	rdtime s0
	BACK_TO_M 2f
2:	bgeu s0, s1, 3f
	j fail
3:	li a1, CLINT_MTIME
	ld a2, 0(a1)
	bgeu a2, s0, 4f
	j fail
4:
#endif

	PASS

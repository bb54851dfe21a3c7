/*
 * Machine-mode traps and machine CSRs: synchronous exceptions taken in M
 * (ecall, illegal instruction, ebreak, access faults), vectored mtvec,
 * mscratch, misa, mhartid and the WARL rules of mtvec, mepc and
 * mstatus.MPP, and illegal accesses to read-only and unknown CSRs.
 */
#include "bm.h"

#define UNMAPPED 0x40   /* no device at the bottom of the address space */

	.text
	.globl test_main
test_main:
	CHECK 1   /* ecall from M: cause 11, mepc = the ecall */
	TRAPS CAUSE_ECALL_M, ecall
	EXPECT s4, MODE_M
	EXPECT s9, 0

	CHECK 2   /* a reserved opcode: illegal, mtval = the bits or 0 */
	TRAPS CAUSE_ILLEGAL, .word ILLEGAL_INSN
	EXPECT_EITHER s9, 0, ILLEGAL_INSN

	CHECK 3   /* ebreak: breakpoint (mtval may be the pc or 0) */
	TRAPS CAUSE_BREAKPOINT, ebreak
	beqz s9, 1f
	EXPECT_SAME s9, s7
1:
	CHECK 4   /* loads from nowhere: access fault, mtval = address */
	li a0, UNMAPPED
	TRAPS CAUSE_LOAD_ACCESS, ld a1, 0(a0)
	EXPECT s9, UNMAPPED
	TRAPS CAUSE_LOAD_ACCESS, lbu a1, 3(a0)
	EXPECT s9, UNMAPPED + 3
	TRAPS CAUSE_LOAD_ACCESS, lw a1, 8(a0)
	EXPECT s9, UNMAPPED + 8

	CHECK 5   /* stores and AMOs to nowhere: store/AMO access fault */
	TRAPS CAUSE_STORE_ACCESS, sd a1, 16(a0)
	EXPECT s9, UNMAPPED + 16
	TRAPS CAUSE_STORE_ACCESS, sb a1, 1(a0)
	EXPECT s9, UNMAPPED + 1

	CHECK 6   /* jumping to nowhere: instruction access fault at target */
	li a0, UNMAPPED + 0x20
	la s10, 1f
	jalr a0
	j fail
1:	EXPECT s8, CAUSE_INSN_ACCESS
	EXPECT s7, UNMAPPED + 0x20
	EXPECT s9, UNMAPPED + 0x20

	CHECK 7   /* vectored mtvec: exceptions at base, interrupts at 4*cause */
	la a0, vec_table
	ori a0, a0, 1
	csrw mtvec, a0
	csrr a1, mtvec
	EXPECT_SAME a1, a0
	li s3, -1
	TRAPS CAUSE_ECALL_M, ecall
	EXPECT s3, 0
	/* machine software interrupt through the CLINT */
	li s3, -1
	li a0, 1 << IRQ_MSI
	csrw mie, a0
	li a1, CLINT_MSIP
	li a2, 1
	la s10, 2f
	sw a2, 0(a1)
	csrsi mstatus, MSTATUS_MIE
	li a3, 100000
1:	addi a3, a3, -1
	bnez a3, 1b
	j fail
2:	sw zero, 0(a1)
	csrw mie, zero
	EXPECT s8, INTR(IRQ_MSI)
	EXPECT s3, IRQ_MSI
	csrr a0, mstatus
	EXPECT_BITS a0, MSTATUS_MIE, 0   /* our handler returns with MIE clear */
	la a0, m_trap
	csrw mtvec, a0

	CHECK 8   /* mscratch is a plain read/write register */
	li a0, 0x123456789abcdef0
	csrw mscratch, a0
	li a1, 0x5a5a
	csrrw a2, mscratch, a1
	EXPECT_SAME a2, a0
	csrrs a2, mscratch, 0x5
	EXPECT a2, 0x5a5a
	csrrc a2, mscratch, a1
	EXPECT a2, 0x5a5f
	csrr a2, mscratch
	EXPECT a2, 0x5

	CHECK 9   /* misa: RV64 with I, M, A, F, D, C, S, U */
	csrr a0, misa
	srli a1, a0, 62
	EXPECT a1, 2
#define EXT(c) (1 << ((c) - 'A'))
	EXPECT_BITS a0, EXT('I')|EXT('M')|EXT('A')|EXT('F')|EXT('D')|EXT('C')|EXT('S')|EXT('U'), \
		EXT('I')|EXT('M')|EXT('A')|EXT('F')|EXT('D')|EXT('C')|EXT('S')|EXT('U')
	EXPECT_BITS a0, EXT('E'), 0

	CHECK 10  /* hart 0, entered with a0 = 0 and a1 = a device tree */
	csrr a0, mhartid
	EXPECT a0, 0
	la a1, boot_regs
	ld a0, 0(a1)
	EXPECT a0, 0
	ld a0, 8(a1)
	lwu a0, 0(a0)
	EXPECT a0, 0xedfe0dd0         /* FDT magic 0xd00dfeed, big-endian */

	CHECK 11  /* mtvec modes 2 and 3 are reserved: never read back */
	la a0, m_trap
	ori a1, a0, 2
	csrw mtvec, a1
	csrr a2, mtvec
	csrw mtvec, a0
	EXPECT_BITS a2, 2, 0
	ori a1, a0, 3
	csrw mtvec, a1
	csrr a2, mtvec
	csrw mtvec, a0
	EXPECT_BITS a2, 2, 0
	csrr a2, mtvec
	EXPECT_SAME a2, a0

	CHECK 12  /* mepc bit 0 always reads 0 (IALIGN = 16 with C) */
#ifndef QEMU_7_2   /* QEMU 7.2 keeps bit 0 and ignores it at mret */
	li a0, 0x80001235
	csrw mepc, a0
	csrr a1, mepc
	EXPECT a1, 0x80001234
	li a0, 0x80001236
	csrw mepc, a0
	csrr a1, mepc
	EXPECT a1, 0x80001236
#endif

	CHECK 13  /* MPP is WARL over M, S, U: the reserved 2 is never read */
	li a0, MSTATUS_MPP
	csrc mstatus, a0
	li a0, MODE_S << 11
	csrs mstatus, a0
	csrr a1, mstatus
	EXPECT_BITS a1, MSTATUS_MPP, MODE_S << 11
#ifndef QEMU_7_2   /* QEMU 7.2 stores MPP = 2 */
	/* popek keeps the previous value; the spec allows any legal one */
	li a0, MSTATUS_MPP
	csrc mstatus, a0     /* MPP = U */
	li a0, 2 << 11
	csrs mstatus, a0     /* set bit 12 alone: MPP would be 2 */
	csrr a1, mstatus
	EXPECT_BITS a1, MSTATUS_MPP, MODE_U << 11
	li a0, MODE_M << 11
	csrw mstatus, a0     /* whole-register writes: MPP = M, then 2 */
	li a0, 2 << 11
	csrw mstatus, a0
	csrr a1, mstatus
	EXPECT_BITS a1, MSTATUS_MPP, MODE_M << 11
#endif

	CHECK 14  /* writing a read-only CSR is illegal; reading it is not */
	TRAPS CAUSE_ILLEGAL, csrw mhartid, a0
	TRAPS CAUSE_ILLEGAL, csrrs a1, mvendorid, a0
	TRAPS CAUSE_ILLEGAL, csrrwi a1, marchid, 0
	TRAPS CAUSE_ILLEGAL, csrw cycle, zero
	NO_TRAP csrr a1, mimpid
	NO_TRAP csrrs a1, mhartid, zero
	NO_TRAP csrrci a1, mhartid, 0
	EXPECT a1, 0

	CHECK 15  /* CSRs that do not exist are illegal to read and write */
	TRAPS CAUSE_ILLEGAL, csrr a0, 0x310       /* mstatush: RV32 only */
	TRAPS CAUSE_ILLEGAL, csrr a0, 0x3a1       /* pmpcfg1: RV32 only */
	TRAPS CAUSE_ILLEGAL, csrr a0, 0x3ff       /* unallocated */
	TRAPS CAUSE_ILLEGAL, csrw 0x3ff, zero
	TRAPS CAUSE_ILLEGAL, csrr a0, 0x1ff       /* unallocated (S) */
	TRAPS CAUSE_ILLEGAL, csrr a0, 0xc80       /* cycleh: RV32 only */

	CHECK 16  /* mcause, mtval, mepc are writable */
	li a0, 0x1234
	csrw mtval, a0
	csrr a1, mtval
	EXPECT a1, 0x1234
	li a0, 5
	csrw mcause, a0
	csrr a1, mcause
	EXPECT a1, 5

	CHECK 17  /* trap entry: MPIE = old MIE, MIE = 0, MPP = M */
	li a0, MSTATUS_MPP | MSTATUS_MPIE
	csrc mstatus, a0
	csrsi mstatus, MSTATUS_MIE   /* no interrupt is enabled in mie */
	TRAPS CAUSE_ECALL_M, ecall
	EXPECT_BITS s6, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPP | MSTATUS_MPIE
	csrr a0, mstatus     /* mret: MIE = MPIE = 1, MPIE = 1, MPP = U */
	EXPECT_BITS a0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE | MSTATUS_MIE
	csrci mstatus, MSTATUS_MIE

	CHECK 18  /* an AMO to nowhere: store/AMO access fault */
#ifndef QEMU_7_2   /* QEMU 7.2 reports a load access fault */
	li a2, UNMAPPED + 24
	TRAPS CAUSE_STORE_ACCESS, amoadd.d a1, a1, (a2)
	EXPECT s9, UNMAPPED + 24
	li a2, UNMAPPED + 32
	TRAPS CAUSE_STORE_ACCESS, amoswap.w a1, a1, (a2)
	EXPECT s9, UNMAPPED + 32
#endif

	PASS

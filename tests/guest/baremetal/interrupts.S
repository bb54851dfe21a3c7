/*
 * Interrupts: the CLINT's machine software interrupt (msip) and machine
 * timer (mtimecmp), the enables (mie bits and mstatus.MIE), the priority
 * among several pending interrupts, supervisor software interrupts
 * delegated with mideleg, and the Sstc supervisor timer (stimecmp).
 * Interrupts are taken in a bounded spin so a missing one fails the check
 * instead of hanging.
 */
#include "bm.h"

	/* Spin long enough for any pending interrupt to be taken. */
	.macro SPIN
	li t0, 20000
.Lspin\@:
	addi t0, t0, -1
	bnez t0, .Lspin\@
	.endm

/* A compare value that never fires.  Linux uses -1; QEMU 7.2 overflows
 * converting a far deadline to ns and may fire it early. */
#ifdef QEMU_7_2
#define NEVER (1 << 50)
#else
#define NEVER -1
#endif

	.macro MSIP_SET val
	li t0, CLINT_MSIP
	li t1, \val
	sw t1, 0(t0)
	.endm

	.macro MTIMECMP_SET reg
	li t0, CLINT_MTIMECMP
	sd \reg, 0(t0)
	.endm

	.text
	.globl test_main
test_main:
	la a0, s_trap
	csrw stvec, a0
	li a0, -1
	MTIMECMP_SET a0

	CHECK 1   /* msip raises mip.MSIP; not taken while MIE = 0 or MSIE = 0 */
	MSIP_SET 1
	SPIN
	csrr a0, mip
	EXPECT_BITS a0, 1 << IRQ_MSI, 1 << IRQ_MSI
	csrsi mstatus, MSTATUS_MIE   /* pending but not enabled in mie */
	SPIN
	csrci mstatus, MSTATUS_MIE
	li a0, 1 << IRQ_MSI
	csrw mie, a0                 /* enabled in mie, but MIE = 0 */
	SPIN

	CHECK 2   /* setting MIE takes it: cause 3 | interrupt bit */
	la s10, 1f
	csrsi mstatus, MSTATUS_MIE
	SPIN
	j fail
1:	EXPECT s8, INTR(IRQ_MSI)
	EXPECT s4, MODE_M
	EXPECT_BITS s6, MSTATUS_MPIE | MSTATUS_MIE, MSTATUS_MPIE
	MSIP_SET 0
	SPIN
	csrr a0, mip
	EXPECT_BITS a0, 1 << IRQ_MSI, 0
	csrsi mstatus, MSTATUS_MIE
	SPIN                         /* cleared: nothing more is taken */
	csrci mstatus, MSTATUS_MIE

	CHECK 3   /* machine timer: mtimecmp = mtime + 1000 ticks, wfi */
	li a0, CLINT_MTIME
	ld a1, 0(a0)
	SPIN
	ld a2, 0(a0)
	bltu a1, a2, 1f              /* mtime advances */
	j fail
1:	addi a2, a2, 1000
	MTIMECMP_SET a2
	li a0, 1 << IRQ_MTI
	csrw mie, a0
	la s10, 3f
	csrsi mstatus, MSTATUS_MIE
	li a3, 1000000
2:	wfi
	addi a3, a3, -1
	bnez a3, 2b
	j fail
3:	EXPECT s8, INTR(IRQ_MTI)
	li a0, CLINT_MTIME
	ld a1, 0(a0)
	bgeu a1, a2, 4f              /* not before its time */
	j fail
4:	li a0, -1
	MTIMECMP_SET a0
	csrr a0, mip
	EXPECT_BITS a0, 1 << IRQ_MTI, 0
	csrw mie, zero

	CHECK 4   /* priority: MSI > MTI > SSI when all are pending in M */
#ifndef QEMU_7_2   /* QEMU 7.2 without AIA takes the lowest number first */
	csrw mideleg, zero
	MSIP_SET 1
	MTIMECMP_SET zero
	csrsi mip, 1 << IRQ_SSI
	li a0, (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_SSI)
	csrw mie, a0
	SPIN
	csrr a1, mip
	EXPECT_BITS a1, (1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_SSI), \
		(1 << IRQ_MSI) | (1 << IRQ_MTI) | (1 << IRQ_SSI)
	la s10, 1f
	csrsi mstatus, MSTATUS_MIE
	j fail
1:	EXPECT s8, INTR(IRQ_MSI)
	MSIP_SET 0
	SPIN
	la s10, 1f
	csrsi mstatus, MSTATUS_MIE
	j fail
1:	EXPECT s8, INTR(IRQ_MTI)
	li a0, -1
	MTIMECMP_SET a0
	SPIN
	la s10, 1f
	csrsi mstatus, MSTATUS_MIE
	j fail
1:	EXPECT s8, INTR(IRQ_SSI)
	EXPECT s4, MODE_M
	csrci mip, 1 << IRQ_SSI
	csrsi mstatus, MSTATUS_MIE
	SPIN
	csrci mstatus, MSTATUS_MIE
	csrw mie, zero
#endif

	CHECK 5   /* M-level interrupts are always on below M, whatever MIE is */
	li a0, 1 << IRQ_MSI
	csrw mie, a0
	MSIP_SET 1
	li s5, 1
	la s10, 2f                   /* taken right after the mret */
	GOTO_MODE MODE_S, 1f         /* mret with MPIE = 0 in M */
1:	SPIN
	j fail
2:	EXPECT s8, INTR(IRQ_MSI)
	EXPECT s4, MODE_M
	EXPECT_BITS s6, MSTATUS_MPP, MODE_S << 11
	MSIP_SET 0
	csrw mie, zero

	CHECK 6   /* a delegated SSI is never taken in M, and is taken in S */
	li a0, 1 << IRQ_SSI
	csrw mideleg, a0
	csrr a1, mideleg             /* (QEMU with H also reads VS bits) */
	EXPECT_BITS a1, 0xaaa, 1 << IRQ_SSI
	csrw mie, a0
	csrsi mip, 1 << IRQ_SSI
	csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
	SPIN
	csrci mstatus, MSTATUS_MIE
	la a0, vec_table_s + 1       /* vectored stvec: slot 1 */
	csrw stvec, a0
	li s3, -1
	la s10, 2f
	GOTO_MODE MODE_S, 1f         /* SIE stays 1 */
1:	SPIN
	j fail
2:	EXPECT s4, MODE_S
	EXPECT s8, INTR(IRQ_SSI)
	EXPECT s3, IRQ_SSI
	la a0, s_trap
	csrw stvec, a0
	EXPECT_BITS s6, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
	csrr a0, sip
	EXPECT_BITS a0, 1 << IRQ_SSI, 1 << IRQ_SSI
	csrci sip, 1 << IRQ_SSI      /* S clears its own software interrupt */
	csrr a0, sip
	EXPECT_BITS a0, 1 << IRQ_SSI, 0
	csrr a0, sie
	EXPECT a0, 1 << IRQ_SSI

	CHECK 7   /* in S with SIE = 0 it waits; in U it is taken regardless */
	csrci sstatus, MSTATUS_SIE
	csrsi sip, 1 << IRQ_SSI
	SPIN
	li a0, MSTATUS_SPP | MSTATUS_SPIE
	csrc sstatus, a0
	la a0, 1f
	csrw sepc, a0
	li s5, 1                      /* resume in S: it is still pending */
	la s10, 2f
	sret                          /* to U with SIE = SPIE = 0 */
1:	SPIN
	j fail
2:	EXPECT s4, MODE_S
	EXPECT s8, INTR(IRQ_SSI)
	EXPECT_BITS s6, MSTATUS_SPP, 0
	csrci sip, 1 << IRQ_SSI
	BACK_TO_M 3f
3:	EXPECT_BITS s6, MSTATUS_MPP, MODE_S << 11
	csrw mie, zero
	csrw mideleg, zero

	CHECK 8   /* Sstc: stimecmp in the past raises STIP, taken in S */
#ifndef NO_TIME_CSR   /* spike has no time source for Sstc */
	li a0, 1 << 63                /* menvcfg.STCE */
	csrs menvcfg, a0
	li a0, 2                      /* mcounteren.TM: S may use time, stimecmp */
	csrw mcounteren, a0
	csrr a1, menvcfg
	EXPECT_BITS a1, 1 << 63, 1 << 63
	li a0, NEVER
	csrw stimecmp, a0
	csrr a1, mip
	EXPECT_BITS a1, 1 << IRQ_STI, 0
	csrw stimecmp, zero
	SPIN
	csrr a1, mip
	EXPECT_BITS a1, 1 << IRQ_STI, 1 << IRQ_STI
	li a0, 1 << IRQ_STI
	csrw mideleg, a0
	csrw mie, a0
	GOTO_MODE MODE_S, 1f
1:	la s10, 2f
	csrsi sstatus, MSTATUS_SIE
	SPIN
	j fail
2:	EXPECT s4, MODE_S
	EXPECT s8, INTR(IRQ_STI)
	li a0, NEVER
	NO_TRAP csrw stimecmp, a0    /* S moves its own timer */
	csrr a0, sip
	EXPECT_BITS a0, 1 << IRQ_STI, 0
	csrr a0, stimecmp
	EXPECT a0, NEVER
	/* a timer in the near future fires by itself */
	rdtime a0
	addi a0, a0, 500
	csrw stimecmp, a0
	li a3, 100000                 /* give up 10 ms after the deadline */
	add a3, a3, a0
	la s10, 4f
	csrsi sstatus, MSTATUS_SIE
3:	wfi
	rdtime a2
	bltu a2, a3, 3b
	j fail
4:	EXPECT s8, INTR(IRQ_STI)
	li a0, NEVER
	csrw stimecmp, a0
	BACK_TO_M 5f
5:	csrw mie, zero
	csrw mideleg, zero

	CHECK 9   /* S may not touch stimecmp while mcounteren.TM = 0 */
	csrw mcounteren, zero
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, csrr a0, stimecmp
	TRAPS CAUSE_ILLEGAL, csrw stimecmp, zero
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:
	CHECK 10  /* nor while menvcfg.STCE = 0 */
	li a0, 2
	csrw mcounteren, a0
	li a0, 1 << 63
	csrc menvcfg, a0
	GOTO_MODE MODE_S, 1f
1:	TRAPS CAUSE_ILLEGAL, csrr a0, stimecmp
	TRAPS CAUSE_ILLEGAL, csrw stimecmp, zero
	EXPECT s4, MODE_M
	BACK_TO_M 2f
2:	csrw mcounteren, zero
#endif

	CHECK 11  /* in S, a pending M interrupt goes before a delegated one */
	li a0, 1 << IRQ_SSI
	csrw mideleg, a0
	li a0, (1 << IRQ_SSI) | (1 << IRQ_MSI)
	csrw mie, a0
	csrsi mip, 1 << IRQ_SSI
	MSIP_SET 1
	csrsi mstatus, MSTATUS_SIE
	li s5, 1
	la s10, 2f
	GOTO_MODE MODE_S, 1f
1:	SPIN
	j fail
2:	EXPECT s4, MODE_M
	EXPECT s8, INTR(IRQ_MSI)
	MSIP_SET 0
	SPIN
	csrsi mstatus, MSTATUS_SIE
	la s10, 2f
	GOTO_MODE MODE_S, 1f
1:	SPIN
	j fail
2:	EXPECT s4, MODE_S
	EXPECT s8, INTR(IRQ_SSI)
	csrci sip, 1 << IRQ_SSI
	BACK_TO_M 3f
3:
	CHECK 12  /* among delegated interrupts: SSI before STI */
	li a0, 1 << 63                /* STCE off: M drives STIP through mip */
	csrc menvcfg, a0
	li a0, (1 << IRQ_SSI) | (1 << IRQ_STI)
	csrw mideleg, a0
	csrw mie, a0
	csrs mip, a0
	csrr a1, mip
	EXPECT_BITS a1, (1 << IRQ_SSI) | (1 << IRQ_STI), (1 << IRQ_SSI) | (1 << IRQ_STI)
	csrsi mstatus, MSTATUS_SIE
	la s10, 2f
	GOTO_MODE MODE_S, 1f
1:	SPIN
	j fail
2:	EXPECT s4, MODE_S
	EXPECT s8, INTR(IRQ_SSI)
	csrci sip, 1 << IRQ_SSI
	la s10, 3f
	csrsi sstatus, MSTATUS_SIE
	SPIN
	j fail
3:	EXPECT s8, INTR(IRQ_STI)
	csrr a0, sip
	EXPECT_BITS a0, 1 << IRQ_STI, 1 << IRQ_STI
	BACK_TO_M 4f
4:	li a0, 1 << IRQ_STI            /* only M can lower it */
	csrc mip, a0
	csrr a1, mip
	EXPECT_BITS a1, 1 << IRQ_STI, 0
	csrw mie, zero
	csrw mideleg, zero

	CHECK 13  /* wfi wakes for an interrupt enabled in mie even with MIE = 0 */
	li a0, 1 << IRQ_MTI
	csrw mie, a0
	li a0, CLINT_MTIME
	ld a1, 0(a0)
	addi a2, a1, 1000
	MTIMECMP_SET a2
	li a3, 100000                 /* give up 10 ms after the deadline */
	add a3, a3, a2
1:	wfi                           /* MIE = 0: no trap, just wake up */
	csrr a4, mip
	andi a4, a4, 1 << IRQ_MTI
	bnez a4, 2f
	ld a1, 0(a0)
	bltu a1, a3, 1b
	j fail
2:	ld a1, 0(a0)
	bgeu a1, a2, 3f               /* not before its time */
	j fail
3:
	CHECK 14  /* MSIP and MTIP are driven by the CLINT: mip writes ignore them */
	li a0, (1 << IRQ_MSI) | (1 << IRQ_MTI)
	csrc mip, a0                  /* the timer is still due */
	csrr a1, mip
	EXPECT_BITS a1, (1 << IRQ_MSI) | (1 << IRQ_MTI), 1 << IRQ_MTI
	li a0, -1
	MTIMECMP_SET a0
	li a0, 1 << IRQ_MSI
	csrs mip, a0
	csrr a1, mip
	EXPECT_BITS a1, (1 << IRQ_MSI) | (1 << IRQ_MTI), 0
	csrw mie, zero
	PASS

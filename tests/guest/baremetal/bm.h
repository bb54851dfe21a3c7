/*
 * Macros for the bare-metal privileged-architecture tests.  Each test is an
 * M-mode program (entered by runtime.S at test_main) that runs numbered
 * checks and reports through the HTIF mailbox `tohost`: 1 means pass, and
 * (N << 1) | 1 means check N failed.
 *
 * Register conventions, shared with the trap handlers in runtime.S:
 *   s11  number of the check being run (CHECK n)
 *   s10  where to resume after a trap; 0 means a trap now is unexpected
 *        and fails the current check.  Handlers clear it after use.
 *   s9   xtval, s8 xcause, s7 xepc, s6 xstatus of the last trap
 *   s5   1: resume in the handler's own mode (M or S) instead of the
 *        trapping one, with that mode's interrupts disabled (MIE or
 *        SIE = 0); cleared by the handler
 *   s4   mode of the handler that took the last trap (3 = M, 1 = S)
 *   s3   vector slot of the last trap taken through vec_table
 *   s2   handler scratch
 * Tests use t0-t4, a0-a7, s0, s1, ra; t5 and t6 belong to the macros,
 * and GOTO_MODE also clobbers t0.
 * Interrupt handlers return with the interrupted mode's interrupt enable
 * cleared (xPIE cleared before xRET), so a level-triggered source that is
 * still pending cannot fire twice before the test clears it.
 *
 * The tests are validated on QEMU 7.2 (qemu-check.sh here): its spike
 * machine reports through tohost like popek; its virt machine has no HTIF,
 * so those builds (-DSIFIVE_TEST_EXIT) also exit through the sifive-test
 * device.  Checks where QEMU 7.2 departs from the spec sit in
 * #ifndef QEMU_7_2, checks needing the time CSR (spike has none) in
 * #ifndef NO_TIME_CSR; only those development builds define them.
 */
#ifndef BAREMETAL_BM_H
#define BAREMETAL_BM_H

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define INTR(n) ((1 << 63) | (n))  /* interrupt cause value */

#define CAUSE_INSN_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_BREAKPOINT 3
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_LOAD_ACCESS 5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS 7
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_INSN_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

#define MODE_U 0
#define MODE_S 1
#define MODE_M 3

/* CLINT (same address on QEMU virt, QEMU spike and popek) */
#define CLINT_MSIP     0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME    0x0200bff8

/* sifive-test syscon of QEMU virt: exit(0), or exit(code) for
 * (code << 16) | FAIL.  Used only by -DSIFIVE_TEST_EXIT builds. */
#define SIFIVE_TEST      0x100000
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_FAIL 0x3333

/* An instruction with a reserved major opcode (0b1101011): always illegal. */
#define ILLEGAL_INSN 0x5555506b

#ifdef __ASSEMBLER__

/* CHECK n: the following lines belong to check n (its failure number). */
	.macro CHECK n
	li s11, \n
	.endm

	/* Fail the current check unless reg == val. */
	.macro EXPECT reg, val
	li t6, \val
	beq \reg, t6, .Lok\@
	j fail
.Lok\@:
	.endm

	/* Fail the current check unless reg == reg2. */
	.macro EXPECT_SAME reg, reg2
	beq \reg, \reg2, .Lok\@
	j fail
.Lok\@:
	.endm

	/* Fail unless reg equals one of two values. */
	.macro EXPECT_EITHER reg, val1, val2
	li t6, \val1
	beq \reg, t6, .Lok\@
	li t6, \val2
	beq \reg, t6, .Lok\@
	j fail
.Lok\@:
	.endm

	/* Fail unless (reg & mask) == val. */
	.macro EXPECT_BITS reg, mask, val
	li t6, \mask
	and t6, t6, \reg
	li t5, \val
	beq t6, t5, .Lok\@
	j fail
.Lok\@:
	.endm

	/* TRAPS cause, insn: insn must trap with the cause; execution then
	 * continues after the macro in the trapping mode.  s7 is the address
	 * of insn afterwards, and EXPECT_EPC checks it. */
	.macro TRAPS cause, insn:vararg
	la s10, .Ltrapped\@
.Linsn\@:
	\insn
	j fail
.Ltrapped\@:
	EXPECT s8, \cause
	la t6, .Linsn\@
	beq s7, t6, .Lepc\@
	j fail
.Lepc\@:
	.endm

	/* NO_TRAP insn: insn must complete without a trap (s10 is 0, so a
	 * trap fails the check through the handler). */
	.macro NO_TRAP insn:vararg
	li s10, 0
	\insn
	.endm

	/* From M: continue at label in the given mode (MPP, mepc, mret). */
	.macro GOTO_MODE mode, label
	li t0, MSTATUS_MPP
	csrc mstatus, t0
	li t0, (\mode << 11)
	csrs mstatus, t0
	la t0, \label
	csrw mepc, t0
	mret
	.endm

	/* From S or U: return to M at label (ebreak, which tests never
	 * delegate, taken by the M handler with s5 = 1). */
	.macro BACK_TO_M label
	li s5, 1
	la s10, \label
	ebreak
	.endm

	/* The test is over and everything passed. */
	.macro PASS
	j pass
	.endm

#endif /* __ASSEMBLER__ */
#endif

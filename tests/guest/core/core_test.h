/*
 * Macros for the execution-core tests (tests/guest/core/*.S), run by the
 * core-only harness tests/unit/core_harness.c.  Same reporting as
 * tests/guest/asm: the first failing check prints its line and exits with
 * the check's number (s11); success is exit 0.
 *
 * EXPECT_TRAP(code, tval_reg): runs the code that follows until label 9,
 * expecting it to trap.  The harness's trap protocol (see core_harness.c)
 * resumes at tp with a0 = rv_exit code, a1 = tval, a2 = trapping pc.
 *
 * Reserved registers: s11, t6, tp, and a0-a2 after a trap.
 */
#define RV_EXIT_ECALL 1
#define RV_EXIT_EBREAK 2
#define RV_EXIT_ILLEGAL 3
#define RV_EXIT_FETCH_FAULT 4
#define RV_EXIT_LOAD_FAULT 5
#define RV_EXIT_STORE_FAULT 6
#define RV_EXIT_MISALIGNED 7

#define EXPECT(reg, val) core_expect reg, val, __LINE__
#define EXPECT_SAME(reg, reg2) core_same reg, reg2, __LINE__

	.macro core_expect reg, val, line
	li t6, \val
	core_same \reg, t6, \line
	.endm

	.macro core_same reg, reg2, line
	addi s11, s11, 1
	beq \reg, \reg2, .Lok\@
	la a1, .Lmsg\@
	j fail
	.pushsection .rodata
.Lmsg\@:
	.byte .Lend\@ - .Lmsg\@ - 1
	.ascii "check failed at line \line\n"
.Lend\@:
	.popsection
.Lok\@:
	.endm

	/* The instruction(s) at label \at must trap with exit code \code; on
	 * return a1 = tval and a2 is checked to be \at. */
	.macro trap_begin resume
	la tp, \resume
	.endm

	.macro trap_check code, at, resume, line
	j .Lnotrap\@
\resume:
	core_expect a0, \code, \line
	la t6, \at
	core_same a2, t6, \line
	j .Ldone\@
.Lnotrap\@:
	li tp, 0
	addi s11, s11, 1
	la a1, .Lmsg\@
	j fail
	.pushsection .rodata
.Lmsg\@:
	.byte .Lend\@ - .Lmsg\@ - 1
	.ascii "no trap at line \line\n"
.Lend\@:
	.popsection
.Ldone\@:
	.endm

/* TRAP(code, insn...): insn must trap with code; tval is left in a1. */
#define TRAP(code, ...) trap_begin 8f; 7: __VA_ARGS__; trap_check code, 7b, 8, __LINE__

	.macro TEST_BEGIN
	.text
	.globl _start
_start:
	li s11, 0
	li tp, 0
	.endm

	.macro TEST_END
	li a0, 0
	li a7, 93
	ecall
fail:
	lbu a2, 0(a1)
	addi a1, a1, 1
	li a0, 2
	li a7, 64
	ecall
	mv a0, s11
	li t0, 255
	bleu a0, t0, 1f
	mv a0, t0
1:	li a7, 93
	ecall
	.bss
	.balign 4096
	.globl scratch
scratch:
	.skip 8192
	.text
	.endm

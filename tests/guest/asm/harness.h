/*
 * Harness for the assembler ISA tests: a bare static program (no libc) that
 * runs a sequence of checks.  EXPECT(reg, value) counts the check in s11 and
 * compares; on the first mismatch the program writes "check N failed at
 * FILE line L" to stderr and exits with status N (255 when N > 255), so a
 * pass is exit 0 and anything else names the failing check.
 *
 * Reserved registers: s11 (check counter) and t6 (expected value); tests
 * must not rely on them surviving an EXPECT.  The stack pointer is the one
 * the kernel (or popek) set up; `scratch` is 4 KiB of zeroed data.
 */
#define EXPECT(reg, val) expect_eq reg, val, __LINE__
/* EXPECT_SAME(reg, reg2): the two registers hold the same value. */
#define EXPECT_SAME(reg, reg2) expect_same reg, reg2, __LINE__

	.macro expect_eq reg, val, line
	li t6, \val
	expect_same \reg, t6, \line
	.endm

	.macro expect_same reg, reg2, line
	addi s11, s11, 1
	beq \reg, \reg2, .Lok\@
	la a1, .Lmsg\@
	j fail
	.pushsection .rodata
.Lmsg\@:
	.byte .Lend\@ - .Lmsg\@ - 1    /* length, then the text */
	.ascii "check failed at line \line\n"
.Lend\@:
	.popsection
.Lok\@:
	.endm

	/* TEST_BEGIN: the entry point; TEST_END: exit(0). */
	.macro TEST_BEGIN
	.text
	.globl _start
_start:
	li s11, 0
	.endm

	.macro TEST_END
	li a0, 0
	li a7, 93
	ecall
fail:
	lbu a2, 0(a1)
	addi a1, a1, 1
	li a0, 2
	li a7, 64         /* write(2, a1, a2) */
	ecall
	mv a0, s11
	li t0, 255
	bleu a0, t0, 1f
	mv a0, t0
1:	li a7, 93         /* exit(check number) */
	ecall
	.bss
	.balign 4096
	.globl scratch
scratch:
	.skip 4096
scratch2:
	.skip 4096
	.text
	.endm

/*
 * Self-modifying code: after rewriting an instruction and executing
 * fence.i, the new instruction runs (the decoded block cache is flushed);
 * a hot loop is re-decoded after each rewrite.
 */
#include "core_test.h"

	TEST_BEGIN
	la s1, patch
	li s2, 0
	li s3, 10
loop:
	/* patch = addi a0, zero, s2 */
	slli t0, s2, 20
	li t1, 0x00000513       /* addi a0, zero, 0 */
	or t0, t0, t1
	sw t0, 0(s1)
	fence.i
	jal ra, patch
	EXPECT_SAME(a0, s2)
	addi s2, s2, 1
	blt s2, s3, loop
	TEST_END

	.data
	.balign 4
	.globl patch
patch:
	.word 0x00000013        /* nop, rewritten */
	ret

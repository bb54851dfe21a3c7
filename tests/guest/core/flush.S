/*
 * rv_code_flush(start, len) through the harness's test hook (ecall 0x7000):
 * a flush of a range that holds no decoded code drops nothing (the chunk
 * set works), a flush over rewritten code makes the new code run.
 */
#include "core_test.h"
#define FLUSH(start, len) li a0, start; li a1, len; li a7, 0x7000; ecall
#define FLUSH_COUNT(reg) li a7, 0x7001; ecall; mv reg, a0

	TEST_BEGIN
	/* decoded code near the top of the window too (a c.ret on the stack
	 * page), so the flushes below fall between two code areas */
	li s4, 0xeffff000
	li t0, 0x8082
	sh t0, 0(s4)
	fence.i
	jalr ra, s4
	la s1, patch
	jal ra, patch
	EXPECT(a0, 1)
	FLUSH_COUNT(s2)
	li t0, 0x00200513       /* addi a0, zero, 2 */
	sw t0, 0(s1)
	FLUSH(0x40000000, 0x1000)        /* no code there */
	FLUSH(0x400000, 0x200000)        /* nor there, between code and stack */
	FLUSH_COUNT(s3)
	EXPECT_SAME(s2, s3)
	mv a0, s1
	li a1, 4
	li a7, 0x7000
	ecall
	jal ra, patch
	EXPECT(a0, 2)
	TEST_END

	.data
	.balign 4
patch:
	.word 0x00100513        /* addi a0, zero, 1 */
	ret

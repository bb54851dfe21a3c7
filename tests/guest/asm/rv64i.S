/*
 * RV64I details: W-suffixed operations produce 32-bit results sign-extended
 * from bit 31 and ignore the upper halves of their inputs; shift amounts use
 * 6 bits (5 for W forms); lui and auipc sign-extend their 32-bit results;
 * loads sign- or zero-extend by width; slt/sltu/sltiu compare correctly;
 * writes to x0 are discarded.
 */
#include "harness.h"
#define RR(op, a, b, want) li a0, a; li a1, b; op a2, a0, a1; EXPECT(a2, want)
#define RI(op, a, imm, want) li a0, a; op a2, a0, imm; EXPECT(a2, want)

	TEST_BEGIN
	RR(addw, 0x7fffffff, 1, 0xffffffff80000000)
	RR(addw, 0xffffffff00000001, 0x00000000ffffffff, 0)
	RR(subw, 0x80000000, 1, 0x7fffffff)
	RR(subw, 0, 0x80000000, 0xffffffff80000000)
	RR(sllw, 1, 31, 0xffffffff80000000)
	RR(sllw, 1, 32, 1)                          /* only 5 bits of the amount */
	RR(sllw, 0x00000000c0000001, 1, 0xffffffff80000002)
	RR(srlw, 0xffffffff80000000, 31, 1)
	RR(srlw, 0x1234567880000000, 0, 0xffffffff80000000)  /* shift 0 still sign-extends */
	RR(srlw, 0x0000000080000000, 63, 1)         /* amount 63 & 31 = 31 */
	RR(sraw, 0x0000000080000000, 31, -1)
	RR(sraw, 0x0000000080000000, 4, 0xfffffffff8000000)
	RR(sraw, 0xffffffff7fffffff, 4, 0x07ffffff)
	RI(addiw, 0x7fffffff, 1, 0xffffffff80000000)
	RI(addiw, 0xffffffffffffffff, 0, -1)
	RI(addiw, 0x123456780000000f, -16, -1)      /* sext.w idiom plus */
	RI(slliw, 1, 31, 0xffffffff80000000)
	RI(slliw, 0x00000000ffffffff, 0, -1)
	RI(srliw, 0xffffffff80000000, 0, 0xffffffff80000000)
	RI(srliw, 0xffffffff80000000, 1, 0x40000000)
	RI(sraiw, 0x0000000080000000, 31, -1)
	RI(sraiw, 0x00000000f0000000, 0, 0xfffffffff0000000)
	/* 64-bit shifts by 63 and by register amounts with high bits set */
	RR(sll, 1, 63, 0x8000000000000000)
	RR(sll, 1, 64, 1)
	RR(sll, 3, 0xffffffffffffffc1, 6)           /* amount & 63 = 1 */
	RR(srl, 0x8000000000000000, 63, 1)
	RR(sra, 0x8000000000000000, 63, -1)
	RR(sra, 0x8000000000000000, 0xffffffffffffffff, -1)
	RI(slli, 1, 63, 0x8000000000000000)
	RI(srli, -1, 63, 1)
	RI(srai, 0x8000000000000000, 62, -2)
	RI(srai, 0x4000000000000000, 62, 1)
	/* lui and auipc sign-extend */
	lui a2, 0x80000
	EXPECT(a2, 0xffffffff80000000)
	lui a2, 0x7ffff
	EXPECT(a2, 0x7ffff000)
	lui a2, 0xfffff
	EXPECT(a2, 0xfffffffffffff000)
1:	auipc a2, 0
	la a3, 1b
	EXPECT_SAME(a2, a3)
2:	auipc a2, 0x80000
	la a3, 2b
	sub a4, a2, a3
	EXPECT(a4, 0xffffffff80000000)
3:	auipc a2, 0x7ffff
	la a3, 3b
	sub a4, a2, a3
	EXPECT(a4, 0x7ffff000)
	/* loads extend by width */
	la a0, scratch
	li a1, 0x8081828384858687
	sd a1, 0(a0)
	lb a2, 0(a0)
	EXPECT(a2, 0xffffffffffffff87)
	lbu a2, 0(a0)
	EXPECT(a2, 0x87)
	lh a2, 0(a0)
	EXPECT(a2, 0xffffffffffff8687)
	lhu a2, 2(a0)
	EXPECT(a2, 0x8485)
	lw a2, 4(a0)
	EXPECT(a2, 0xffffffff80818283)
	lwu a2, 4(a0)
	EXPECT(a2, 0x80818283)
	ld a2, 0(a0)
	EXPECT(a2, 0x8081828384858687)
	lh a2, 1(a0)                 /* misaligned: Linux user mode must handle it */
	EXPECT(a2, 0xffffffffffff8586)
	ld a2, 3(a0)
	EXPECT(a2, 0x0000008081828384)
	sb zero, 0(a0)
	sh zero, 2(a0)
	ld a2, 0(a0)
	EXPECT(a2, 0x8081828300008600)
	/* comparisons */
	RR(slt, -1, 0, 1)
	RR(sltu, -1, 0, 0)
	RR(slt, 0x8000000000000000, 0x7fffffffffffffff, 1)
	RR(sltu, 0x8000000000000000, 0x7fffffffffffffff, 0)
	RI(slti, -5, -4, 1)
	RI(sltiu, 5, -1, 1)               /* immediate sign-extended, then unsigned */
	RI(sltiu, 0, 1, 1)                /* seqz */
	RI(xori, 0x0f0f, -1, 0xfffffffffffff0f0)
	RI(andi, 0x123456789abcdef0, -16, 0x123456789abcdef0)
	RI(ori, 0, -2048, 0xfffffffffffff800)
	/* x0 stays zero */
	li a0, 7
	add zero, a0, a0
	addi zero, zero, 5
	EXPECT(zero, 0)
	mv a2, zero
	EXPECT(a2, 0)
	/* branches on signed vs unsigned */
	li a0, -1
	li a1, 1
	li a2, 0
	blt a0, a1, 4f
	li a2, 1
4:	bltu a0, a1, 5f
	addi a2, a2, 2
5:	bge a0, a1, 6f
	addi a2, a2, 4
6:	bgeu a0, a1, 7f
	addi a2, a2, 8
7:	EXPECT(a2, 6)
	/* jalr clears bit 0 of the target and writes pc+4 */
	la a0, 8f
	addi a0, a0, 1
	jalr ra, 0(a0)      /* may assemble as c.jalr: ra = its address + 2 */
9:	li a2, 99           /* skipped */
8:	la a3, 9b
	EXPECT_SAME(ra, a3)
	TEST_END

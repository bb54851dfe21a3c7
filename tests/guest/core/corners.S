/*
 * Integer and control corner cases the core must get exactly right:
 * division by zero and overflow (64 and 32 bit), the high multiplies,
 * shift amounts 63/31 and their masking, jalr with rd = rs1, compressed
 * loads/stores including the FP ones, LR/SC success and failure paths,
 * AMO signedness, and NaN-boxing of singles.
 */
#include "core_test.h"
#define RR(op, a, b, want) li a0, a; li a1, b; op a2, a0, a1; EXPECT(a2, want)
#define RI(op, a, imm, want) li a0, a; op a2, a0, imm; EXPECT(a2, want)
#define INT64_MIN 0x8000000000000000

	TEST_BEGIN
	RR(div, 7, 0, -1)
	RR(divu, 7, 0, -1)
	RR(rem, 7, 0, 7)
	RR(remu, 7, 0, 7)
	RR(div, INT64_MIN, -1, INT64_MIN)
	RR(rem, INT64_MIN, -1, 0)
	RR(div, -7, 2, -3)
	RR(rem, -7, 2, -1)
	RR(divw, 0x80000000, -1, 0xffffffff80000000)
	RR(remw, 0x80000000, -1, 0)
	RR(divw, 5, 0x100000000, -1)         /* divisor's low word is 0 */
	RR(remw, 0xfffffffffffffff9, 0, -7)
	RR(divuw, 0xffffffff, 1, -1)         /* 32-bit result sign-extended */
	RR(remuw, 0x80000000, 0, 0xffffffff80000000)
	RR(mulw, 0x10000, 0x10000, 0)
	RR(mulw, 0x8000, 0x10000, 0xffffffff80000000)
	RR(mulh, -1, -1, 0)
	RR(mulh, INT64_MIN, INT64_MIN, 0x4000000000000000)
	RR(mulhu, -1, -1, -2)
	RR(mulhsu, -1, -1, -1)
	RR(mulhsu, -2, 3, -1)
	RR(mulhsu, 2, -1, 1)
	/* shifts */
	RI(slli, 1, 63, INT64_MIN)
	RI(srai, INT64_MIN, 63, -1)
	RI(srli, INT64_MIN, 63, 1)
	RR(sll, 1, 127, INT64_MIN)           /* amount mod 64 */
	RR(sra, INT64_MIN, 64, INT64_MIN)
	RI(sraiw, 0x80000000, 31, -1)
	RI(srliw, 0x80000000, 31, 1)
	RI(slliw, 1, 31, 0xffffffff80000000)
	RR(sraw, 0x80000000, 63, -1)         /* amount mod 32 */

	/* jalr/c.jalr with rd = rs1 links after computing the target */
	la ra, 1f
3:	jalr ra, 0(ra)
	j fail
1:	la t0, 3b
	addi t0, t0, 4
	EXPECT_SAME(ra, t0)
	la ra, 2f
3:	c.jalr ra
	j fail
2:	la t0, 3b
	addi t0, t0, 2
	EXPECT_SAME(ra, t0)
	/* c.lui sign extension, c.addiw, c.li, c.srai on x8..x15 */
	c.lui a0, 0xfffe0                  /* nzimm 0x20 sign-extended */
	EXPECT(a0, 0xfffffffffffe0000)
	li a0, 0x7fffffff
	c.addiw a0, 1
	EXPECT(a0, 0xffffffff80000000)
	c.li a0, -32
	EXPECT(a0, -32)
	li s0, INT64_MIN
	c.srai s0, 63
	EXPECT(s0, -1)
	/* compressed FP loads/stores */
	la s1, scratch
	li a0, 0x400921fb54442d18
	sd a0, 8(s1)
	c.fld fa0, 8(s1)
	c.fsd fa0, 16(s1)
	ld a1, 16(s1)
	EXPECT_SAME(a0, a1)
	addi sp, sp, -32
	c.fsdsp fa0, 24(sp)
	c.fldsp fa1, 24(sp)
	fmv.x.d a1, fa1
	EXPECT_SAME(a0, a1)
	addi sp, sp, 32

	/* NaN-boxing */
	li a0, 0x12345678
	fmv.d.x fa0, a0                    /* not a boxed single */
	fsgnj.s fa1, fa0, fa0
	fmv.x.d a1, fa1
	EXPECT(a1, 0xffffffff7fc00000)     /* read as the canonical NaN */
	fmv.x.w a1, fa0                    /* transfers ignore boxing */
	EXPECT(a1, 0x12345678)
	li a0, 0x80000001
	fmv.w.x fa0, a0
	fmv.x.d a1, fa0
	EXPECT(a1, 0xffffffff80000001)
	fmv.x.w a1, fa0
	EXPECT(a1, 0xffffffff80000001)     /* sign-extended */
	fsgnjn.s fa1, fa0, fa0
	fmv.x.w a1, fa1
	EXPECT(a1, 1)
	fsgnjx.s fa1, fa0, fa0
	fmv.x.w a1, fa1
	EXPECT(a1, 1)
	li a0, -1
	fmv.d.x fa0, a0
	fsgnjn.d fa1, fa0, fa0
	fmv.x.d a1, fa1
	EXPECT(a1, 0x7fffffffffffffff)
	li a0, 0xabcdef01
	sw a0, 0(s1)
	flw fa2, 0(s1)
	fmv.x.d a1, fa2
	EXPECT(a1, 0xffffffffabcdef01)
	li a0, 0x1122334455667788
	fmv.d.x fa2, a0
	fsw fa2, 4(s1)                     /* stores the low 32 bits as they are */
	lwu a1, 4(s1)
	EXPECT(a1, 0x55667788)

	/* LR/SC */
	li a0, 5
	sd a0, 0(s1)
	sc.d a1, a0, (s1)                  /* no reservation: fails */
	EXPECT(a1, 1)
	lr.d a1, (s1)
	EXPECT(a1, 5)
	li a2, 6
	sc.d a3, a2, (s1)
	EXPECT(a3, 0)
	ld a1, 0(s1)
	EXPECT(a1, 6)
	sc.d a3, a2, (s1)                  /* reservation consumed */
	EXPECT(a3, 1)
	lr.d a1, (s1)
	li a2, 9
	sd a2, 0(s1)                       /* the value changed under it */
	sc.d a3, a0, (s1)
	EXPECT(a3, 1)
	ld a1, 0(s1)
	EXPECT(a1, 9)
	lr.w a1, (s1)
	addi s2, s1, 8
	sc.w a3, a0, (s2)                  /* another address */
	EXPECT(a3, 1)
	li a0, -1
	sw a0, 0(s1)
	lr.w a1, (s1)
	EXPECT(a1, -1)                     /* lr.w sign-extends */
	li a2, 0x7
	sc.w.rl a3, a2, (s1)
	EXPECT(a3, 0)
	lw a1, 0(s1)
	EXPECT(a1, 7)

	/* AMOs: signedness of min/max, w results sign-extended */
	li a0, -1
	sw a0, 0(s1)
	li a2, 1
	amomin.w a1, a2, (s1)
	EXPECT(a1, -1)
	lw a1, 0(s1)
	EXPECT(a1, -1)
	amominu.w a1, a2, (s1)
	lw a1, 0(s1)
	EXPECT(a1, 1)
	amomax.w a1, a0, (s1)
	lw a1, 0(s1)
	EXPECT(a1, 1)
	amomaxu.w a1, a0, (s1)
	lw a1, 0(s1)
	EXPECT(a1, -1)
	li a0, INT64_MIN
	sd a0, 8(s1)
	addi s2, s1, 8
	li a2, 0
	amomax.d.aqrl a1, a2, (s2)
	EXPECT(a1, INT64_MIN)
	ld a1, 8(s1)
	EXPECT(a1, 0)
	amomin.d a1, a0, (s2)
	ld a1, 8(s1)
	EXPECT(a1, INT64_MIN)
	amomaxu.d a1, a2, (s2)
	ld a1, 8(s1)
	EXPECT(a1, INT64_MIN)
	li a0, 0x7fffffff
	sw a0, 0(s1)
	li a2, 1
	amoadd.w a1, a2, (s1)
	lw a1, 0(s1)
	EXPECT(a1, 0xffffffff80000000)
	amoswap.w x0, a2, (s1)             /* rd = x0: still performed */
	lw a1, 0(s1)
	EXPECT(a1, 1)
	amoxor.d a1, a2, (s2)
	amoand.d a1, a2, (s2)
	amoor.d a1, a2, (s2)
	ld a1, 0(s2)
	EXPECT(a1, 1)
	TEST_END

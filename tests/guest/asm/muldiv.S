/*
 * M extension corner cases: division by zero (quotient all ones, remainder
 * the dividend), signed overflow (MIN / -1 = MIN, remainder 0) for the
 * 64-bit and W forms, W results sign-extended from bit 31, and the high
 * multiplies with every sign combination.
 */
#include "harness.h"
#define RR(op, a, b, want) li a0, a; li a1, b; op a2, a0, a1; EXPECT(a2, want)

	TEST_BEGIN
	/* division by zero */
	RR(div,  7, 0, -1)
	RR(div,  -7, 0, -1)
	RR(divu, 7, 0, 0xffffffffffffffff)
	RR(rem,  7, 0, 7)
	RR(rem,  -7, 0, -7)
	RR(remu, 0x8000000000000001, 0, 0x8000000000000001)
	RR(divw, 7, 0, -1)
	RR(divuw, 7, 0, -1)                 /* 0xffffffff sign-extended */
	RR(remw, 0x1234567880000001, 0, 0xffffffff80000001)   /* rem of low word, sign-extended */
	RR(remuw, 0x12345678fffffff9, 0, 0xfffffffffffffff9)
	RR(remuw, 0x1234567800000005, 0, 5)
	/* signed overflow */
	RR(div,  0x8000000000000000, -1, 0x8000000000000000)
	RR(rem,  0x8000000000000000, -1, 0)
	RR(divw, 0x80000000, -1, 0xffffffff80000000)
	RR(remw, 0x80000000, -1, 0)
	RR(divw, 0x7fffffff80000000, 0xffffffff, 0xffffffff80000000)  /* upper bits ignored */
	/* ordinary signs and truncation toward zero */
	RR(div, -7, 2, -3)
	RR(rem, -7, 2, -1)
	RR(div, 7, -2, -3)
	RR(rem, 7, -2, 1)
	RR(divu, -7, 2, 0x7ffffffffffffffc)
	RR(remu, -7, 2, 1)
	RR(divw, 0x00000001fffffff9, 2, -3)          /* low word -7 */
	RR(divuw, 0x00000001fffffff9, 2, 0x7ffffffc)
	RR(remuw, 0xfffffff9, 0x10, 9)
	RR(divuw, 0xffffffff, 1, -1)                 /* result bit 31 set: sign-extended */
	/* multiplies */
	RR(mul, 0x123456789abcdef0, 0x0fedcba987654321, 0x2236d88fe5618cf0)
	RR(mulh, -1, -1, 0)
	RR(mulhu, -1, -1, 0xfffffffffffffffe)
	RR(mulhsu, -1, -1, -1)
	RR(mulhsu, 2, -1, 1)
	RR(mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
	RR(mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000)
	RR(mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000)
	RR(mulh, 0x7fffffffffffffff, -2, -1)
	RR(mulw, 0x10000, 0x8000, 0xffffffff80000000)
	RR(mulw, 0x123456789, 0x10, 0x34567890)
	RR(mulw, 0xffffffff00000003, 0x00000001ffffffff, -3)
	/* rd = rs1 = rs2 aliasing */
	li a3, -5
	mul a3, a3, a3
	EXPECT(a3, 25)
	li a3, 9
	divu a3, a3, a3
	EXPECT(a3, 1)
	TEST_END

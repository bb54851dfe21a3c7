/*
 * Zba, Zbb and Zbs: address generation with unsigned-word inputs, count
 * instructions on zero and all-ones inputs (W forms look at 32 bits only),
 * byte reversal and or-combine, rotates by 0/31/32/63 (W forms
 * sign-extend), signed vs unsigned min/max, sign/zero extension, negated
 * logic, and single-bit operations with indexes masked to 6 bits.
 */
#include "harness.h"
#define RR(op, a, b, want) li a0, a; li a1, b; op a2, a0, a1; EXPECT(a2, want)
#define RI(op, a, imm, want) li a0, a; op a2, a0, imm; EXPECT(a2, want)
#define R1(op, a, want) li a0, a; op a2, a0; EXPECT(a2, want)

	TEST_BEGIN
	/* Zba */
	RR(sh1add, 3, 100, 106)
	RR(sh2add, -1, 0, -4)
	RR(sh3add, 0x1000000000000001, 8, 0x8000000000000010)
	RR(add.uw, 0xffffffff80000000, 1, 0x80000001)
	RR(add.uw, -1, 0, 0xffffffff)
	RR(sh1add.uw, 0xffffffffffffffff, 0, 0x1fffffffe)
	RR(sh2add.uw, 0x1234567880000000, 4, 0x200000004)
	RR(sh3add.uw, 0xffffffff00000001, 0x10, 0x18)
	RI(slli.uw, 0xffffffff80000000, 0, 0x80000000)
	RI(slli.uw, 0xffffffffffffffff, 32, 0xffffffff00000000)
	RI(slli.uw, 0xffffffffffffffff, 63, 0x8000000000000000)
	RI(slli.uw, 0x123456789, 4, 0x234567890)
	/* Zbb counts */
	R1(clz, 0, 64)
	R1(clz, 1, 63)
	R1(clz, -1, 0)
	R1(ctz, 0, 64)
	R1(ctz, 0x8000000000000000, 63)
	R1(cpop, -1, 64)
	R1(cpop, 0x5555555555555555, 32)
	R1(clzw, 0xffffffff00000000, 32)
	R1(clzw, 0x0000000000008000, 16)
	R1(clzw, 0x0000000080000000, 0)
	R1(ctzw, 0xffffffff00000000, 32)
	R1(ctzw, 0x0000000100000000, 32)
	R1(ctzw, 0x0000000080000000, 31)
	R1(cpopw, 0xffffffff0000000f, 4)
	R1(cpopw, -1, 32)
	/* bytes */
	R1(rev8, 0x0102030405060708, 0x0807060504030201)
	R1(rev8, 0x80, 0x8000000000000000)
	R1(orc.b, 0x0001008000000010, 0x00ff00ff000000ff)
	R1(orc.b, 0, 0)
	/* rotates */
	RR(rol, 0x8000000000000001, 1, 3)
	RR(rol, 0x8000000000000001, 64, 0x8000000000000001)   /* amount & 63 = 0 */
	RR(ror, 1, 1, 0x8000000000000000)
	RR(ror, 0x0123456789abcdef, 32, 0x89abcdef01234567)
	RR(ror, 0x0123456789abcdef, 0xffffffffffffffc4, 0xf0123456789abcde)  /* amount 4 */
	RR(rolw, 0x0000000080000000, 1, 1)
	RR(rolw, 0xffffffff00000001, 31, 0xffffffff80000000)
	RR(rorw, 1, 1, 0xffffffff80000000)
	RR(rorw, 0x12345678, 32, 0x12345678)               /* amount & 31 = 0 */
	RR(rorw, 0xffffffff87654321, 0, 0xffffffff87654321)
	RR(rorw, 0x0000000087654321, 0, 0xffffffff87654321) /* sign-extends even with 0 */
	RI(rori, 1, 63, 2)
	RI(rori, 0x8000000000000000, 0, 0x8000000000000000)
	RI(roriw, 0x00000000f0000001, 4, 0x000000001f000000)
	RI(roriw, 0x0000000000000001, 1, 0xffffffff80000000)
	RI(roriw, 0x0000000080000000, 0, 0xffffffff80000000)
	/* min/max */
	RR(min, -1, 1, -1)
	RR(minu, -1, 1, 1)
	RR(max, -1, 1, 1)
	RR(maxu, -1, 1, -1)
	RR(min, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	RR(maxu, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	/* extension */
	R1(sext.b, 0x80, 0xffffffffffffff80)
	R1(sext.b, 0x17f, 0x7f)
	R1(sext.h, 0x8000, 0xffffffffffff8000)
	R1(sext.h, 0x12347fff, 0x7fff)
	R1(zext.h, 0xffffffffffff8001, 0x8001)
	/* negated logic */
	RR(andn, 0xff, 0x0f, 0xf0)
	RR(orn, 0, 0x0f, 0xfffffffffffffff0)
	RR(xnor, 0xf0f0, 0xff00, 0xfffffffffffff00f)
	/* Zbs: bit index masked to 6 bits */
	RR(bset, 0, 63, 0x8000000000000000)
	RR(bset, 0, 64, 1)
	RR(bclr, -1, 0, 0xfffffffffffffffe)
	RR(bclr, -1, 127, 0x7fffffffffffffff)
	RR(binv, 0x8000000000000000, 63, 0)
	RR(binv, 0, 32, 0x100000000)
	RR(bext, 0x8000000000000000, 63, 1)
	RR(bext, 0x8000000000000000, 62, 0)
	RR(bext, 0x100000000, 96, 1)
	RI(bseti, 0, 63, 0x8000000000000000)
	RI(bseti, 0, 31, 0x80000000)          /* no sign extension: not a W form */
	RI(bclri, -1, 63, 0x7fffffffffffffff)
	RI(binvi, 0, 0, 1)
	RI(bexti, 0x40, 6, 1)
	RI(bexti, 0x40, 5, 0)
	TEST_END

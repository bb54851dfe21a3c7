/*
 * Zba, Zbb and Zbs: every instruction, with operands that expose
 * signedness, the W forms' sign extension and shift-amount masking.
 */
#include "core_test.h"
#define RR(op, a, b, want) li a0, a; li a1, b; op a2, a0, a1; EXPECT(a2, want)
#define R1(op, a, want) li a0, a; op a2, a0; EXPECT(a2, want)
#define RI(op, a, imm, want) li a0, a; op a2, a0, imm; EXPECT(a2, want)

	TEST_BEGIN
	/* Zba */
	RR(sh1add, 0x8000000000000001, 5, 7)
	RR(sh2add, 3, 1, 13)
	RR(sh3add, -1, 0, -8)
	RR(add.uw, 0xffffffff80000000, 1, 0x80000001)
	RR(sh1add.uw, 0xffffffff80000000, 0, 0x100000000)
	RR(sh2add.uw, 0x1ffffffff, 4, 0x400000000)
	RR(sh3add.uw, 0x100000001, 1, 9)
	RI(slli.uw, 0xffffffff80000001, 4, 0x800000010)
	RI(slli.uw, 0xffffffffffffffff, 63, 0x8000000000000000)
	/* Zbb logic */
	RR(andn, 0xff, 0x0f, 0xf0)
	RR(orn, 0, -2, 1)
	RR(xnor, 0xf0f0, 0x0ff0, 0xffffffffffff00ff)
	/* counts */
	R1(clz, 0, 64)
	R1(clz, 1, 63)
	R1(clz, -1, 0)
	R1(clzw, 0, 32)
	R1(clzw, 0xffffffff00010000, 15)
	R1(ctz, 0, 64)
	R1(ctz, 0x8000000000000000, 63)
	R1(ctzw, 0xffffffff00000000, 32)
	R1(ctzw, 0x80000000, 31)
	R1(cpop, -1, 64)
	R1(cpopw, -1, 32)
	R1(cpopw, 0xffffffff00000003, 2)
	/* min/max signedness */
	RR(max, -1, 1, 1)
	RR(maxu, -1, 1, -1)
	RR(min, -1, 1, -1)
	RR(minu, -1, 1, 1)
	RR(min, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
	/* extension */
	R1(sext.b, 0x180, 0xffffffffffffff80)
	R1(sext.b, 0x17f, 0x7f)
	R1(sext.h, 0x18000, 0xffffffffffff8000)
	R1(zext.h, -1, 0xffff)
	/* rotates */
	RR(rol, 0x8000000000000001, 1, 3)
	RR(rol, 0x8000000000000001, 65, 3)
	RR(ror, 3, 1, 0x8000000000000001)
	RR(ror, 5, 0, 5)
	RI(rori, 1, 63, 2)
	RR(rolw, 0x80000001, 1, 3)
	RR(rolw, 0xffffffff40000000, 1, 0xffffffff80000000)
	RR(rorw, 1, 1, 0xffffffff80000000)
	RR(rorw, 0x1234567800000001, 32, 1)
	RI(roriw, 3, 1, 0xffffffff80000001)
	RI(roriw, 0x80000000, 0, 0xffffffff80000000)
	R1(orc.b, 0x0001008000000f00, 0x00ff00ff0000ff00)
	R1(rev8, 0x0102030405060708, 0x0807060504030201)
	/* Zbs */
	RR(bclr, -1, 63, 0x7fffffffffffffff)
	RR(bclr, -1, 64, -2)                 /* index mod 64 */
	RI(bclri, 0xff, 3, 0xf7)
	RR(bext, 0x8000000000000000, 63, 1)
	RI(bexti, 0x10, 4, 1)
	RI(bexti, 0x10, 3, 0)
	RR(binv, 0, 63, 0x8000000000000000)
	RI(binvi, 1, 0, 0)
	RR(bset, 0, 32, 0x100000000)
	RI(bseti, 0, 63, 0x8000000000000000)
	/* writes to x0 vanish */
	li a0, -1
	clz x0, a0
	sh1add x0, a0, a0
	EXPECT(x0, 0)
	TEST_END

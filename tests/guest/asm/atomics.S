/*
 * A extension: LR/SC success and the failures the specification requires
 * (SC with no reservation, a second SC after the first consumed the
 * reservation, SC to an address outside the reserved set), LR sign
 * extension, SC.W writing only its word; every AMO in W and D forms, with
 * W results sign-extended, signed vs unsigned min/max, W comparisons that
 * must ignore the upper half of rs2, and neighbours left untouched.
 */
#include "harness.h"
/* AMO(op, initial memory, rs2, want rd, want memory) on the doubleword at s0 */
#define AMO(op, mem, src, want_rd, want_mem) \
	li a0, mem; sd a0, 0(s0); li a1, src; op a2, a1, (s0); ld a3, 0(s0); \
	EXPECT(a2, want_rd); EXPECT(a3, want_mem)

	TEST_BEGIN
	la s0, scratch
	la s1, scratch2
	/* SC with no reservation at all must fail and not store */
	li a0, 0x1111111122222222
	sd a0, 0(s0)
	li a1, 0x33
	sc.w a2, a1, (s0)
	snez a2, a2
	EXPECT(a2, 1)
	ld a3, 0(s0)
	EXPECT(a3, 0x1111111122222222)
	/* LR/SC pair succeeds (rd = 0); SC.W writes only the low word */
	lr.w a2, (s0)
	EXPECT(a2, 0x22222222)
	li a1, 0xaaaaaaaa33333333
	sc.w a4, a1, (s0)
	EXPECT(a4, 0)
	ld a3, 0(s0)
	EXPECT(a3, 0x1111111133333333)
	/* the reservation is gone after an SC */
	li a1, 0x44
	sc.w a4, a1, (s0)
	snez a4, a4
	EXPECT(a4, 1)
	lw a3, 0(s0)
	EXPECT(a3, 0x33333333)
	/* LR.W sign-extends */
	li a0, 0x80000000
	sw a0, 0(s0)
	lr.w a2, (s0)
	EXPECT(a2, 0xffffffff80000000)
	sc.w a4, a0, (s0)
	EXPECT(a4, 0)
	/* SC.D to a different page than the LR.D fails and stores nothing */
	li a0, 0x5555
	sd a0, 0(s1)
	lr.d a2, (s0)
	li a1, 0x6666
	sc.d a4, a1, (s1)
	snez a4, a4
	EXPECT(a4, 1)
	ld a3, 0(s1)
	EXPECT(a3, 0x5555)
	/* LR.D/SC.D succeed with the acquire/release bits too */
	li a0, 0x8000000000000001
	sd a0, 0(s0)
	lr.d.aq a2, (s0)
	EXPECT(a2, 0x8000000000000001)
	li a1, 0x7777
	sc.d.rl a4, a1, (s0)
	EXPECT(a4, 0)
	ld a3, 0(s0)
	EXPECT(a3, 0x7777)
	/* an LR/SC increment loop, as compilers emit it */
	li a0, 41
	sw a0, 0(s0)
1:	lr.w.aqrl a2, (s0)
	addiw a2, a2, 1
	sc.w.aqrl a4, a2, (s0)
	bnez a4, 1b
	lw a3, 0(s0)
	EXPECT(a3, 42)

	/* AMO .w: rd gets the old word sign-extended; the upper word stays */
	AMO(amoswap.w, 0x1234567880000000, 5, 0xffffffff80000000, 0x1234567800000005)
	AMO(amoadd.w, 0x123456787fffffff, 1, 0x7fffffff, 0x1234567880000000)
	AMO(amoadd.w, 0x12345678ffffffff, 0xffffffff00000001, -1, 0x1234567800000000)
	AMO(amoand.w, 0xfffffffff0f0f0f0, 0xff00ff00, 0xfffffffff0f0f0f0, 0xfffffffff000f000)
	AMO(amoor.w, 0x0000000000000f00, 0x80000000, 0xf00, 0x0000000080000f00)
	AMO(amoxor.w, 0x00000000ffffffff, 0x0000ffff, -1, 0x00000000ffff0000)
	AMO(amomin.w, 0x00000000ffffffff, 1, -1, 0x00000000ffffffff)
	AMO(amominu.w, 0x00000000ffffffff, 1, -1, 0x0000000000000001)
	AMO(amomax.w, 0x00000000ffffffff, 1, -1, 0x0000000000000001)
	AMO(amomaxu.w, 0x00000000ffffffff, 1, -1, 0x00000000ffffffff)
	/* W comparisons look at the low 32 bits of rs2 only */
	AMO(amomin.w, 0x0000000000000001, 0x00000000fffffffe, 1, 0x00000000fffffffe)
	AMO(amomaxu.w, 0x0000000000000001, 0xffffffff00000000, 1, 0x0000000000000001)
	AMO(amomax.w, 0x0000000080000000, 0x7fffffff80000001, 0xffffffff80000000, 0x0000000080000001)
	/* AMO .d */
	AMO(amoswap.d, 0x8000000000000000, 9, 0x8000000000000000, 9)
	AMO(amoadd.d, 0x7fffffffffffffff, 1, 0x7fffffffffffffff, 0x8000000000000000)
	AMO(amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00)
	AMO(amoor.d, 0x8000000000000000, 1, 0x8000000000000000, 0x8000000000000001)
	AMO(amoxor.d, -1, 0x5555555555555555, -1, 0xaaaaaaaaaaaaaaaa)
	AMO(amomin.d, -1, 1, -1, -1)
	AMO(amominu.d, -1, 1, -1, 1)
	AMO(amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
	AMO(amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
	AMO(amoadd.d.aqrl, 40, 2, 40, 42)
	/* AMO.W on the upper word of a doubleword */
	li a0, 0x00000001ffffffff
	sd a0, 0(s0)
	li a1, 1
	addi a5, s0, 4
	amoadd.w a2, a1, (a5)
	ld a3, 0(s0)
	EXPECT(a2, 1)
	EXPECT(a3, 0x00000002ffffffff)
	/* rd = x0: memory still updated */
	li a0, 10
	sd a0, 0(s0)
	li a1, 5
	amoadd.d zero, a1, (s0)
	ld a3, 0(s0)
	EXPECT(a3, 15)
	/* rd == rs2 aliasing: rd gets the old value, memory the old rs2 */
	li a1, 3
	amoswap.d a1, a1, (s0)
	ld a3, 0(s0)
	EXPECT(a1, 15)
	EXPECT(a3, 3)
	TEST_END

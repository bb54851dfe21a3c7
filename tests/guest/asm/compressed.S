/*
 * C extension encodings at their edges, written with explicit c.* mnemonics
 * so the assembler cannot pick another encoding: stack-pointer forms with
 * their largest offsets, 6-bit shift amounts 32..63, negative immediates,
 * W forms that sign-extend, c.lui with a negative immediate, compressed
 * branches and jumps (c.jalr links pc+2), and compressed FP loads/stores.
 */
#include "harness.h"

	TEST_BEGIN
	.option push
	.option rvc
	mv s10, sp                      /* restored at the end */
	/* c.addi16sp: the largest negative and positive steps */
	c.addi16sp sp, -512
	sub a0, s10, sp
	EXPECT(a0, 512)
	c.addi16sp sp, 496
	sub a0, s10, sp
	EXPECT(a0, 16)
	c.addi16sp sp, -496             /* sp = s10 - 512 */
	/* c.addi4spn: rd' = sp + uimm, up to 1020 */
	c.addi4spn a0, sp, 1020
	sub a0, a0, sp
	EXPECT(a0, 1020)
	c.addi4spn a5, sp, 4
	sub a5, a5, sp
	EXPECT(a5, 4)
	/* sp-relative stores and loads at their largest offsets */
	li a1, 0xfedcba9876543210
	c.sdsp a1, 504(sp)
	c.swsp a1, 252(sp)
	c.ldsp a2, 504(sp)
	EXPECT(a2, 0xfedcba9876543210)
	c.lwsp a2, 252(sp)
	EXPECT(a2, 0x76543210)
	li a1, 0x80000001
	c.swsp a1, 0(sp)
	c.lwsp a2, 0(sp)
	EXPECT(a2, 0xffffffff80000001)  /* c.lwsp sign-extends */
	/* register-based loads/stores, largest offsets */
	mv a0, sp
	li a1, 0x8877665544332211
	c.sd a1, 248(a0)
	c.ld a2, 248(a0)
	EXPECT(a2, 0x8877665544332211)
	c.sw a1, 124(a0)
	c.lw a3, 124(a0)
	EXPECT(a3, 0x44332211)
	li a1, 0xf0000000
	c.sw a1, 0(a0)
	c.lw a3, 0(a0)
	EXPECT(a3, 0xfffffffff0000000)
	/* compressed FP loads/stores move raw bits */
	li a1, 0x400921fb54442d18
	c.sd a1, 8(a0)
	c.fld fa0, 8(a0)
	c.fsd fa0, 16(a0)
	c.ld a2, 16(a0)
	EXPECT(a2, 0x400921fb54442d18)
	c.fldsp fa1, 8(sp)
	c.fsdsp fa1, 400(sp)
	c.ldsp a2, 400(sp)
	EXPECT(a2, 0x400921fb54442d18)
	mv sp, s10
	/* shifts with 6-bit amounts */
	li a0, 1
	c.slli a0, 63
	EXPECT(a0, 0x8000000000000000)
	li a0, 0x0000000100000000
	c.slli a0, 32
	EXPECT(a0, 0)
	li a0, 0x8000000000000000
	c.srai a0, 32
	EXPECT(a0, 0xffffffff80000000)
	li a0, 0x8000000000000000
	c.srai a0, 63
	EXPECT(a0, -1)
	li a0, 0x8000000000000000
	c.srli a0, 32
	EXPECT(a0, 0x80000000)
	li a0, -1
	c.srli a0, 63
	EXPECT(a0, 1)
	/* c.andi with negative immediates */
	li a0, 0x123456789abcdeff
	c.andi a0, -32
	EXPECT(a0, 0x123456789abcdee0)
	li a0, 0xff
	c.andi a0, -1
	EXPECT(a0, 0xff)
	li a0, 0xff
	c.andi a0, 31
	EXPECT(a0, 0x1f)
	/* W forms sign-extend */
	li a0, 0x7fffffff
	li a1, 1
	c.addw a0, a1
	EXPECT(a0, 0xffffffff80000000)
	li a0, 0x0000000100000000
	li a1, 1
	c.subw a0, a1
	EXPECT(a0, -1)
	li a0, 0x000000007fffffff
	c.addiw a0, 1
	EXPECT(a0, 0xffffffff80000000)
	li a0, 0x12345678deadbeef
	c.addiw a0, 0                   /* sext.w */
	EXPECT(a0, 0xffffffffdeadbeef)
	li a0, 5
	c.addiw a0, -32
	EXPECT(a0, -27)
	/* c.li, c.lui, c.addi */
	c.li a0, -32
	EXPECT(a0, -32)
	c.li a0, 31
	EXPECT(a0, 31)
	c.lui a0, 0xfffe0               /* nzimm = -32 << 12 */
	EXPECT(a0, 0xfffffffffffe0000)
	c.lui a0, 0xfffff               /* nzimm = -1 << 12 */
	EXPECT(a0, 0xfffffffffffff000)
	c.lui a0, 31
	EXPECT(a0, 0x1f000)
	li a0, 10
	c.addi a0, -32
	EXPECT(a0, -22)
	c.nop
	/* register-register forms */
	li a0, 0x0f0f
	li a1, 0x00ff
	mv a2, a0
	c.and a2, a1
	EXPECT(a2, 0x000f)
	mv a2, a0
	c.or a2, a1
	EXPECT(a2, 0x0fff)
	mv a2, a0
	c.xor a2, a1
	EXPECT(a2, 0x0ff0)
	mv a2, a0
	c.sub a2, a1
	EXPECT(a2, 0x0e10)
	li a4, 3
	c.mv a5, a4
	EXPECT(a5, 3)
	c.add a5, a4
	EXPECT(a5, 6)
	li t0, -1
	c.add t0, t0
	EXPECT(t0, -2)
	/* branches */
	li a0, 0
	li a2, 0
	c.beqz a0, 1f
	li a2, 1
1:	c.bnez a0, 2f
	addi a2, a2, 2
2:	li a0, -1
	c.bnez a0, 3f
	addi a2, a2, 4
3:	c.beqz a0, 4f
	addi a2, a2, 8
4:	EXPECT(a2, 10)
	/* backward c.bnez loop */
	li a0, 5
	li a2, 0
5:	addi a2, a2, 3
	addi a0, a0, -1
	c.bnez a0, 5b
	EXPECT(a2, 15)
	/* jumps */
	li a2, 0
	c.j 6f
	li a2, 1
6:	EXPECT(a2, 0)
	la t0, 7f
	c.jr t0
	li a2, 2
7:	EXPECT(a2, 0)
	la t0, 9f
	c.jalr t0
8:	li a2, 3                        /* skipped; ra points here */
9:	la t1, 8b
	EXPECT_SAME(ra, t1)
	EXPECT(a2, 0)
	/* c.jalr with rs1 = ra: the target is read before ra is written */
	la ra, 11f
	c.jalr ra
10:	li a2, 4
11:	la t1, 10b
	EXPECT_SAME(ra, t1)
	EXPECT(a2, 0)
	.option pop
	TEST_END

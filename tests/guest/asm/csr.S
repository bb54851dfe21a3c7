/*
 * User-visible CSRs: fflags (5 bits), frm (3 bits) and fcsr (8 bits) as
 * views of one register, with csrrw/csrrs/csrrc and their immediate forms
 * returning the old value and masking what they write; FP instructions
 * accruing flags and honouring the dynamic rounding mode; and the cycle,
 * time and instret counters, which must never go backwards.
 */
#include "harness.h"

	TEST_BEGIN
	/* writes are masked to the field width */
	li a0, 0xff
	csrw fflags, a0
	csrr a1, fflags
	EXPECT(a1, 0x1f)
	csrr a1, fcsr
	EXPECT(a1, 0x1f)
	csrw frm, a0
	csrr a1, frm
	EXPECT(a1, 7)
	csrr a1, fcsr
	EXPECT(a1, 0xff)
	li a0, 0xfff
	csrw fcsr, a0
	csrr a1, fcsr
	EXPECT(a1, 0xff)
	/* csrrw returns the old value */
	li a0, 0x45
	csrrw a1, fcsr, a0
	EXPECT(a1, 0xff)
	csrr a1, frm
	EXPECT(a1, 2)
	csrr a1, fflags
	EXPECT(a1, 5)
	/* set and clear bits */
	li a0, 0x18
	csrrs a1, fflags, a0
	EXPECT(a1, 5)
	csrr a1, fflags
	EXPECT(a1, 0x1d)
	li a0, 0x09
	csrrc a1, fflags, a0
	EXPECT(a1, 0x1d)
	csrr a1, fflags
	EXPECT(a1, 0x14)
	/* immediate forms: 5-bit zero-extended uimm */
	csrrwi a1, fflags, 31
	EXPECT(a1, 0x14)
	csrrci a1, fflags, 3
	csrr a1, fflags
	EXPECT(a1, 0x1c)
	csrrsi a1, frm, 1
	EXPECT(a1, 2)
	csrr a1, frm
	EXPECT(a1, 3)
	csrrwi a1, frm, 31               /* masked to 3 bits */
	csrr a1, frm
	EXPECT(a1, 7)
	csrrwi zero, fcsr, 0
	csrr a1, fcsr
	EXPECT(a1, 0)
	/* csrrs with x0 does not write */
	csrrs a1, fcsr, zero
	EXPECT(a1, 0)

	/* FP instructions accrue flags */
	li a0, 1
	fcvt.d.l fa0, a0
	li a0, 3
	fcvt.d.l fa1, a0
	fdiv.d fa2, fa0, fa1             /* 1/3: inexact */
	csrr a1, fflags
	EXPECT(a1, 1)
	fmv.d.x fa3, zero
	fdiv.d fa4, fa0, fa3             /* 1/0: divide by zero, accrued with NX */
	csrr a1, fflags
	EXPECT(a1, 9)
	fdiv.d fa4, fa3, fa3             /* 0/0: invalid */
	csrr a1, fflags
	EXPECT(a1, 0x19)
	fmv.x.d a2, fa4
	EXPECT(a2, 0x7ff8000000000000)   /* the canonical NaN */
	csrw fflags, zero
	/* the dynamic rounding mode */
	fdiv.d fa2, fa0, fa1, dyn
	fmv.x.d a2, fa2
	EXPECT(a2, 0x3fd5555555555555)   /* RNE */
	csrwi frm, 3                     /* RUP */
	fdiv.d fa2, fa0, fa1, dyn
	fmv.x.d a2, fa2
	EXPECT(a2, 0x3fd5555555555556)
	fdiv.d fa2, fa0, fa1, rne        /* a static rm overrides frm */
	fmv.x.d a2, fa2
	EXPECT(a2, 0x3fd5555555555555)
	csrwi frm, 1                     /* RTZ */
	li a0, -1
	fcvt.d.l fa0, a0
	fdiv.d fa2, fa0, fa1
	fmv.x.d a2, fa2
	EXPECT(a2, 0xbfd5555555555555)
	csrwi frm, 2                     /* RDN */
	fdiv.d fa2, fa0, fa1
	fmv.x.d a2, fa2
	EXPECT(a2, 0xbfd5555555555556)
	csrwi frm, 4                     /* RMM: 2.5 -> 3, -2.5 -> -3 */
	li a0, 0x4004000000000000
	fmv.d.x fa0, a0
	fcvt.l.d a2, fa0, dyn
	EXPECT(a2, 3)
	fcvt.l.d a2, fa0, rne
	EXPECT(a2, 2)
	fneg.d fa0, fa0
	fcvt.l.d a2, fa0
	EXPECT(a2, -3)
	csrw fcsr, zero

	/* counters never go backwards; instret and cycle advance over a loop */
	rdcycle s2
	rdtime s3
	rdinstret s4
	li a0, 1000
1:	addi a0, a0, -1
	bnez a0, 1b
	rdcycle s5
	rdtime s6
	rdinstret s7
	sltu a1, s2, s5
	EXPECT(a1, 1)
	sltu a1, s6, s3
	EXPECT(a1, 0)
	sub a1, s7, s4
	sltiu a1, a1, 2000               /* at least the 2000 loop instructions */
	EXPECT(a1, 0)
	csrr a2, cycle
	sltu a1, a2, s5
	EXPECT(a1, 0)
	TEST_END

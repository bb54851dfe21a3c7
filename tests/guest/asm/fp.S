/*
 * F and D semantics that C cannot reach portably: saturating float-to-int
 * conversions (NaN and out-of-range, W results sign-extended), NaN boxing
 * of singles in the 64-bit registers, canonical NaN results, fmin/fmax on
 * signed zeros and NaNs, fclass, quiet vs signalling comparisons, and the
 * signs of the fused multiply-add family.  Each check also looks at fflags.
 */
#include "harness.h"
#define DBL(freg, bits) li t0, bits; fmv.d.x freg, t0
#define FLAGS(want) csrrw t1, fflags, zero; EXPECT(t1, want)

	TEST_BEGIN
	csrw fcsr, zero
	/* float -> int saturation */
	DBL(fa0, 0x7ff8000000000000)                 /* qNaN */
	fcvt.w.d a0, fa0, rtz
	EXPECT(a0, 0x7fffffff)
	FLAGS(0x10)
	fcvt.l.d a0, fa0, rtz
	EXPECT(a0, 0x7fffffffffffffff)
	fcvt.lu.d a0, fa0, rtz
	EXPECT(a0, -1)
	fcvt.wu.d a0, fa0, rtz
	EXPECT(a0, -1)                               /* 0xffffffff sign-extended */
	FLAGS(0x10)
	DBL(fa0, 0xfff0000000000000)                 /* -inf */
	fcvt.w.d a0, fa0, rtz
	EXPECT(a0, 0xffffffff80000000)
	fcvt.l.d a0, fa0, rtz
	EXPECT(a0, 0x8000000000000000)
	fcvt.lu.d a0, fa0, rtz
	EXPECT(a0, 0)
	FLAGS(0x10)
	DBL(fa0, 0x41f0000000000000)                 /* 2^32 */
	fcvt.wu.d a0, fa0, rtz
	EXPECT(a0, -1)
	fcvt.w.d a0, fa0, rtz
	EXPECT(a0, 0x7fffffff)
	FLAGS(0x10)
	DBL(fa0, 0x41efffffffe00000)                 /* 4294967295.0 */
	fcvt.wu.d a0, fa0, rtz
	EXPECT(a0, -1)                               /* in range: no flags, still sign-extended */
	FLAGS(0)
	DBL(fa0, 0xbfe0000000000000)                 /* -0.5 */
	fcvt.wu.d a0, fa0, rtz
	EXPECT(a0, 0)
	FLAGS(1)                                     /* rounds to 0: inexact, not invalid */
	fcvt.wu.d a0, fa0, rdn                       /* rounds to -1: invalid */
	EXPECT(a0, 0)
	FLAGS(0x10)
	DBL(fa0, 0xc1e0000000000000)                 /* -2^31 exactly */
	fcvt.w.d a0, fa0, rtz
	EXPECT(a0, 0xffffffff80000000)
	FLAGS(0)
	li a0, 0x7f800000                            /* +inf single */
	fmv.w.x fa1, a0
	fcvt.w.s a0, fa1
	EXPECT(a0, 0x7fffffff)
	fcvt.lu.s a0, fa1
	EXPECT(a0, -1)
	FLAGS(0x10)

	/* NaN boxing */
	li a0, 0x3f800000
	fmv.w.x fa1, a0
	fmv.x.d a1, fa1
	EXPECT(a1, 0xffffffff3f800000)
	li a0, 0xbf800000
	fmv.w.x fa1, a0
	fmv.x.w a1, fa1                              /* fmv.x.w sign-extends bit 31 */
	EXPECT(a1, 0xffffffffbf800000)
	DBL(fa2, 0x000000003f800000)                 /* not boxed: reads as canonical NaN */
	fadd.s fa3, fa2, fa2
	fmv.x.d a1, fa3
	EXPECT(a1, 0xffffffff7fc00000)
	FLAGS(0)                                     /* a quiet NaN: no invalid */
	fsgnj.s fa3, fa2, fa1
	fmv.x.d a1, fa3
	EXPECT(a1, 0xffffffffffc00000)               /* canonical NaN with the sign of fa1 */
	fmv.x.w a1, fa2                              /* moves raw low bits, no check */
	EXPECT(a1, 0x3f800000)
	la a2, scratch
	fsw fa2, 0(a2)                               /* stores raw low bits */
	lwu a1, 0(a2)
	EXPECT(a1, 0x3f800000)
	flw fa4, 0(a2)
	fmv.x.d a1, fa4
	EXPECT(a1, 0xffffffff3f800000)
	li a0, 0x7f7fffff                            /* FLT_MAX */
	fmv.w.x fa1, a0
	fadd.s fa3, fa1, fa1
	fmv.x.d a1, fa3
	EXPECT(a1, 0xffffffff7f800000)
	FLAGS(5)                                     /* overflow + inexact */

	/* canonical NaN from operations on signalling NaNs */
	DBL(fa0, 0x7ff0000000000001)                 /* sNaN */
	DBL(fa1, 0x3ff0000000000000)
	fadd.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0x7ff8000000000000)
	FLAGS(0x10)
	DBL(fa0, 0xfff8000000000123)                 /* negative qNaN with payload */
	fmul.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0x7ff8000000000000)
	FLAGS(0)
	fcvt.s.d fa2, fa0
	fmv.x.d a1, fa2
	EXPECT(a1, 0xffffffff7fc00000)
	fcvt.d.s fa3, fa2
	fmv.x.d a1, fa3
	EXPECT(a1, 0x7ff8000000000000)
	FLAGS(0)

	/* fmin/fmax */
	DBL(fa0, 0x8000000000000000)                 /* -0 */
	DBL(fa1, 0x0000000000000000)                 /* +0 */
	fmin.d fa2, fa1, fa0
	fmv.x.d a1, fa2
	EXPECT(a1, 0x8000000000000000)
	fmax.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0)
	DBL(fa0, 0x7ff8000000000000)
	DBL(fa1, 0x4000000000000000)
	fmin.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0x4000000000000000)
	FLAGS(0)
	DBL(fa0, 0x7ff0000000000001)                 /* sNaN: result still the number, NV set */
	fmax.d fa2, fa1, fa0
	fmv.x.d a1, fa2
	EXPECT(a1, 0x4000000000000000)
	FLAGS(0x10)
	fmin.d fa2, fa0, fa0
	fmv.x.d a1, fa2
	EXPECT(a1, 0x7ff8000000000000)
	FLAGS(0x10)

	/* comparisons: feq is quiet, flt/fle signal on any NaN */
	DBL(fa0, 0x7ff8000000000000)
	feq.d a1, fa0, fa0
	EXPECT(a1, 0)
	FLAGS(0)
	flt.d a1, fa0, fa1
	EXPECT(a1, 0)
	FLAGS(0x10)
	fle.d a1, fa1, fa0
	EXPECT(a1, 0)
	FLAGS(0x10)
	DBL(fa0, 0x8000000000000000)
	DBL(fa1, 0x0000000000000000)
	feq.d a1, fa0, fa1
	EXPECT(a1, 1)
	flt.d a1, fa0, fa1
	EXPECT(a1, 0)

	/* fclass */
	DBL(fa0, 0xfff0000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 0)
	DBL(fa0, 0xbff0000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 1)
	DBL(fa0, 0x800fffffffffffff)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 2)
	DBL(fa0, 0x8000000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 3)
	DBL(fa0, 0x0000000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 4)
	DBL(fa0, 0x0000000000000001)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 5)
	DBL(fa0, 0x3ff0000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 6)
	DBL(fa0, 0x7ff0000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 7)
	DBL(fa0, 0x7ff0000000000001)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 8)
	DBL(fa0, 0x7ff8000000000000)
	fclass.d a1, fa0
	EXPECT(a1, 1 << 9)
	DBL(fa0, 0x000000003f800000)                 /* unboxed single: canonical NaN */
	fclass.s a1, fa0
	EXPECT(a1, 1 << 9)
	FLAGS(0)

	/* fused multiply-add signs: 2*3 and 1 */
	DBL(fa0, 0x4000000000000000)
	DBL(fa1, 0x4008000000000000)
	DBL(fa2, 0x3ff0000000000000)
	fmadd.d fa3, fa0, fa1, fa2                   /*  6 + 1 */
	fcvt.l.d a1, fa3
	EXPECT(a1, 7)
	fmsub.d fa3, fa0, fa1, fa2                   /*  6 - 1 */
	fcvt.l.d a1, fa3
	EXPECT(a1, 5)
	fnmsub.d fa3, fa0, fa1, fa2                  /* -6 + 1 */
	fcvt.l.d a1, fa3
	EXPECT(a1, -5)
	fnmadd.d fa3, fa0, fa1, fa2                  /* -6 - 1 */
	fcvt.l.d a1, fa3
	EXPECT(a1, -7)
	/* fma(inf, 0, qNaN) is invalid on RISC-V */
	DBL(fa0, 0x7ff0000000000000)
	fmv.d.x fa1, zero
	DBL(fa2, 0x7ff8000000000000)
	fmadd.d fa3, fa0, fa1, fa2
	fmv.x.d a1, fa3
	EXPECT(a1, 0x7ff8000000000000)
	FLAGS(0x10)
	/* one rounding only: (1+2^-52)*(1-2^-53) - 1 = 2^-53 - 2^-105 exactly */
	DBL(fa0, 0x3ff0000000000001)
	DBL(fa1, 0x3fefffffffffffff)
	DBL(fa2, 0xbff0000000000000)
	fmadd.d fa3, fa0, fa1, fa2
	fmv.x.d a1, fa3
	EXPECT(a1, 0x3c9ffffffffffffe)
	/* sign injection */
	DBL(fa0, 0x3ff0000000000000)
	DBL(fa1, 0x8000000000000000)
	fsgnjn.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0x3ff0000000000000)
	fsgnjx.d fa2, fa1, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0)
	fsgnj.d fa2, fa0, fa1
	fmv.x.d a1, fa2
	EXPECT(a1, 0xbff0000000000000)
	/* int -> float rounding with a static rm */
	li a0, 0x20000001                           /* 2^29 + 1: not exact in single */
	fcvt.s.w fa0, a0, rup
	fmv.x.w a1, fa0
	EXPECT(a1, 0x4e000001)
	fcvt.s.w fa0, a0, rdn
	fmv.x.w a1, fa0
	EXPECT(a1, 0x4e000000)
	FLAGS(1)
	li a0, -1
	fcvt.d.wu fa0, a0                            /* uses the low 32 bits, unsigned */
	fcvt.lu.d a1, fa0
	EXPECT(a1, 0xffffffff)
	TEST_END

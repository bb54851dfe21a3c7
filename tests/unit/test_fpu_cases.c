/*
 * Hand-checked corner cases for the FPU unit test: each row is one
 * operation, rounding mode, operands, expected bits and expected fflags,
 * worked out from the RISC-V F/D chapters and IEEE 754 (the comment on a
 * group says why the answer is what it is).  Singles are written as 32-bit
 * patterns; integer results of 32-bit conversions are sign-extended.
 */
#include <stdio.h>
#include <string.h>

#include "rv64/fpu.h"
#include "test_fpu.h"

enum { RNE, RTZ, RDN, RUP, RMM };
enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

/* doubles */
#define D_ONE    0x3ff0000000000000ull
#define D_MONE   0xbff0000000000000ull
#define D_TWO    0x4000000000000000ull
#define D_THREE  0x4008000000000000ull
#define D_HALF   0x3fe0000000000000ull
#define D_PZ     0x0000000000000000ull
#define D_NZ     0x8000000000000000ull
#define D_INF    0x7ff0000000000000ull
#define D_NINF   0xfff0000000000000ull
#define D_QNAN   0x7ff8000000000000ull
#define D_QNANP  0xfff8000000000123ull  /* negative quiet NaN with a payload */
#define D_SNAN   0x7ff0000000000001ull
#define D_MAX    0x7fefffffffffffffull
#define D_NMAX   0xffefffffffffffffull
#define D_MINN   0x0010000000000000ull  /* 2^-1022 */
#define D_MAXS   0x000fffffffffffffull
#define D_MINS   0x0000000000000001ull  /* 2^-1074 */
#define D_EPS2   0x3ca0000000000000ull  /* 2^-53: half an ulp of 1.0 */
#define D_1P1    0x3ff0000000000001ull  /* 1 + 2^-52 */
/* singles */
#define S_ONE    0x3f800000ull
#define S_PZ     0x00000000ull
#define S_NZ     0x80000000ull
#define S_INF    0x7f800000ull
#define S_NINF   0xff800000ull
#define S_QNAN   0x7fc00000ull
#define S_SNAN   0x7f800001ull
#define S_MAX    0x7f7fffffull
#define S_MINS   0x00000001ull
#define S_EPS2   0x33800000ull  /* 2^-24 */
#define SX32(v)  ((uint64_t)(int64_t)(int32_t)(uint32_t)(v))

struct corner {
	const char *op;
	int rm;
	uint64_t a, b, c;
	uint64_t want;
	uint32_t ff;
};

static const struct corner corners[] = {
	/* ties at 1.0 + half an ulp: RNE to even (down), RMM away (up) */
	{ "add.d", RNE, D_ONE, D_EPS2, 0, D_ONE, NX },
	{ "add.d", RTZ, D_ONE, D_EPS2, 0, D_ONE, NX },
	{ "add.d", RDN, D_ONE, D_EPS2, 0, D_ONE, NX },
	{ "add.d", RUP, D_ONE, D_EPS2, 0, D_1P1, NX },
	{ "add.d", RMM, D_ONE, D_EPS2, 0, D_1P1, NX },
	/* odd significand: RNE and RMM both go up */
	{ "add.d", RNE, D_1P1, D_EPS2, 0, 0x3ff0000000000002ull, NX },
	{ "add.d", RMM, D_1P1, D_EPS2, 0, 0x3ff0000000000002ull, NX },
	{ "add.d", RTZ, D_1P1, D_EPS2, 0, D_1P1, NX },
	/* negative ties: RMM is away from zero, RDN towards -inf */
	{ "add.d", RMM, D_MONE, D_EPS2 | D_NZ, 0, 0xbff0000000000001ull, NX },
	{ "add.d", RDN, D_MONE, D_EPS2 | D_NZ, 0, 0xbff0000000000001ull, NX },
	{ "add.d", RUP, D_MONE, D_EPS2 | D_NZ, 0, D_MONE, NX },
	{ "sub.d", RMM, D_ONE, D_EPS2 | D_NZ, 0, D_1P1, NX },
	{ "add.s", RNE, S_ONE, S_EPS2, 0, S_ONE, NX },
	{ "add.s", RMM, S_ONE, S_EPS2, 0, 0x3f800001, NX },
	{ "sub.s", RMM, 0xbf800000, S_EPS2, 0, 0xbf800001, NX },
	/* signs of zero sums: +0 except rounding down; like signs keep it */
	{ "add.d", RNE, D_ONE, D_MONE, 0, D_PZ, 0 },
	{ "add.d", RDN, D_ONE, D_MONE, 0, D_NZ, 0 },
	{ "add.d", RMM, D_ONE, D_MONE, 0, D_PZ, 0 },
	{ "sub.d", RDN, D_ONE, D_ONE, 0, D_NZ, 0 },
	{ "add.d", RNE, D_NZ, D_NZ, 0, D_NZ, 0 },
	{ "add.d", RUP, D_NZ, D_NZ, 0, D_NZ, 0 },
	{ "add.d", RNE, D_PZ, D_NZ, 0, D_PZ, 0 },
	{ "add.d", RDN, D_PZ, D_NZ, 0, D_NZ, 0 },
	{ "add.d", RMM, D_PZ, D_NZ, 0, D_PZ, 0 },
	{ "sub.s", RNE, S_NZ, S_PZ, 0, S_NZ, 0 },
	{ "sub.s", RDN, S_PZ, S_PZ, 0, S_NZ, 0 },
	/* infinities and NaNs: any NaN result is canonical */
	{ "add.d", RNE, D_INF, D_NINF, 0, D_QNAN, NV },
	{ "sub.d", RNE, D_INF, D_INF, 0, D_QNAN, NV },
	{ "add.d", RNE, D_INF, D_ONE, 0, D_INF, 0 },
	{ "add.d", RNE, D_QNANP, D_ONE, 0, D_QNAN, 0 },
	{ "add.d", RMM, D_QNANP, D_ONE, 0, D_QNAN, 0 },
	{ "add.d", RNE, D_SNAN, D_ONE, 0, D_QNAN, NV },
	{ "add.d", RNE, D_QNAN, D_SNAN, 0, D_QNAN, NV },
	{ "mul.d", RNE, D_SNAN, D_INF, 0, D_QNAN, NV },
	{ "add.s", RNE, 0xffc00123, S_ONE, 0, S_QNAN, 0 },
	{ "add.s", RNE, S_SNAN, S_ONE, 0, S_QNAN, NV },
	{ "add.s", RMM, S_SNAN, S_ONE, 0, S_QNAN, NV },
	/* overflow: inf or the largest finite number depending on direction */
	{ "add.d", RNE, D_MAX, D_MAX, 0, D_INF, OF | NX },
	{ "add.d", RTZ, D_MAX, D_MAX, 0, D_MAX, OF | NX },
	{ "add.d", RDN, D_MAX, D_MAX, 0, D_MAX, OF | NX },
	{ "add.d", RUP, D_MAX, D_MAX, 0, D_INF, OF | NX },
	{ "add.d", RMM, D_MAX, D_MAX, 0, D_INF, OF | NX },
	{ "add.d", RUP, D_NMAX, D_NMAX, 0, D_NMAX, OF | NX },
	{ "add.d", RDN, D_NMAX, D_NMAX, 0, D_NINF, OF | NX },
	{ "mul.s", RTZ, S_MAX, 0x40000000, 0, S_MAX, OF | NX },
	{ "mul.s", RMM, S_MAX, 0xc0000000, 0, S_NINF, OF | NX },
	/* max + half an ulp (2^970) is a tie: RNE's even neighbour and RMM's
	 * away neighbour are both 2^1024, so both overflow; RTZ does not */
	{ "add.d", RNE, D_MAX, 0x7c90000000000000ull, 0, D_INF, OF | NX },
	{ "add.d", RMM, D_MAX, 0x7c90000000000000ull, 0, D_INF, OF | NX },
	{ "add.d", RTZ, D_MAX, 0x7c90000000000000ull, 0, D_MAX, NX },
	{ "add.d", RDN, D_MAX, 0x7c90000000000000ull, 0, D_MAX, NX },
	/* a quarter ulp: only RUP overflows */
	{ "add.d", RNE, D_MAX, 0x7c80000000000000ull, 0, D_MAX, NX },
	{ "add.d", RMM, D_MAX, 0x7c80000000000000ull, 0, D_MAX, NX },
	{ "add.d", RUP, D_MAX, 0x7c80000000000000ull, 0, D_INF, OF | NX },
	/* exact subnormal results raise nothing */
	{ "add.d", RNE, D_MINS, D_MINS, 0, 0x2, 0 },
	{ "div.d", RNE, D_MINN, D_TWO, 0, 0x0008000000000000ull, 0 },
	{ "sub.d", RNE, D_MINN, D_MAXS, 0, D_MINS, 0 },
	/* half the smallest subnormal: a tie between 0 and 2^-1074 */
	{ "mul.d", RNE, D_MINS, D_HALF, 0, D_PZ, UF | NX },
	{ "mul.d", RTZ, D_MINS, D_HALF, 0, D_PZ, UF | NX },
	{ "mul.d", RUP, D_MINS, D_HALF, 0, D_MINS, UF | NX },
	{ "mul.d", RMM, D_MINS, D_HALF, 0, D_MINS, UF | NX },
	{ "mul.d", RNE, D_MINS | D_NZ, D_HALF, 0, D_NZ, UF | NX },
	{ "mul.d", RDN, D_MINS | D_NZ, D_HALF, 0, D_MINS | D_NZ, UF | NX },
	{ "mul.d", RMM, D_MINS | D_NZ, D_HALF, 0, D_MINS | D_NZ, UF | NX },
	{ "mul.s", RNE, S_MINS, 0x3f000000, 0, S_PZ, UF | NX },
	{ "mul.s", RMM, S_MINS, 0x3f000000, 0, S_MINS, UF | NX },
	/* 0.75 * 0x15555555555555*2^-1074 = 2^-1022 - 2^-1076: rounds to the
	 * smallest normal with an unbounded exponent too (tie, RNE even / RMM
	 * away), so it is not tiny after rounding: NX without UF.  Rounding
	 * towards zero stays below 2^-1022: tiny, UF. */
	{ "mul.d", RNE, 0x3fe8000000000000ull, 0x0015555555555555ull, 0, D_MINN, NX },
	{ "mul.d", RMM, 0x3fe8000000000000ull, 0x0015555555555555ull, 0, D_MINN, NX },
	{ "mul.d", RUP, 0x3fe8000000000000ull, 0x0015555555555555ull, 0, D_MINN, NX },
	{ "mul.d", RTZ, 0x3fe8000000000000ull, 0x0015555555555555ull, 0, D_MAXS, UF | NX },
	{ "mul.d", RDN, 0x3fe8000000000000ull, 0x0015555555555555ull, 0, D_MAXS, UF | NX },
	/* (2 - 2^-52) * 2^-1023 = 2^-1022 - 2^-1075 is exact at 53 bits, so it
	 * is tiny even though the subnormal rounding reaches 2^-1022 */
	{ "mul.d", RNE, 0x3fffffffffffffffull, 0x0008000000000000ull, 0, D_MINN, UF | NX },
	{ "mul.d", RMM, 0x3fffffffffffffffull, 0x0008000000000000ull, 0, D_MINN, UF | NX },
	{ "mul.d", RTZ, 0x3fffffffffffffffull, 0x0008000000000000ull, 0, D_MAXS, UF | NX },
	/* single: 31/32 * 0x842108*2^-149 = 2^-126 - 2^-151 */
	{ "mul.s", RNE, 0x3f780000, 0x00842108, 0, 0x00800000, NX },
	{ "mul.s", RMM, 0x3f780000, 0x00842108, 0, 0x00800000, NX },
	{ "mul.s", RTZ, 0x3f780000, 0x00842108, 0, 0x007fffff, UF | NX },
	/* (1+2^-52)^2 = 1 + 2^-51 + 2^-104: a hair above a representable
	 * number, so only RUP moves up */
	{ "mul.d", RNE, D_1P1, D_1P1, 0, 0x3ff0000000000002ull, NX },
	{ "mul.d", RUP, D_1P1, D_1P1, 0, 0x3ff0000000000003ull, NX },
	{ "mul.d", RMM, D_1P1, D_1P1, 0, 0x3ff0000000000002ull, NX },
	/* (1 + 3*2^-52) * 3 = 3 + 4.5 ulps of [2,4): a tie, RNE to even 4,
	 * RMM away to 5 */
	{ "mul.d", RNE, 0x3ff0000000000003ull, D_THREE, 0, 0x4008000000000004ull, NX },
	{ "mul.d", RMM, 0x3ff0000000000003ull, D_THREE, 0, 0x4008000000000005ull, NX },
	{ "mul.d", RTZ, 0x3ff0000000000003ull, D_THREE, 0, 0x4008000000000004ull, NX },
	/* division */
	{ "div.d", RNE, D_ONE, D_PZ, 0, D_INF, DZ },
	{ "div.d", RNE, D_MONE, D_PZ, 0, D_NINF, DZ },
	{ "div.d", RNE, D_ONE, D_NZ, 0, D_NINF, DZ },
	{ "div.d", RMM, D_ONE, D_NZ, 0, D_NINF, DZ },
	{ "div.d", RNE, D_PZ, D_PZ, 0, D_QNAN, NV },
	{ "div.d", RNE, D_INF, D_NINF, 0, D_QNAN, NV },
	{ "div.d", RNE, D_INF, D_PZ, 0, D_INF, 0 },
	{ "div.d", RNE, D_NZ, D_INF, 0, D_NZ, 0 },
	{ "div.d", RNE, D_QNAN, D_PZ, 0, D_QNAN, 0 },
	{ "div.d", RNE, D_ONE, D_THREE, 0, 0x3fd5555555555555ull, NX },
	{ "div.d", RUP, D_ONE, D_THREE, 0, 0x3fd5555555555556ull, NX },
	{ "div.d", RMM, D_ONE, D_THREE, 0, 0x3fd5555555555555ull, NX },
	{ "div.d", RMM, 0xbff0000000000000ull, D_THREE, 0, 0xbfd5555555555555ull, NX },
	/* quotient ties exist only among subnormals: 3*2^-1074 / 2 */
	{ "div.d", RNE, 0x3, D_TWO, 0, 0x2, UF | NX },
	{ "div.d", RMM, 0x3, D_TWO, 0, 0x2, UF | NX },
	{ "div.d", RMM, 0x5, D_TWO, 0, 0x3, UF | NX },
	{ "div.d", RNE, 0x5, D_TWO, 0, 0x2, UF | NX },
	{ "div.d", RNE, D_MAX, D_HALF, 0, D_INF, OF | NX },
	{ "div.s", RNE, S_ONE, S_PZ, 0, S_INF, DZ },
	{ "div.s", RNE, S_PZ, S_NZ, 0, S_QNAN, NV },
	{ "div.s", RMM, 0x40000000, 0x40400000, 0, 0x3f2aaaab, NX },
	{ "div.s", RTZ, 0x40000000, 0x40400000, 0, 0x3f2aaaaa, NX },
	/* square root: never a tie, -0 stays -0, negatives are invalid */
	{ "sqrt.d", RNE, D_NZ, 0, 0, D_NZ, 0 },
	{ "sqrt.d", RNE, D_MONE, 0, 0, D_QNAN, NV },
	{ "sqrt.d", RNE, D_NINF, 0, 0, D_QNAN, NV },
	{ "sqrt.d", RNE, D_INF, 0, 0, D_INF, 0 },
	{ "sqrt.d", RNE, D_SNAN, 0, 0, D_QNAN, NV },
	{ "sqrt.d", RNE, D_QNANP, 0, 0, D_QNAN, 0 },
	{ "sqrt.d", RNE, 0x4010000000000000ull, 0, 0, D_TWO, 0 },
	{ "sqrt.d", RNE, D_TWO, 0, 0, 0x3ff6a09e667f3bcdull, NX },
	{ "sqrt.d", RMM, D_TWO, 0, 0, 0x3ff6a09e667f3bcdull, NX },
	{ "sqrt.d", RUP, D_TWO, 0, 0, 0x3ff6a09e667f3bcdull, NX },
	{ "sqrt.d", RTZ, D_TWO, 0, 0, 0x3ff6a09e667f3bccull, NX },
	{ "sqrt.d", RDN, D_TWO, 0, 0, 0x3ff6a09e667f3bccull, NX },
	{ "sqrt.d", RNE, D_MINS, 0, 0, 0x1e60000000000000ull, 0 },
	{ "sqrt.s", RNE, 0x40000000, 0, 0, 0x3fb504f3, NX },
	{ "sqrt.s", RUP, 0x40000000, 0, 0, 0x3fb504f4, NX },
	{ "sqrt.s", RMM, 0x40000000, 0, 0, 0x3fb504f3, NX },
	{ "sqrt.s", RNE, 0xbf800000, 0, 0, S_QNAN, NV },
	/* fused multiply-add: 0*inf is invalid even with a quiet-NaN addend */
	{ "fmadd.d", RNE, D_PZ, D_INF, D_QNAN, D_QNAN, NV },
	{ "fmadd.d", RNE, D_INF, D_NZ, D_QNANP, D_QNAN, NV },
	{ "fmadd.d", RMM, D_PZ, D_INF, D_QNAN, D_QNAN, NV },
	{ "fnmadd.d", RNE, D_PZ, D_INF, D_ONE, D_QNAN, NV },
	{ "fmadd.s", RNE, S_INF, S_PZ, S_QNAN, S_QNAN, NV },
	{ "fmadd.s", RMM, S_INF, S_PZ, S_QNAN, S_QNAN, NV },
	{ "fmadd.d", RNE, D_ONE, D_ONE, D_QNAN, D_QNAN, 0 },
	{ "fmadd.d", RNE, D_ONE, D_ONE, D_SNAN, D_QNAN, NV },
	{ "fmadd.d", RNE, D_INF, D_ONE, D_NINF, D_QNAN, NV },
	{ "fmsub.d", RNE, D_INF, D_ONE, D_INF, D_QNAN, NV },
	{ "fnmsub.d", RNE, D_INF, D_ONE, D_INF, D_QNAN, NV },  /* -inf + inf */
	{ "fnmsub.d", RNE, D_INF, D_ONE, D_NINF, D_NINF, 0 },
	{ "fmadd.d", RNE, D_ONE, D_ONE, D_INF, D_INF, 0 },
	/* sign rules: fmsub a*b-c, fnmsub -(a*b)+c, fnmadd -(a*b)-c */
	{ "fmadd.d", RNE, D_TWO, D_THREE, D_ONE, 0x401c000000000000ull, 0 },
	{ "fmsub.d", RNE, D_TWO, D_THREE, D_ONE, 0x4014000000000000ull, 0 },
	{ "fnmsub.d", RNE, D_TWO, D_THREE, D_ONE, 0xc014000000000000ull, 0 },
	{ "fnmadd.d", RNE, D_TWO, D_THREE, D_ONE, 0xc01c000000000000ull, 0 },
	{ "fmadd.s", RMM, 0x40000000, 0x40400000, S_ONE, 0x40e00000, 0 },
	{ "fmsub.s", RMM, 0x40000000, 0x40400000, S_ONE, 0x40a00000, 0 },
	{ "fnmsub.s", RMM, 0x40000000, 0x40400000, S_ONE, 0xc0a00000, 0 },
	{ "fnmadd.s", RMM, 0x40000000, 0x40400000, S_ONE, 0xc0e00000, 0 },
	/* zero results of fused operations */
	{ "fmadd.d", RNE, D_ONE, D_MONE, D_ONE, D_PZ, 0 },
	{ "fmadd.d", RDN, D_ONE, D_MONE, D_ONE, D_NZ, 0 },
	{ "fnmsub.d", RNE, D_ONE, D_ONE, D_ONE, D_PZ, 0 },
	{ "fnmadd.d", RNE, D_PZ, D_ONE, D_PZ, D_NZ, 0 },
	{ "fmadd.d", RNE, D_PZ, D_ONE, D_NZ, D_PZ, 0 },
	{ "fmadd.d", RDN, D_PZ, D_ONE, D_NZ, D_NZ, 0 },
	{ "fmsub.d", RNE, D_PZ, D_ONE, D_PZ, D_PZ, 0 },
	{ "fmsub.d", RDN, D_PZ, D_ONE, D_PZ, D_NZ, 0 },
	{ "fmadd.d", RNE, D_NZ, D_ONE, D_NZ, D_NZ, 0 },
	{ "fmadd.d", RNE, D_PZ, D_ONE, D_THREE, D_THREE, 0 },
	/* (1+2^-52)(1-2^-53) - 1 = 2^-53 - 2^-105: exact only when fused */
	{ "fmadd.d", RNE, D_1P1, 0x3fefffffffffffffull, D_MONE, 0x3c9ffffffffffffeull, 0 },
	{ "fmadd.d", RMM, D_1P1, 0x3fefffffffffffffull, D_MONE, 0x3c9ffffffffffffeull, 0 },
	/* one rounding: 1*1 + 2^-53 is a tie */
	{ "fmadd.d", RNE, D_ONE, D_ONE, D_EPS2, D_ONE, NX },
	{ "fmadd.d", RMM, D_ONE, D_ONE, D_EPS2, D_1P1, NX },
	/* single fma where rounding a*b+c to double first and then to single
	 * would give 1.0: -(1-2^-18)2^-24 * (1+2^-18) + (1+2^-23)
	 * = 1 + 2^-24 + 2^-60, just above the midpoint */
	{ "fmadd.s", RNE, 0xb37fffc0, 0x3f800020, 0x3f800001, 0x3f800001, NX },
	{ "fmadd.s", RMM, 0xb37fffc0, 0x3f800020, 0x3f800001, 0x3f800001, NX },
	{ "fmadd.s", RUP, 0xb37fffc0, 0x3f800020, 0x3f800001, 0x3f800001, NX },
	{ "fmadd.s", RTZ, 0xb37fffc0, 0x3f800020, 0x3f800001, 0x3f800000, NX },
	{ "fmadd.s", RDN, 0xb37fffc0, 0x3f800020, 0x3f800001, 0x3f800000, NX },
	/* fused overflow and underflow */
	{ "fmadd.d", RNE, D_MAX, D_TWO, D_NMAX, D_MAX, 0 },
	{ "fmadd.d", RMM, D_MAX, D_TWO, D_PZ, D_INF, OF | NX },
	{ "fmadd.d", RTZ, D_MAX, D_TWO, D_PZ, D_MAX, OF | NX },
	{ "fmadd.d", RMM, D_MINS, D_HALF, D_PZ, D_MINS, UF | NX },
	{ "fmadd.d", RNE, D_MINS, D_HALF, D_NZ, D_PZ, UF | NX },
	/* float -> int32: 2^31 - 0.5 ties to 2^31 (out of range) under RNE
	 * and RMM; out of range raises NV alone */
	{ "cvt.w.d", RNE, 0x41dfffffffe00000ull, 0, 0, 0x7fffffff, NV },
	{ "cvt.w.d", RMM, 0x41dfffffffe00000ull, 0, 0, 0x7fffffff, NV },
	{ "cvt.w.d", RTZ, 0x41dfffffffe00000ull, 0, 0, 0x7fffffff, NX },
	{ "cvt.w.d", RDN, 0x41dfffffffe00000ull, 0, 0, 0x7fffffff, NX },
	{ "cvt.w.d", RUP, 0x41dfffffffe00000ull, 0, 0, 0x7fffffff, NV },
	/* -2^31 - 0.5: RNE to even -2^31; RMM away to -2^31-1, out of range */
	{ "cvt.w.d", RNE, 0xc1e0000000100000ull, 0, 0, SX32(0x80000000), NX },
	{ "cvt.w.d", RMM, 0xc1e0000000100000ull, 0, 0, SX32(0x80000000), NV },
	{ "cvt.w.d", RTZ, 0xc1e0000000100000ull, 0, 0, SX32(0x80000000), NX },
	{ "cvt.w.d", RDN, 0xc1e0000000100000ull, 0, 0, SX32(0x80000000), NV },
	{ "cvt.w.d", RNE, 0xc1e0000000200000ull, 0, 0, SX32(0x80000000), NV },  /* -2^31-1 */
	{ "cvt.w.d", RNE, 0xc1e0000000000000ull, 0, 0, SX32(0x80000000), 0 },   /* -2^31 */
	{ "cvt.w.d", RNE, 0x41e0000000000000ull, 0, 0, 0x7fffffff, NV },        /* 2^31 */
	{ "cvt.w.d", RNE, D_QNAN, 0, 0, 0x7fffffff, NV },
	{ "cvt.w.d", RNE, D_QNANP, 0, 0, 0x7fffffff, NV },
	{ "cvt.w.d", RNE, D_INF, 0, 0, 0x7fffffff, NV },
	{ "cvt.w.d", RNE, D_NINF, 0, 0, SX32(0x80000000), NV },
	{ "cvt.w.d", RNE, D_NZ, 0, 0, 0, 0 },
	{ "cvt.w.d", RNE, 0x4004000000000000ull, 0, 0, 2, NX },                /* 2.5 */
	{ "cvt.w.d", RMM, 0x4004000000000000ull, 0, 0, 3, NX },
	{ "cvt.w.d", RMM, 0xc004000000000000ull, 0, 0, (uint64_t)-3, NX },
	{ "cvt.w.d", RUP, 0xc004000000000000ull, 0, 0, (uint64_t)-2, NX },
	{ "cvt.w.d", RNE, 0x400c000000000000ull, 0, 0, 4, NX },                /* 3.5 */
	/* unsigned: a negative value that rounds to 0 is only inexact */
	{ "cvt.wu.d", RTZ, 0xbfd3333333333333ull, 0, 0, 0, NX },               /* -0.3 */
	{ "cvt.wu.d", RNE, 0xbfd3333333333333ull, 0, 0, 0, NX },
	{ "cvt.wu.d", RUP, 0xbfd3333333333333ull, 0, 0, 0, NX },
	{ "cvt.wu.d", RDN, 0xbfd3333333333333ull, 0, 0, 0, NV },
	{ "cvt.wu.d", RNE, 0xbfe0000000000000ull, 0, 0, 0, NX },               /* -0.5 */
	{ "cvt.wu.d", RMM, 0xbfe0000000000000ull, 0, 0, 0, NV },
	{ "cvt.wu.d", RTZ, D_MONE, 0, 0, 0, NV },
	{ "cvt.wu.d", RNE, D_NZ, 0, 0, 0, 0 },
	{ "cvt.wu.d", RNE, D_NINF, 0, 0, 0, NV },
	/* 32-bit results are sign-extended, unsigned ones too */
	{ "cvt.wu.d", RNE, 0x41efffffffe00000ull, 0, 0, ~0ull, 0 },            /* 2^32-1 */
	{ "cvt.wu.d", RNE, 0x41e0000000000000ull, 0, 0, SX32(0x80000000), 0 }, /* 2^31 */
	{ "cvt.wu.d", RNE, 0x41f0000000000000ull, 0, 0, ~0ull, NV },           /* 2^32 */
	{ "cvt.wu.d", RNE, D_QNAN, 0, 0, ~0ull, NV },
	{ "cvt.wu.d", RNE, D_INF, 0, 0, ~0ull, NV },
	{ "cvt.wu.d", RNE, 0x41efffffffefffffull, 0, 0, ~0ull, NX },          /* 2^32-0.5-ε */
	{ "cvt.wu.d", RNE, 0x41effffffff00000ull, 0, 0, ~0ull, NV },          /* 2^32-0.5 */
	{ "cvt.wu.d", RTZ, 0x41effffffff00000ull, 0, 0, ~0ull, NX },
	/* 64-bit limits: 2^63 and 2^64 are out of range */
	{ "cvt.l.d", RNE, 0x43e0000000000000ull, 0, 0, 0x7fffffffffffffffull, NV },
	{ "cvt.l.d", RNE, 0xc3e0000000000000ull, 0, 0, 0x8000000000000000ull, 0 },
	{ "cvt.l.d", RNE, 0x43dfffffffffffffull, 0, 0, 0x7ffffffffffffc00ull, 0 },
	{ "cvt.l.d", RNE, 0xc3e0000000000001ull, 0, 0, 0x8000000000000000ull, NV },
	{ "cvt.l.d", RNE, D_QNAN, 0, 0, 0x7fffffffffffffffull, NV },
	{ "cvt.l.d", RNE, D_NINF, 0, 0, 0x8000000000000000ull, NV },
	{ "cvt.l.d", RMM, 0xbfe0000000000000ull, 0, 0, ~0ull, NX },           /* -0.5 */
	{ "cvt.l.d", RNE, 0xbfe0000000000000ull, 0, 0, 0, NX },
	{ "cvt.l.d", RNE, D_MINS, 0, 0, 0, NX },
	{ "cvt.l.d", RUP, D_MINS, 0, 0, 1, NX },
	{ "cvt.lu.d", RNE, 0x43f0000000000000ull, 0, 0, ~0ull, NV },
	{ "cvt.lu.d", RNE, 0x43efffffffffffffull, 0, 0, 0xfffffffffffff800ull, 0 },
	{ "cvt.lu.d", RNE, 0x43e0000000000000ull, 0, 0, 0x8000000000000000ull, 0 },
	{ "cvt.lu.d", RNE, D_NINF, 0, 0, 0, NV },
	{ "cvt.lu.d", RNE, D_QNANP, 0, 0, ~0ull, NV },
	{ "cvt.lu.d", RDN, D_MINS | D_NZ, 0, 0, 0, NV },
	{ "cvt.lu.d", RUP, D_MINS | D_NZ, 0, 0, 0, NX },
	{ "cvt.w.s", RNE, 0x4f000000, 0, 0, 0x7fffffff, NV },                  /* 2^31 */
	{ "cvt.w.s", RNE, 0xcf000000, 0, 0, SX32(0x80000000), 0 },
	{ "cvt.w.s", RNE, 0x40200000, 0, 0, 2, NX },                          /* 2.5 */
	{ "cvt.w.s", RMM, 0x40200000, 0, 0, 3, NX },
	{ "cvt.w.s", RMM, 0xc0200000, 0, 0, (uint64_t)-3, NX },
	{ "cvt.w.s", RDN, 0xc0200000, 0, 0, (uint64_t)-3, NX },
	{ "cvt.w.s", RUP, 0xc0200000, 0, 0, (uint64_t)-2, NX },
	{ "cvt.w.s", RNE, S_QNAN, 0, 0, 0x7fffffff, NV },
	{ "cvt.wu.s", RNE, 0x4f800000, 0, 0, ~0ull, NV },                      /* 2^32 */
	{ "cvt.wu.s", RNE, 0x4f7fffff, 0, 0, SX32(0xffffff00), 0 },
	{ "cvt.wu.s", RTZ, 0xbe99999a, 0, 0, 0, NX },                         /* -0.3 */
	{ "cvt.l.s", RNE, 0x5f000000, 0, 0, 0x7fffffffffffffffull, NV },
	{ "cvt.l.s", RNE, 0xdf000000, 0, 0, 0x8000000000000000ull, 0 },
	{ "cvt.lu.s", RNE, 0x5f800000, 0, 0, ~0ull, NV },
	{ "cvt.lu.s", RNE, 0x5f7fffff, 0, 0, 0xffffff0000000000ull, 0 },
	{ "cvt.lu.s", RNE, S_NINF, 0, 0, 0, NV },
	/* int -> float: 2^24+1 and 2^53+1 are ties */
	{ "cvt.s.w", RNE, 16777217, 0, 0, 0x4b800000, NX },
	{ "cvt.s.w", RMM, 16777217, 0, 0, 0x4b800001, NX },
	{ "cvt.s.w", RUP, 16777217, 0, 0, 0x4b800001, NX },
	{ "cvt.s.w", RMM, (uint64_t)-16777217, 0, 0, 0xcb800001, NX },
	{ "cvt.s.w", RDN, (uint64_t)-16777217, 0, 0, 0xcb800001, NX },
	{ "cvt.s.w", RNE, 0, 0, 0, S_PZ, 0 },
	{ "cvt.s.wu", RNE, 0xffffffff, 0, 0, 0x4f800000, NX },
	{ "cvt.s.wu", RTZ, 0xffffffff, 0, 0, 0x4f7fffff, NX },
	{ "cvt.s.l", RNE, 0x8000000000000000ull, 0, 0, 0xdf000000, 0 },
	{ "cvt.s.l", RNE, 0x7fffffffffffffffull, 0, 0, 0x5f000000, NX },
	{ "cvt.s.l", RTZ, 0x7fffffffffffffffull, 0, 0, 0x5effffff, NX },
	{ "cvt.s.lu", RUP, 0xffffffffffffffffull, 0, 0, 0x5f800000, NX },
	{ "cvt.d.l", RNE, 0x20000000000001ull, 0, 0, 0x4340000000000000ull, NX },
	{ "cvt.d.l", RMM, 0x20000000000001ull, 0, 0, 0x4340000000000001ull, NX },
	{ "cvt.d.l", RMM, (uint64_t)-0x20000000000001ll, 0, 0, 0xc340000000000001ull, NX },
	{ "cvt.d.l", RNE, 0x7fffffffffffffffull, 0, 0, 0x43e0000000000000ull, NX },
	{ "cvt.d.l", RTZ, 0x7fffffffffffffffull, 0, 0, 0x43dfffffffffffffull, NX },
	{ "cvt.d.l", RNE, 0x8000000000000000ull, 0, 0, 0xc3e0000000000000ull, 0 },
	{ "cvt.d.lu", RNE, 0xffffffffffffffffull, 0, 0, 0x43f0000000000000ull, NX },
	{ "cvt.d.lu", RTZ, 0xffffffffffffffffull, 0, 0, 0x43efffffffffffffull, NX },
	{ "cvt.d.w", RNE, 0x80000000, 0, 0, 0xc1e0000000000000ull, 0 },
	{ "cvt.d.wu", RNE, 0xffffffff, 0, 0, 0x41efffffffe00000ull, 0 },
	/* narrowing and widening */
	{ "cvt.s.d", RNE, D_SNAN, 0, 0, S_QNAN, NV },
	{ "cvt.s.d", RNE, D_QNANP, 0, 0, S_QNAN, 0 },
	{ "cvt.s.d", RMM, D_QNANP, 0, 0, S_QNAN, 0 },
	{ "cvt.s.d", RNE, D_NINF, 0, 0, S_NINF, 0 },
	{ "cvt.s.d", RNE, D_NZ, 0, 0, S_NZ, 0 },
	{ "cvt.s.d", RNE, D_MAX, 0, 0, S_INF, OF | NX },
	{ "cvt.s.d", RTZ, D_MAX, 0, 0, S_MAX, OF | NX },
	{ "cvt.s.d", RMM, D_NMAX, 0, 0, S_NINF, OF | NX },
	{ "cvt.s.d", RNE, 0x3ff0000010000000ull, 0, 0, S_ONE, NX },        /* 1 + 2^-24 */
	{ "cvt.s.d", RMM, 0x3ff0000010000000ull, 0, 0, 0x3f800001, NX },
	{ "cvt.s.d", RNE, 0x47effffff0000000ull, 0, 0, S_INF, OF | NX },   /* max + half ulp */
	{ "cvt.s.d", RMM, 0x47effffff0000000ull, 0, 0, S_INF, OF | NX },
	{ "cvt.s.d", RTZ, 0x47effffff0000000ull, 0, 0, S_MAX, NX },
	{ "cvt.s.d", RNE, 0x3690000000000000ull, 0, 0, S_PZ, UF | NX },    /* 2^-150 */
	{ "cvt.s.d", RMM, 0x3690000000000000ull, 0, 0, S_MINS, UF | NX },
	{ "cvt.s.d", RNE, 0x36a0000000000000ull, 0, 0, S_MINS, 0 },        /* 2^-149 */
	{ "cvt.s.d", RNE, D_MINS, 0, 0, S_PZ, UF | NX },
	{ "cvt.s.d", RUP, D_MINS, 0, 0, S_MINS, UF | NX },
	{ "cvt.d.s", RNE, S_SNAN, 0, 0, D_QNAN, NV },
	{ "cvt.d.s", RNE, 0xffc00001, 0, 0, D_QNAN, 0 },
	{ "cvt.d.s", RNE, S_MINS, 0, 0, 0x36a0000000000000ull, 0 },
	{ "cvt.d.s", RMM, S_MAX, 0, 0, 0x47efffffe0000000ull, 0 },
	{ "cvt.d.s", RNE, S_NINF, 0, 0, D_NINF, 0 },
	{ "cvt.d.s", RNE, S_NZ, 0, 0, D_NZ, 0 },
	/* min/max: -0 < +0; one NaN gives the other operand */
	{ "min.d", 0, D_NZ, D_PZ, 0, D_NZ, 0 },
	{ "min.d", 0, D_PZ, D_NZ, 0, D_NZ, 0 },
	{ "max.d", 0, D_NZ, D_PZ, 0, D_PZ, 0 },
	{ "max.d", 0, D_PZ, D_NZ, 0, D_PZ, 0 },
	{ "min.d", 0, D_QNAN, D_ONE, 0, D_ONE, 0 },
	{ "max.d", 0, D_ONE, D_QNANP, 0, D_ONE, 0 },
	{ "min.d", 0, D_SNAN, D_ONE, 0, D_ONE, NV },
	{ "max.d", 0, D_NINF, D_SNAN, 0, D_NINF, NV },
	{ "min.d", 0, D_QNAN, D_QNANP, 0, D_QNAN, 0 },
	{ "max.d", 0, D_SNAN, D_QNANP, 0, D_QNAN, NV },
	{ "min.d", 0, D_NINF, D_MAX, 0, D_NINF, 0 },
	{ "max.d", 0, D_MONE, D_MINS, 0, D_MINS, 0 },
	{ "min.d", 0, D_MONE, 0xbff0000000000001ull, 0, 0xbff0000000000001ull, 0 },
	{ "min.s", 0, S_NZ, S_PZ, 0, S_NZ, 0 },
	{ "max.s", 0, S_NZ, S_PZ, 0, S_PZ, 0 },
	{ "min.s", 0, S_QNAN, 0xbf800000, 0, 0xbf800000, 0 },
	{ "max.s", 0, S_SNAN, S_SNAN, 0, S_QNAN, NV },
	{ "max.s", 0, 0xffc00005, S_NINF, 0, S_NINF, 0 },
	/* comparisons: feq quiet, flt/fle signaling */
	{ "eq.d", 0, D_QNAN, D_QNAN, 0, 0, 0 },
	{ "eq.d", 0, D_SNAN, D_ONE, 0, 0, NV },
	{ "eq.d", 0, D_NZ, D_PZ, 0, 1, 0 },
	{ "eq.d", 0, D_ONE, D_ONE, 0, 1, 0 },
	{ "lt.d", 0, D_QNAN, D_ONE, 0, 0, NV },
	{ "le.d", 0, D_ONE, D_QNANP, 0, 0, NV },
	{ "lt.d", 0, D_NZ, D_PZ, 0, 0, 0 },
	{ "le.d", 0, D_PZ, D_NZ, 0, 1, 0 },
	{ "lt.d", 0, D_NINF, D_INF, 0, 1, 0 },
	{ "lt.d", 0, D_ONE, D_ONE, 0, 0, 0 },
	{ "le.d", 0, D_ONE, D_ONE, 0, 1, 0 },
	{ "lt.d", 0, D_MONE, 0xbff0000000000001ull, 0, 0, 0 },
	{ "lt.d", 0, 0xbff0000000000001ull, D_MONE, 0, 1, 0 },
	{ "le.d", 0, D_INF, D_INF, 0, 1, 0 },
	{ "eq.s", 0, S_SNAN, S_SNAN, 0, 0, NV },
	{ "eq.s", 0, S_QNAN, S_ONE, 0, 0, 0 },
	{ "lt.s", 0, S_QNAN, S_ONE, 0, 0, NV },
	{ "le.s", 0, S_NZ, S_PZ, 0, 1, 0 },
	{ "lt.s", 0, 0xbf800000, S_MINS, 0, 1, 0 },
	/* fclass: one bit per class */
	{ "class.d", 0, D_NINF, 0, 0, 0x001, 0 },
	{ "class.d", 0, D_MONE, 0, 0, 0x002, 0 },
	{ "class.d", 0, D_MINS | D_NZ, 0, 0, 0x004, 0 },
	{ "class.d", 0, D_NZ, 0, 0, 0x008, 0 },
	{ "class.d", 0, D_PZ, 0, 0, 0x010, 0 },
	{ "class.d", 0, D_MAXS, 0, 0, 0x020, 0 },
	{ "class.d", 0, D_MINN, 0, 0, 0x040, 0 },
	{ "class.d", 0, D_INF, 0, 0, 0x080, 0 },
	{ "class.d", 0, D_SNAN, 0, 0, 0x100, 0 },
	{ "class.d", 0, D_QNANP, 0, 0, 0x200, 0 },
	{ "class.s", 0, S_NINF, 0, 0, 0x001, 0 },
	{ "class.s", 0, 0x80800000, 0, 0, 0x002, 0 },
	{ "class.s", 0, 0x807fffff, 0, 0, 0x004, 0 },
	{ "class.s", 0, S_NZ, 0, 0, 0x008, 0 },
	{ "class.s", 0, S_PZ, 0, 0, 0x010, 0 },
	{ "class.s", 0, S_MINS, 0, 0, 0x020, 0 },
	{ "class.s", 0, S_MAX, 0, 0, 0x040, 0 },
	{ "class.s", 0, S_INF, 0, 0, 0x080, 0 },
	{ "class.s", 0, 0xff800001, 0, 0, 0x100, 0 },
	{ "class.s", 0, 0xffc00000, 0, 0, 0x200, 0 },
};

/* Run a named operation (the names of the assembler mnemonics). */
static bool call_named(const char *op, int rm, uint64_t a, uint64_t b, uint64_t c,
		       uint32_t *ff, uint64_t *out)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b, z = (uint32_t)c;

#define OP(name, expr) if (!strcmp(op, name)) { *out = (uint64_t)(expr); return true; }
	OP("add.d", fpu_add_d(a, b, rm, ff)) OP("sub.d", fpu_sub_d(a, b, rm, ff))
	OP("mul.d", fpu_mul_d(a, b, rm, ff)) OP("div.d", fpu_div_d(a, b, rm, ff))
	OP("sqrt.d", fpu_sqrt_d(a, rm, ff))
	OP("fmadd.d", fpu_fmadd_d(a, b, c, rm, ff)) OP("fmsub.d", fpu_fmsub_d(a, b, c, rm, ff))
	OP("fnmsub.d", fpu_fnmsub_d(a, b, c, rm, ff)) OP("fnmadd.d", fpu_fnmadd_d(a, b, c, rm, ff))
	OP("add.s", fpu_add_s(x, y, rm, ff)) OP("sub.s", fpu_sub_s(x, y, rm, ff))
	OP("mul.s", fpu_mul_s(x, y, rm, ff)) OP("div.s", fpu_div_s(x, y, rm, ff))
	OP("sqrt.s", fpu_sqrt_s(x, rm, ff))
	OP("fmadd.s", fpu_fmadd_s(x, y, z, rm, ff)) OP("fmsub.s", fpu_fmsub_s(x, y, z, rm, ff))
	OP("fnmsub.s", fpu_fnmsub_s(x, y, z, rm, ff)) OP("fnmadd.s", fpu_fnmadd_s(x, y, z, rm, ff))
	OP("cvt.w.d", fpu_cvt_w_d(a, rm, ff)) OP("cvt.wu.d", fpu_cvt_wu_d(a, rm, ff))
	OP("cvt.l.d", fpu_cvt_l_d(a, rm, ff)) OP("cvt.lu.d", fpu_cvt_lu_d(a, rm, ff))
	OP("cvt.w.s", fpu_cvt_w_s(x, rm, ff)) OP("cvt.wu.s", fpu_cvt_wu_s(x, rm, ff))
	OP("cvt.l.s", fpu_cvt_l_s(x, rm, ff)) OP("cvt.lu.s", fpu_cvt_lu_s(x, rm, ff))
	OP("cvt.d.w", fpu_cvt_d_w((int32_t)x, rm, ff)) OP("cvt.d.wu", fpu_cvt_d_wu(x, rm, ff))
	OP("cvt.d.l", fpu_cvt_d_l((int64_t)a, rm, ff)) OP("cvt.d.lu", fpu_cvt_d_lu(a, rm, ff))
	OP("cvt.s.w", fpu_cvt_s_w((int32_t)x, rm, ff)) OP("cvt.s.wu", fpu_cvt_s_wu(x, rm, ff))
	OP("cvt.s.l", fpu_cvt_s_l((int64_t)a, rm, ff)) OP("cvt.s.lu", fpu_cvt_s_lu(a, rm, ff))
	OP("cvt.s.d", fpu_cvt_s_d(a, rm, ff)) OP("cvt.d.s", fpu_cvt_d_s(x, rm, ff))
	OP("min.d", fpu_min_d(a, b, ff)) OP("max.d", fpu_max_d(a, b, ff))
	OP("eq.d", fpu_eq_d(a, b, ff)) OP("lt.d", fpu_lt_d(a, b, ff)) OP("le.d", fpu_le_d(a, b, ff))
	OP("class.d", fpu_class_d(a))
	OP("min.s", fpu_min_s(x, y, ff)) OP("max.s", fpu_max_s(x, y, ff))
	OP("eq.s", fpu_eq_s(x, y, ff)) OP("lt.s", fpu_lt_s(x, y, ff)) OP("le.s", fpu_le_s(x, y, ff))
	OP("class.s", fpu_class_s(x))
#undef OP
	return false;
}

int run_corner_cases(void)
{
	int bad = 0;

	for (size_t i = 0; i < sizeof(corners) / sizeof(corners[0]); i++) {
		const struct corner *t = &corners[i];
		uint32_t ff = 0;
		uint64_t got;

		if (!call_named(t->op, t->rm, t->a, t->b, t->c, &ff, &got)) {
			fprintf(stderr, "corner case %zu: unknown operation %s\n", i, t->op);
			bad = 1;
			continue;
		}
		if (got != t->want || ff != t->ff) {
			report_mismatch(t->op, t->rm, t->a, t->b, t->c, got, ff, t->want, t->ff);
			bad = 1;
		}
	}
	return bad;
}

/* Print the table as "op rm a b c" lines (for checking it against another
 * implementation during development). */
void dump_corner_cases(void)
{
	for (size_t i = 0; i < sizeof(corners) / sizeof(corners[0]); i++)
		printf("%s %d %llx %llx %llx\n", corners[i].op, corners[i].rm,
		       (unsigned long long)corners[i].a, (unsigned long long)corners[i].b,
		       (unsigned long long)corners[i].c);
}

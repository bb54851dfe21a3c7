/*
 * IEEE-754 corner cases that x86-64 and RISC-V must compute identically:
 * + - * / sqrt fma, conversions and comparisons, in all four C rounding
 * modes, with the exception flags raised by each operation.  Results are
 * printed as hex bit patterns, except NaNs: the two architectures
 * legitimately differ in NaN sign and payload (RISC-V returns the canonical
 * NaN), so a NaN prints only as "nan".  Flags print by name because the FE_*
 * values differ between the architectures.
 */
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint64_t dbits[] = {
	0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
	0x3fb999999999999a, /* 0.1 */ 0x4008000000000000, /* 3 */
	0x3fd5555555555555, /* 1/3 */ 0x7fefffffffffffff, /* DBL_MAX */
	0x0010000000000000, /* DBL_MIN */ 0x0000000000000001, /* min subnormal */
	0x800fffffffffffff, /* -max subnormal */ 0x4340000000000000, /* 2^53 */
	0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, /* qNaN */
	0x3ff0000000000001, /* 1 + ulp */ 0xc1e0000000000000, /* -2^31 */
	0x43dfffffffffffff, /* just below 2^63 */
};
#define ND (sizeof(dbits) / sizeof(dbits[0]))

static const uint32_t fbits[] = {
	0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3dcccccd, /* 0.1f */
	0x40400000, 0x3eaaaaab, 0x7f7fffff, 0x00800000, 0x00000001, 0x807fffff,
	0x4b800000, /* 2^24 */ 0x7f800000, 0xff800000, 0x7fc00000, 0x3f800001,
};
#define NF (sizeof(fbits) / sizeof(fbits[0]))

static const struct { int mode; const char *name; } modes[] = {
	{ FE_TONEAREST, "rne" }, { FE_TOWARDZERO, "rtz" },
	{ FE_DOWNWARD, "rdn" }, { FE_UPWARD, "rup" },
};

static double d_of(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static float f_of(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

/* The flags of the operation just done, by name. */
static const char *flag_names(int f)
{
	static char s[32];
	snprintf(s, sizeof(s), "%s%s%s%s%s",
		 f & FE_INVALID ? "V" : "-", f & FE_DIVBYZERO ? "Z" : "-",
		 f & FE_OVERFLOW ? "O" : "-", f & FE_UNDERFLOW ? "U" : "-",
		 f & FE_INEXACT ? "X" : "-");
	return s;
}

static void put_d(const char *what, double r, int flags)
{
	uint64_t b;
	memcpy(&b, &r, 8);
	if (isnan(r))
		printf(" %s=nan/%s", what, flag_names(flags));
	else
		printf(" %s=%016" PRIx64 "/%s", what, b, flag_names(flags));
}

static void put_f(const char *what, float r, int flags)
{
	uint32_t b;
	memcpy(&b, &r, 4);
	if (isnan(r))
		printf(" %s=nan/%s", what, flag_names(flags));
	else
		printf(" %s=%08" PRIx32 "/%s", what, b, flag_names(flags));
}

/* Evaluate EXPR with clear flags, then capture the flags it raised before
 * printf can disturb them. */
#define DO(put, what, type, expr) do {					\
		feclearexcept(FE_ALL_EXCEPT);				\
		volatile type r_ = (expr);				\
		int f_ = fetestexcept(FE_ALL_EXCEPT);			\
		put(what, r_, f_);					\
	} while (0)

static void double_binops(const char *mode)
{
	for (unsigned i = 0; i < ND; i++) {
		for (unsigned j = 0; j < ND; j++) {
			volatile double a = d_of(dbits[i]), b = d_of(dbits[j]);
			printf("d %s %016" PRIx64 " %016" PRIx64 ":", mode, dbits[i], dbits[j]);
			DO(put_d, "add", double, a + b);
			DO(put_d, "sub", double, a - b);
			DO(put_d, "mul", double, a * b);
			DO(put_d, "div", double, a / b);
			DO(put_d, "fma", double, fma(a, b, d_of(0x3ff0000000000001)));
			DO(put_d, "fms", double, fma(a, a, -b));
			printf("\n");
		}
	}
}

static void float_binops(const char *mode)
{
	for (unsigned i = 0; i < NF; i++) {
		for (unsigned j = 0; j < NF; j++) {
			volatile float a = f_of(fbits[i]), b = f_of(fbits[j]);
			printf("f %s %08" PRIx32 " %08" PRIx32 ":", mode, fbits[i], fbits[j]);
			DO(put_f, "add", float, a + b);
			DO(put_f, "sub", float, a - b);
			DO(put_f, "mul", float, a * b);
			DO(put_f, "div", float, a / b);
			DO(put_f, "fma", float, fmaf(a, b, f_of(0x33800000)));
			printf("\n");
		}
	}
}

static void unary_ops(const char *mode)
{
	for (unsigned i = 0; i < ND; i++) {
		volatile double a = d_of(dbits[i]);
		printf("du %s %016" PRIx64 ":", mode, dbits[i]);
		DO(put_d, "sqrt", double, sqrt(a));
		DO(put_f, "tof", float, (float)a);
		DO(put_d, "neg", double, -a);
		DO(put_d, "abs", double, fabs(a));
		DO(put_d, "rint", double, rint(a));
		/* conversions to integers, only where C defines them */
		if (!isnan(a) && a > -9.2e18 && a < 9.2e18) {
			feclearexcept(FE_ALL_EXCEPT);
			volatile int64_t l = (int64_t)a;
			int f = fetestexcept(FE_ALL_EXCEPT);
			printf(" l=%" PRId64 "/%s", l, flag_names(f));
			feclearexcept(FE_ALL_EXCEPT);
			volatile long lr = lrint(a);
			f = fetestexcept(FE_ALL_EXCEPT);
			printf(" lrint=%ld/%s", lr, flag_names(f));
		}
		if (!isnan(a) && a > -2.1e9 && a < 2.1e9) {
			volatile int32_t w = (int32_t)a;
			printf(" w=%" PRId32, w);
		}
		if (!isnan(a) && a >= 0 && a < 1.8e19) {
			volatile uint64_t u = (uint64_t)a;
			printf(" lu=%" PRIu64, u);
		}
		printf("\n");
	}
	for (unsigned i = 0; i < NF; i++) {
		volatile float a = f_of(fbits[i]);
		printf("fu %s %08" PRIx32 ":", mode, fbits[i]);
		DO(put_f, "sqrt", float, sqrtf(a));
		DO(put_d, "tod", double, (double)a);
		if (!isnan(a) && a > -2.1e9f && a < 2.1e9f) {
			volatile int32_t w = (int32_t)a;
			printf(" w=%" PRId32, w);
		}
		printf("\n");
	}
}

static void int_to_fp(const char *mode)
{
	static const int64_t ints[] = {
		0, 1, -1, 3, (1LL << 53) + 1, -(1LL << 53) - 3, (1LL << 24) + 1,
		INT64_MAX, INT64_MIN, INT64_MAX - 1023, 0x123456789abcdefLL, -7,
	};
	for (unsigned i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		volatile int64_t v = ints[i];
		printf("cvt %s %" PRId64 ":", mode, v);
		DO(put_d, "d", double, (double)v);
		DO(put_d, "du", double, (double)(uint64_t)v);
		DO(put_f, "f", float, (float)v);
		DO(put_f, "fu", float, (float)(uint64_t)v);
		DO(put_d, "dw", double, (double)(int32_t)v);
		DO(put_f, "fw", float, (float)(int32_t)v);
		DO(put_f, "fwu", float, (float)(uint32_t)v);
		printf("\n");
	}
}

/* Quiet comparisons (the isless family never raise for quiet NaNs) and
 * equality, which is quiet on both architectures. */
static void comparisons(void)
{
	for (unsigned i = 0; i < ND; i++) {
		printf("cmp %016" PRIx64 ":", dbits[i]);
		for (unsigned j = 0; j < ND; j++) {
			volatile double a = d_of(dbits[i]), b = d_of(dbits[j]);
			feclearexcept(FE_ALL_EXCEPT);
			int r = (a == b) | isless(a, b) << 1 | islessequal(a, b) << 2 |
				isgreater(a, b) << 3 | isunordered(a, b) << 4;
			int f = fetestexcept(FE_ALL_EXCEPT);
			printf(" %02x%s", r, f & FE_INVALID ? "V" : "");
		}
		printf("\n");
	}
}

static void classify(void)
{
	for (unsigned i = 0; i < ND; i++) {
		volatile double a = d_of(dbits[i]);
		printf("class %016" PRIx64 " %d %d %d %d %d\n", dbits[i],
		       fpclassify(a) == FP_ZERO, fpclassify(a) == FP_SUBNORMAL,
		       fpclassify(a) == FP_NORMAL, isinf(a) ? (signbit(a) ? -1 : 1) : 0,
		       !!isnan(a));
	}
}

static void formatting(void)
{
	/* printf of doubles: exercises the guest libc's integer and FP paths. */
	for (unsigned i = 0; i < ND; i++) {
		volatile double a = d_of(dbits[i]);
		if (isnan(a))
			continue;
		printf("fmt %a %.17g %e %.3f\n", a, a, a, a > 1e20 || a < -1e20 ? 0.0 : a);
	}
}

int main(void)
{
	for (unsigned m = 0; m < 4; m++) {
		if (fesetround(modes[m].mode) != 0) {
			printf("fesetround failed\n");
			return 1;
		}
		double_binops(modes[m].name);
		float_binops(modes[m].name);
		unary_ops(modes[m].name);
		int_to_fp(modes[m].name);
		fesetround(FE_TONEAREST);
	}
	comparisons();
	classify();
	formatting();
	return 0;
}

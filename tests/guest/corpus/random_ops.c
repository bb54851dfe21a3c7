/*
 * A seeded random sweep over integer and IEEE operations, complementing the
 * hand-picked corner cases of int_arith.c and fp_ops.c: operands are drawn
 * with a bias toward the interesting places (small and huge exponents,
 * subnormals, values near powers of two, all-ones and sign-bit patterns),
 * every FP operation runs in all four rounding modes with its flags, and
 * every result is printed (hex; NaNs only as "nan" since x86 and RISC-V
 * produce different NaN bit patterns).  The printed lines are the oracle.
 */
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

/* A double with an exponent chosen to hit edges often. */
static uint64_t pick_double_bits(void)
{
	uint64_t r = next(), mant = next() & 0xfffffffffffffULL, sign = r & 1ULL << 63;
	static const int exps[] = { 0, 1, 2, 0x3fe, 0x3ff, 0x400, 0x433, 0x434, 0x43e, 0x7fd, 0x7fe, 0x7ff };
	unsigned k = (unsigned)(r >> 8) % 24;
	uint64_t e = k < 12 ? (uint64_t)exps[k] : (r >> 16) % 0x7ff;
	if ((r >> 40) % 8 == 0)
		mant = (r >> 44) % 2 ? 0 : 0xfffffffffffffULL;     /* powers of two, all ones */
	return sign | e << 52 | mant;
}

static uint32_t pick_float_bits(void)
{
	uint64_t r = next();
	uint32_t mant = (uint32_t)(next() & 0x7fffff), sign = (uint32_t)(r >> 63) << 31;
	static const int exps[] = { 0, 1, 2, 0x7e, 0x7f, 0x80, 0x96, 0x97, 0x9e, 0xfd, 0xfe, 0xff };
	unsigned k = (unsigned)(r >> 8) % 24;
	uint32_t e = k < 12 ? (uint32_t)exps[k] : (uint32_t)((r >> 16) % 0xff);
	if ((r >> 40) % 8 == 0)
		mant = (r >> 44) % 2 ? 0 : 0x7fffff;
	return sign | e << 23 | mant;
}

static double dbl(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static float flt(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

static char flags_buf[6];
static const char *flags(int f)
{
	flags_buf[0] = f & FE_INVALID ? 'V' : '-';
	flags_buf[1] = f & FE_DIVBYZERO ? 'Z' : '-';
	flags_buf[2] = f & FE_OVERFLOW ? 'O' : '-';
	flags_buf[3] = f & FE_UNDERFLOW ? 'U' : '-';
	flags_buf[4] = f & FE_INEXACT ? 'X' : '-';
	return flags_buf;
}

static void pd(double r, int f)
{
	uint64_t b;
	memcpy(&b, &r, 8);
	if (isnan(r))
		printf(" nan/%s", flags(f));
	else
		printf(" %" PRIx64 "/%s", b, flags(f));
}

static void pf(float r, int f)
{
	uint32_t b;
	memcpy(&b, &r, 4);
	if (isnan(r))
		printf(" nan/%s", flags(f));
	else
		printf(" %" PRIx32 "/%s", b, flags(f));
}

#define RUN(put, type, expr) do {					\
		feclearexcept(FE_ALL_EXCEPT);				\
		volatile type r_ = (expr);				\
		int f_ = fetestexcept(FE_ALL_EXCEPT);			\
		put(r_, f_);						\
	} while (0)

static const int modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };

static void doubles(int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t ab = pick_double_bits(), bb = pick_double_bits(), cb = pick_double_bits();
		printf("D %" PRIx64 " %" PRIx64 " %" PRIx64 ":", ab, bb, cb);
		for (int m = 0; m < 4; m++) {
			fesetround(modes[m]);
			volatile double a = dbl(ab), b = dbl(bb), c = dbl(cb);
			RUN(pd, double, a + b);
			RUN(pd, double, a * b);
			RUN(pd, double, a / b);
			RUN(pd, double, sqrt(fabs(a)));
			RUN(pd, double, fma(a, b, c));
			RUN(pf, float, (float)a);
			if (!isnan(a) && fabs(a) < 9e18)
				RUN(pd, double, (double)(int64_t)a);
			if (!isnan(a) && fabs(a) < 9e18)
				RUN(pd, double, (double)llrint(a));
			printf(" |");
		}
		fesetround(FE_TONEAREST);
		printf("\n");
	}
}

static void floats(int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t ab = pick_float_bits(), bb = pick_float_bits(), cb = pick_float_bits();
		printf("F %" PRIx32 " %" PRIx32 " %" PRIx32 ":", ab, bb, cb);
		for (int m = 0; m < 4; m++) {
			fesetround(modes[m]);
			volatile float a = flt(ab), b = flt(bb), c = flt(cb);
			RUN(pf, float, a - b);
			RUN(pf, float, a * b);
			RUN(pf, float, a / b);
			RUN(pf, float, sqrtf(fabsf(a)));
			RUN(pf, float, fmaf(a, b, c));
			RUN(pd, double, (double)a * (double)b);
			if (!isnan(a) && fabsf(a) < 2e9f)
				RUN(pf, float, (float)(int32_t)a);
			printf(" |");
		}
		fesetround(FE_TONEAREST);
		printf("\n");
	}
}

static void int_to_float(int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t v = next() >> (next() % 64);
		printf("I %" PRIx64 ":", v);
		for (int m = 0; m < 4; m++) {
			fesetround(modes[m]);
			volatile uint64_t u = v;
			RUN(pd, double, (double)u);
			RUN(pd, double, (double)(int64_t)u);
			RUN(pf, float, (float)u);
			RUN(pf, float, (float)(int64_t)u);
			RUN(pf, float, (float)(uint32_t)u);
			RUN(pd, double, (double)(int32_t)u);
		}
		fesetround(FE_TONEAREST);
		printf("\n");
	}
}

static void integers(int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t a = next() >> (next() % 64), b = next() >> (next() % 64);
		if (next() % 4 == 0)
			a = ~a;
		if (next() % 4 == 0)
			b = -b;
		int64_t sa = (int64_t)a, sb = (int64_t)b;
		unsigned __int128 pu = (unsigned __int128)a * b;
		__int128 ps = (__int128)sa * sb;
		printf("N %" PRIx64 " %" PRIx64 ": %" PRIx64 " %" PRIx64 " %" PRIx64, a, b,
		       (uint64_t)(pu >> 64), (uint64_t)((unsigned __int128)ps >> 64), (uint64_t)pu);
		if (b)
			printf(" %" PRIx64 " %" PRIx64, a / b, a % b);
		if (sb && !(sa == INT64_MIN && sb == -1))
			printf(" %" PRIx64 " %" PRIx64, (uint64_t)(sa / sb), (uint64_t)(sa % sb));
		uint32_t wa = (uint32_t)a, wb = (uint32_t)b;
		if (wb && !((int32_t)wa == INT32_MIN && (int32_t)wb == -1))
			printf(" %" PRIx32 " %" PRIx32 " %" PRIx32 " %" PRIx32, wa / wb, wa % wb,
			       (uint32_t)((int32_t)wa / (int32_t)wb), (uint32_t)((int32_t)wa % (int32_t)wb));
		printf(" %" PRIx32 " %d %d %d\n", wa * wb, __builtin_popcountll(a),
		       a ? __builtin_clzll(a) : 64, b ? __builtin_ctzll(b) : 64);
	}
}

int main(void)
{
	doubles(1500);
	floats(1500);
	int_to_float(300);
	integers(2000);
	return 0;
}

/*
 * RISC-V F/D arithmetic: add, sub, mul, div, sqrt and the four fused
 * multiply-adds, in both precisions.
 *
 * The fast path is one SSE instruction run under the requested rounding
 * mode (MXCSR is touched only when it differs from what the thread already
 * has, so RNE on an untouched host thread costs two MXCSR reads), with the
 * host's exception flags translated to fflags and any NaN result replaced
 * by the canonical NaN.  x86 detects tininess after rounding and raises
 * underflow (masked) only when the tiny result is also inexact, exactly as
 * RISC-V wants, and raises invalid for signaling NaN operands.
 *
 * The arithmetic itself is inline assembly, not C operators: the compiler
 * does not know that MXCSR changes rounding, and would be free to move or
 * constant-fold a C addition across the MXCSR writes.
 *
 * RMM has no host equivalent and goes to the exact software engine, as
 * does fused multiply-add on a host without the FMA extension.
 *
 * RNE with the host MXCSR in its default state has a faster path still:
 * reading MXCSR after the operation costs as much as the arithmetic on some
 * hosts, so add/sub/mul/div/sqrt work out inexactness in software with an
 * exact error term (Fast2Sum for sums, an FMA residual for products,
 * quotients and roots; singles check in double, where their products are
 * exact) and just write the default MXCSR back.  They only take operands
 * and results for which that error term is exact and no other flag can
 * arise; anything else (specials, overflow, tiny results) takes the
 * general path.
 */
#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"

#define SSE_BINOP(name, type, insn)                                       \
	static inline type name(type a, type b)                           \
	{                                                                 \
		__asm__ volatile(insn " %1, %0" : "+x"(a) : "x"(b));      \
		return a;                                                 \
	}

SSE_BINOP(sse_add_d, double, "addsd")
SSE_BINOP(sse_sub_d, double, "subsd")
SSE_BINOP(sse_mul_d, double, "mulsd")
SSE_BINOP(sse_div_d, double, "divsd")
SSE_BINOP(sse_add_s, float, "addss")
SSE_BINOP(sse_sub_s, float, "subss")
SSE_BINOP(sse_mul_s, float, "mulss")
SSE_BINOP(sse_div_s, float, "divss")

static inline double sse_cvt_s_to_d(float a)
{
	double r;

	__asm__ volatile("cvtss2sd %1, %0" : "=x"(r) : "x"(a));
	return r;
}

static inline double sse_sqrt_d(double a)
{
	__asm__ volatile("sqrtsd %0, %0" : "+x"(a));
	return a;
}

static inline float sse_sqrt_s(float a)
{
	__asm__ volatile("sqrtss %0, %0" : "+x"(a));
	return a;
}

/* c = a*b + c, one rounding (needs the FMA extension; see have_host_fma) */
static inline double fma3_d(double a, double b, double c)
{
	__asm__ volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
	return c;
}

static inline float fma3_s(float a, float b, float c)
{
	__asm__ volatile("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
	return c;
}

static inline bool have_host_fma(void)
{
	return __builtin_cpu_supports("fma");
}

static inline uint64_t result_d(double r)
{
	uint64_t bits = fpu_d_to_bits(r);

	return fpu_is_nan(&fpu_fmt_d, bits) ? fpu_fmt_d.canon : bits;
}

static inline uint32_t result_s(float r)
{
	uint32_t bits = fpu_s_to_bits(r);

	return fpu_is_nan(&fpu_fmt_s, bits) ? (uint32_t)fpu_fmt_s.canon : bits;
}


/* ---- RNE fast paths ------------------------------------------------------
 * Each returns false, before touching any flag state, when the operands are
 * outside its range, or after restoring MXCSR when the result is; the
 * caller then runs the general path. */

static inline uint64_t exp_field_d(uint64_t a) { return (a >> 52) & 0x7ff; }
static inline uint32_t exp_field_s(uint32_t a) { return (a >> 23) & 0xff; }

/* Results at least 2^-969 keep every error term of a product, quotient or
 * root above the subnormal grain (2^-1074), so "residual != 0" is exactly
 * "inexact"; such results are also never tiny. */
#define SAFE_EXP_MIN_D 0x36u

static inline bool safe_d(uint64_t r)
{
	return exp_field_d(r) >= SAFE_EXP_MIN_D && exp_field_d(r) < 0x7ff;
}

static inline bool nonzero_bits(double d)
{
	return (fpu_d_to_bits(d) << 1) != 0;
}

/* Sums: below 2^1022 nothing overflows, tiny sums are exact, and Fast2Sum
 * (larger magnitude first) gives the exact rounding error. */
static inline bool fast_add_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
	double big, small, s, err;

	if (exp_field_d(a) >= 0x7fd || exp_field_d(b) >= 0x7fd)
		return false;
	big = fpu_bits_to_d(fpu_mag(&fpu_fmt_d, a) >= fpu_mag(&fpu_fmt_d, b) ? a : b);
	small = fpu_bits_to_d(fpu_mag(&fpu_fmt_d, a) >= fpu_mag(&fpu_fmt_d, b) ? b : a);
	s = sse_add_d(big, small);
	err = sse_sub_d(small, sse_sub_d(s, big));
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	if (nonzero_bits(err))
		*fflags |= RV_FF_NX;
	*out = fpu_d_to_bits(s);
	return true;
}

static inline bool fast_mul_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
	double x = fpu_bits_to_d(a), y = fpu_bits_to_d(b), r, res;

	r = sse_mul_d(x, y);
	res = fma3_d(x, y, -r);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	*out = fpu_d_to_bits(r);
	if (!safe_d(*out))
		return false;
	if (nonzero_bits(res))
		*fflags |= RV_FF_NX;
	return true;
}

static inline bool fast_div_d(uint64_t a, uint64_t b, uint64_t *out, uint32_t *fflags)
{
	double x = fpu_bits_to_d(a), y = fpu_bits_to_d(b), r, rem;

	if (!safe_d(a))
		return false;
	r = sse_div_d(x, y);
	rem = fma3_d(-r, y, x);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	*out = fpu_d_to_bits(r);
	if (!safe_d(*out))
		return false;
	if (nonzero_bits(rem))
		*fflags |= RV_FF_NX;
	return true;
}

static inline bool fast_sqrt_d(uint64_t a, uint64_t *out, uint32_t *fflags)
{
	double x = fpu_bits_to_d(a), r, rem;

	if (!safe_d(a) || (a >> 63))
		return false;
	r = sse_sqrt_d(x);
	rem = fma3_d(-r, r, x);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	if (nonzero_bits(rem))
		*fflags |= RV_FF_NX;
	*out = fpu_d_to_bits(r);
	return true;
}

static inline bool fast_add_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
	float big, small, s, err;

	if (exp_field_s(a) >= 0xfd || exp_field_s(b) >= 0xfd)
		return false;
	big = fpu_bits_to_s((a & 0x7fffffff) >= (b & 0x7fffffff) ? a : b);
	small = fpu_bits_to_s((a & 0x7fffffff) >= (b & 0x7fffffff) ? b : a);
	s = sse_add_s(big, small);
	err = sse_sub_s(small, sse_sub_s(s, big));
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	if (fpu_s_to_bits(err) << 1)
		*fflags |= RV_FF_NX;
	*out = fpu_s_to_bits(s);
	return true;
}

/* Singles: a product of two singles is exact in double, so a result r is
 * exact iff r*y == x (quotient), r*r == x (root) or x*y == r (product) in
 * double.  Results from 2^-125 up are not tiny, even before rounding. */
static inline bool normal_s(uint32_t r)
{
	return exp_field_s(r) >= 2 && exp_field_s(r) < 0xff;
}

static inline bool fast_mul_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
	float x = fpu_bits_to_s(a), y = fpu_bits_to_s(b), r;
	double exact, rd;

	r = sse_mul_s(x, y);
	exact = sse_mul_d(sse_cvt_s_to_d(x), sse_cvt_s_to_d(y));
	rd = sse_cvt_s_to_d(r);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	*out = fpu_s_to_bits(r);
	if (!normal_s(*out))
		return false;
	if (fpu_d_to_bits(exact) != fpu_d_to_bits(rd))
		*fflags |= RV_FF_NX;
	return true;
}

static inline bool fast_div_s(uint32_t a, uint32_t b, uint32_t *out, uint32_t *fflags)
{
	float x = fpu_bits_to_s(a), y = fpu_bits_to_s(b), r;
	double back, xd;

	r = sse_div_s(x, y);
	back = sse_mul_d(sse_cvt_s_to_d(r), sse_cvt_s_to_d(y));
	xd = sse_cvt_s_to_d(x);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	*out = fpu_s_to_bits(r);
	if (!normal_s(*out))
		return false;
	if (fpu_d_to_bits(back) != fpu_d_to_bits(xd))
		*fflags |= RV_FF_NX;
	return true;
}

static inline bool fast_sqrt_s(uint32_t a, uint32_t *out, uint32_t *fflags)
{
	float x = fpu_bits_to_s(a), r;
	double rd, xd, sq;

	if ((a >> 31) || !(a << 1) || exp_field_s(a) == 0xff)
		return false;
	r = sse_sqrt_s(x);
	rd = sse_cvt_s_to_d(r);
	sq = sse_mul_d(rd, rd);
	xd = sse_cvt_s_to_d(x);
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	if (fpu_d_to_bits(sq) != fpu_d_to_bits(xd))
		*fflags |= RV_FF_NX;
	*out = fpu_s_to_bits(r);
	return true;
}

/* ---- double ------------------------------------------------------------ */

/* The RNE fast path applies only when the host thread's MXCSR is exactly
 * the default one: then there is nothing to save but sticky flags. */
static inline bool host_default(void)
{
	return fpu_mxcsr_read() == FPU_MXCSR_DEFAULT;
}

#define HOST_BINOP_D(name, sse, fast_call, soft_call)                             \
	uint64_t name(uint64_t a, uint64_t b, int rm, uint32_t *fflags)           \
	{                                                                         \
		uint32_t saved;                                                   \
		uint64_t out;                                                     \
		double r;                                                         \
                                                                                  \
		if (rm == RV_RM_RNE && host_default() && (fast_call))             \
			return out;                                               \
		if (rm == RV_RM_RMM)                                              \
			return soft_call;                                         \
		saved = fpu_host_begin(rm);                                       \
		r = sse(fpu_bits_to_d(a), fpu_bits_to_d(b));                      \
		*fflags |= fpu_host_end(saved);                                   \
		return result_d(r);                                               \
	}

HOST_BINOP_D(fpu_add_d, sse_add_d, fast_add_d(a, b, &out, fflags),
	     fpu_soft_add(&fpu_fmt_d, a, b, rm, fflags))
HOST_BINOP_D(fpu_sub_d, sse_sub_d, fast_add_d(a, b ^ fpu_fmt_d.sign, &out, fflags),
	     fpu_soft_add(&fpu_fmt_d, a, b ^ fpu_fmt_d.sign, rm, fflags))
HOST_BINOP_D(fpu_mul_d, sse_mul_d, have_host_fma() && fast_mul_d(a, b, &out, fflags),
	     fpu_soft_mul(&fpu_fmt_d, a, b, rm, fflags))
HOST_BINOP_D(fpu_div_d, sse_div_d, have_host_fma() && fast_div_d(a, b, &out, fflags),
	     fpu_soft_div(&fpu_fmt_d, a, b, rm, fflags))

uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *fflags)
{
	uint32_t saved;
	uint64_t out;
	double r;

	/* No square root is a tie, so RMM rounds like RNE. */
	if (rm == RV_RM_RMM)
		rm = RV_RM_RNE;
	if (rm == RV_RM_RNE && host_default() && have_host_fma() && fast_sqrt_d(a, &out, fflags))
		return out;
	saved = fpu_host_begin(rm);
	r = sse_sqrt_d(fpu_bits_to_d(a));

	*fflags |= fpu_host_end(saved);
	return result_d(r);
}

static bool inf_times_zero(const struct fpu_fmt *f, uint64_t a, uint64_t b)
{
	return (fpu_is_inf(f, a) && fpu_is_zero(f, b)) || (fpu_is_zero(f, a) && fpu_is_inf(f, b));
}

static uint64_t fma_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
	uint32_t saved;
	uint64_t r;

	if (rm == RV_RM_RMM || !have_host_fma())
		return fpu_soft_fma(&fpu_fmt_d, a, b, c, rm, fflags);
	saved = fpu_host_begin(rm);
	r = fpu_d_to_bits(fma3_d(fpu_bits_to_d(a), fpu_bits_to_d(b), fpu_bits_to_d(c)));
	*fflags |= fpu_host_end(saved);
	if (fpu_is_nan(&fpu_fmt_d, r)) {
		/* RISC-V: 0*inf is invalid even when the addend is a quiet NaN. */
		if (inf_times_zero(&fpu_fmt_d, a, b))
			*fflags |= RV_FF_NV;
		return fpu_fmt_d.canon;
	}
	return r;
}

/* Negating an operand is exact, so these are the same single rounding. */
uint64_t fpu_fmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
	return fma_d(a, b, c, rm, fflags);
}

uint64_t fpu_fmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
	return fma_d(a, b, c ^ fpu_fmt_d.sign, rm, fflags);
}

uint64_t fpu_fnmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
	return fma_d(a ^ fpu_fmt_d.sign, b, c, rm, fflags);
}

uint64_t fpu_fnmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags)
{
	return fma_d(a ^ fpu_fmt_d.sign, b, c ^ fpu_fmt_d.sign, rm, fflags);
}

/* ---- single ------------------------------------------------------------ */

#define HOST_BINOP_S(name, sse, fast_call, soft_call)                             \
	uint32_t name(uint32_t a, uint32_t b, int rm, uint32_t *fflags)           \
	{                                                                         \
		uint32_t saved, out;                                              \
		float r;                                                          \
                                                                                  \
		if (rm == RV_RM_RNE && host_default() && (fast_call))             \
			return out;                                               \
		if (rm == RV_RM_RMM)                                              \
			return (uint32_t)(soft_call);                             \
		saved = fpu_host_begin(rm);                                       \
		r = sse(fpu_bits_to_s(a), fpu_bits_to_s(b));                      \
		*fflags |= fpu_host_end(saved);                                   \
		return result_s(r);                                               \
	}

HOST_BINOP_S(fpu_add_s, sse_add_s, fast_add_s(a, b, &out, fflags),
	     fpu_soft_add(&fpu_fmt_s, a, b, rm, fflags))
HOST_BINOP_S(fpu_sub_s, sse_sub_s, fast_add_s(a, b ^ 0x80000000u, &out, fflags),
	     fpu_soft_add(&fpu_fmt_s, a, b ^ fpu_fmt_s.sign, rm, fflags))
HOST_BINOP_S(fpu_mul_s, sse_mul_s, fast_mul_s(a, b, &out, fflags),
	     fpu_soft_mul(&fpu_fmt_s, a, b, rm, fflags))
HOST_BINOP_S(fpu_div_s, sse_div_s, fast_div_s(a, b, &out, fflags),
	     fpu_soft_div(&fpu_fmt_s, a, b, rm, fflags))

uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *fflags)
{
	uint32_t saved, out;
	float r;

	if (rm == RV_RM_RMM)
		rm = RV_RM_RNE;
	if (rm == RV_RM_RNE && host_default() && fast_sqrt_s(a, &out, fflags))
		return out;
	saved = fpu_host_begin(rm);
	r = sse_sqrt_s(fpu_bits_to_s(a));

	*fflags |= fpu_host_end(saved);
	return result_s(r);
}

static uint32_t fma_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
	uint32_t saved, r;

	if (rm == RV_RM_RMM || !have_host_fma())
		return (uint32_t)fpu_soft_fma(&fpu_fmt_s, a, b, c, rm, fflags);
	saved = fpu_host_begin(rm);
	r = fpu_s_to_bits(fma3_s(fpu_bits_to_s(a), fpu_bits_to_s(b), fpu_bits_to_s(c)));
	*fflags |= fpu_host_end(saved);
	if (fpu_is_nan(&fpu_fmt_s, r)) {
		if (inf_times_zero(&fpu_fmt_s, a, b))
			*fflags |= RV_FF_NV;
		return (uint32_t)fpu_fmt_s.canon;
	}
	return r;
}

uint32_t fpu_fmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
	return fma_s(a, b, c, rm, fflags);
}

uint32_t fpu_fmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
	return fma_s(a, b, c ^ (uint32_t)fpu_fmt_s.sign, rm, fflags);
}

uint32_t fpu_fnmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
	return fma_s(a ^ (uint32_t)fpu_fmt_s.sign, b, c, rm, fflags);
}

uint32_t fpu_fnmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags)
{
	return fma_s(a ^ (uint32_t)fpu_fmt_s.sign, b, c ^ (uint32_t)fpu_fmt_s.sign, rm, fflags);
}

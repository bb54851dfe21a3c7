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
 * (Working out inexactness in software instead of reading MXCSR back, with
 * Fast2Sum or an FMA residual, was tried and measured slower: the MXCSR
 * write that must then clear the sticky flags waits for the whole
 * dependent chain.)
 */
#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"

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

/* ---- double ------------------------------------------------------------ */

#define HOST_BINOP_D(name, sse, soft_call)                                        \
	uint64_t name(uint64_t a, uint64_t b, int rm, uint32_t *fflags)           \
	{                                                                         \
		uint32_t saved;                                                   \
		double r;                                                         \
                                                                                  \
		if (rm == RV_RM_RMM)                                              \
			return soft_call;                                         \
		saved = fpu_host_begin(rm);                                       \
		r = sse(fpu_bits_to_d(a), fpu_bits_to_d(b));                      \
		*fflags |= fpu_host_end(saved);                                   \
		return result_d(r);                                               \
	}

HOST_BINOP_D(fpu_add_d, sse_add_d, fpu_soft_add(&fpu_fmt_d, a, b, rm, fflags))
HOST_BINOP_D(fpu_sub_d, sse_sub_d, fpu_soft_add(&fpu_fmt_d, a, b ^ fpu_fmt_d.sign, rm, fflags))
HOST_BINOP_D(fpu_mul_d, sse_mul_d, fpu_soft_mul(&fpu_fmt_d, a, b, rm, fflags))
HOST_BINOP_D(fpu_div_d, sse_div_d, fpu_soft_div(&fpu_fmt_d, a, b, rm, fflags))

uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *fflags)
{
	uint32_t saved;
	double r;

	/* No square root is a tie, so RMM rounds like RNE. */
	if (rm == RV_RM_RMM)
		rm = RV_RM_RNE;
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
		/* RISC-V: 0*inf is invalid even when the addend is a quiet NaN;
		 * x86 FMA stays quiet there (IEEE leaves it to the implementation). */
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

#define HOST_BINOP_S(name, sse, soft_call)                                        \
	uint32_t name(uint32_t a, uint32_t b, int rm, uint32_t *fflags)           \
	{                                                                         \
		uint32_t saved;                                                   \
		float r;                                                          \
                                                                                  \
		if (rm == RV_RM_RMM)                                              \
			return (uint32_t)(soft_call);                             \
		saved = fpu_host_begin(rm);                                       \
		r = sse(fpu_bits_to_s(a), fpu_bits_to_s(b));                      \
		*fflags |= fpu_host_end(saved);                                   \
		return result_s(r);                                               \
	}

HOST_BINOP_S(fpu_add_s, sse_add_s, fpu_soft_add(&fpu_fmt_s, a, b, rm, fflags))
HOST_BINOP_S(fpu_sub_s, sse_sub_s, fpu_soft_add(&fpu_fmt_s, a, b ^ fpu_fmt_s.sign, rm, fflags))
HOST_BINOP_S(fpu_mul_s, sse_mul_s, fpu_soft_mul(&fpu_fmt_s, a, b, rm, fflags))
HOST_BINOP_S(fpu_div_s, sse_div_s, fpu_soft_div(&fpu_fmt_s, a, b, rm, fflags))

uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *fflags)
{
	uint32_t saved;
	float r;

	if (rm == RV_RM_RMM)
		rm = RV_RM_RNE;
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

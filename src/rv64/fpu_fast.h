/*
 * The engines' fast path into the FPU: the common case of a RISC-V
 * operation in round-to-nearest-even is one SSE instruction, with the IEEE
 * flags left to accrue in the host thread's MXCSR sticky bits instead of
 * being read back and cleared after every operation (that MXCSR round trip
 * costs more than the arithmetic).  RISC-V's fflags are accrued flags, so
 * only their OR matters: an engine calls fpu_engine_enter() when it starts
 * running guest code, and folds the sticky bits into cpu->fflags with
 * fpu_engine_collect() before anything reads fflags (CSR access) and when
 * it stops.  Other rounding modes, and every other operation, go through
 * the exact bracketed functions of fpu.h, which save and restore MXCSR
 * around themselves and so leave the accrued bits alone.
 */
#ifndef POPEK_RV64_FPU_FAST_H
#define POPEK_RV64_FPU_FAST_H

#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"

/* Known MXCSR: exceptions masked, RNE, no FTZ/DAZ, no flags. */
static inline void fpu_engine_enter(void)
{
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
}

/* RISC-V flags accrued in MXCSR since the last call; clears them. */
static inline uint32_t fpu_engine_collect(void)
{
	uint32_t m = fpu_mxcsr_read();

	if (!(m & FPU_MXCSR_FLAGS))
		return 0;
	fpu_mxcsr_write(m & ~FPU_MXCSR_FLAGS);
	return fpu_x86_to_rv_flags(m & FPU_MXCSR_FLAGS);
}

/* Flags a host fault handler found in the interrupted context's MXCSR
 * (the signal frame's copy is lost when the handler unwinds). */
static inline uint32_t fpu_flags_from_mxcsr(uint32_t mxcsr)
{
	return fpu_x86_to_rv_flags(mxcsr & FPU_MXCSR_FLAGS);
}

#define FPU_FAST_BINOP(name, exact, sse, type, bits, result, to_host)      \
	static inline bits name(bits a, bits b, int rm, uint32_t *fflags)   \
	{                                                                   \
		if (__builtin_expect(rm != RV_RM_RNE, 0))                   \
			return exact(a, b, rm, fflags);                     \
		type r = sse(to_host(a), to_host(b));                       \
		return result(r);                                           \
	}

FPU_FAST_BINOP(fpu_fast_add_d, fpu_add_d, sse_add_d, double, uint64_t, result_d, fpu_bits_to_d)
FPU_FAST_BINOP(fpu_fast_sub_d, fpu_sub_d, sse_sub_d, double, uint64_t, result_d, fpu_bits_to_d)
FPU_FAST_BINOP(fpu_fast_mul_d, fpu_mul_d, sse_mul_d, double, uint64_t, result_d, fpu_bits_to_d)
FPU_FAST_BINOP(fpu_fast_div_d, fpu_div_d, sse_div_d, double, uint64_t, result_d, fpu_bits_to_d)
FPU_FAST_BINOP(fpu_fast_add_s, fpu_add_s, sse_add_s, float, uint32_t, result_s, fpu_bits_to_s)
FPU_FAST_BINOP(fpu_fast_sub_s, fpu_sub_s, sse_sub_s, float, uint32_t, result_s, fpu_bits_to_s)
FPU_FAST_BINOP(fpu_fast_mul_s, fpu_mul_s, sse_mul_s, float, uint32_t, result_s, fpu_bits_to_s)
FPU_FAST_BINOP(fpu_fast_div_s, fpu_div_s, sse_div_s, float, uint32_t, result_s, fpu_bits_to_s)

#endif

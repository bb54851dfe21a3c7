/*
 * Private plumbing shared by the fpu_*.c files (not part of the fpu.h
 * contract).
 *
 * Two engines implement RISC-V F/D:
 *  - the host SSE unit, for RNE/RTZ/RDN/RUP arithmetic: one instruction
 *    bracketed by MXCSR reads, with the rounding control set only when it
 *    differs from what the host thread already has;
 *  - an exact software engine (fpu_soft.c + fpu_round.c) for RMM, which the
 *    host cannot do, and for fused multiply-add on hosts without FMA.
 * Both produce RISC-V results; the callers only pick one.
 *
 * Values of either precision travel inside these files as uint64_t bit
 * patterns (singles zero-extended) described by a struct fpu_fmt, so the
 * bit-level code (classification, comparison, rounding) is written once.
 */
#ifndef POPEK_RV64_FPU_INTERNAL_H
#define POPEK_RV64_FPU_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "rv64/cpu.h"

struct fpu_fmt {
	int prec;              /* significand bits including the hidden one */
	int bias;
	int emin, emax;        /* unbiased exponent range of normal numbers */
	uint64_t sign;         /* sign bit */
	uint64_t inf;          /* +infinity bit pattern */
	uint64_t quiet;        /* quiet-NaN bit of the significand */
	uint64_t canon;        /* canonical NaN */
	uint64_t max_finite;   /* largest finite magnitude */
};

/* static so every use folds to constants */
static const struct fpu_fmt __attribute__((unused)) fpu_fmt_s = {
	.prec = 24, .bias = 127, .emin = -126, .emax = 127,
	.sign = 1ull << 31, .inf = 0x7f800000ull, .quiet = 1ull << 22,
	.canon = 0x7fc00000ull, .max_finite = 0x7f7fffffull,
};

static const struct fpu_fmt __attribute__((unused)) fpu_fmt_d = {
	.prec = 53, .bias = 1023, .emin = -1022, .emax = 1023,
	.sign = 1ull << 63, .inf = 0x7ff0000000000000ull, .quiet = 1ull << 51,
	.canon = 0x7ff8000000000000ull, .max_finite = 0x7fefffffffffffffull,
};

static inline uint64_t fpu_mag(const struct fpu_fmt *f, uint64_t a)
{
	return a & (f->sign - 1);
}

static inline bool fpu_is_nan(const struct fpu_fmt *f, uint64_t a)
{
	return fpu_mag(f, a) > f->inf;
}

static inline bool fpu_is_snan(const struct fpu_fmt *f, uint64_t a)
{
	return fpu_is_nan(f, a) && !(a & f->quiet);
}

static inline bool fpu_is_inf(const struct fpu_fmt *f, uint64_t a)
{
	return fpu_mag(f, a) == f->inf;
}

static inline bool fpu_is_zero(const struct fpu_fmt *f, uint64_t a)
{
	return fpu_mag(f, a) == 0;
}

/* A finite nonzero value as (-1)^sign * sig * 2^exp. */
struct fpu_num {
	int sign;
	int exp;
	uint64_t sig;
};

/* Split a finite nonzero value (subnormals included). */
static inline struct fpu_num fpu_unpack(const struct fpu_fmt *f, uint64_t a)
{
	int mbits = f->prec - 1;
	uint64_t frac = a & ((1ull << mbits) - 1);
	int bexp = (int)(fpu_mag(f, a) >> mbits);
	struct fpu_num n = { .sign = (a & f->sign) != 0 };

	if (bexp == 0) {
		n.sig = frac;
		n.exp = f->emin - mbits;
	} else {
		n.sig = frac | 1ull << mbits;
		n.exp = bexp - f->bias - mbits;
	}
	return n;
}

/* Round (-1)^sign * sig * 2^exp to format f under rm and pack it.  sig is
 * nonzero; any nonzero bits the caller dropped below sig's lowest bit must
 * have been ORed into that bit (sticky), and sig must then carry at least
 * two bits more than f->prec.  Raises NX/UF/OF (tininess after rounding). */
uint64_t fpu_round_pack(const struct fpu_fmt *f, int sign, int exp, uint64_t sig,
			int rm, uint32_t *fflags);

/* Whether to bump a truncated magnitude with least significant bit lsb,
 * given the first dropped bit (half) and whether anything below it is set. */
static inline bool fpu_round_up(int rm, int sign, bool lsb, bool half, bool sticky)
{
	switch (rm) {
	case RV_RM_RNE: return half && (sticky || lsb);
	case RV_RM_RDN: return sign && (half || sticky);
	case RV_RM_RUP: return !sign && (half || sticky);
	case RV_RM_RMM: return half;
	default:        return false;  /* RTZ */
	}
}

/* Exact software arithmetic, any rounding mode, full RISC-V special-case
 * rules (canonical NaN, NV on sNaN and invalid operations, zero signs). */
uint64_t fpu_soft_add(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_soft_mul(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_soft_div(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags);
/* a*b+c rounded once */
uint64_t fpu_soft_fma(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint64_t c,
		      int rm, uint32_t *fflags);

/* ---- host MXCSR ---------------------------------------------------------
 * MXCSR is per thread, so bracketing each operation keeps concurrent harts
 * independent and hands the host its own environment back unchanged. */

#define FPU_MXCSR_DEFAULT 0x1f80u  /* all exceptions masked, RNE, no FTZ/DAZ */
#define FPU_MXCSR_FLAGS   0x3fu

static inline uint32_t fpu_mxcsr_read(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static inline void fpu_mxcsr_write(uint32_t v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

/* The MXCSR an operation under rm runs with: flags clear, exceptions
 * masked, FTZ/DAZ off (a host built with -ffast-math must not leak them). */
static inline uint32_t fpu_mxcsr_for(int rm)
{
	/* RISC-V RNE, RTZ, RDN, RUP -> x86 RC 0, 3, 1, 2 */
	static const uint8_t rc[4] = { 0, 3, 1, 2 };

	return FPU_MXCSR_DEFAULT | (uint32_t)rc[rm & 3] << 13;
}

/* Start an operation: returns the host's MXCSR to restore afterwards. */
static inline uint32_t fpu_host_begin(int rm)
{
	uint32_t saved = fpu_mxcsr_read(), want = fpu_mxcsr_for(rm);

	if (saved != want)
		fpu_mxcsr_write(want);
	return saved;
}

/* x86 IE,DE,ZE,OE,UE,PE (bits 0..5) -> RISC-V NV,-,DZ,OF,UF,NX, as a
 * table so the hot path pays one load instead of a dozen bit operations. */
#define FPU_X86_FF(x) (((x) & 1) << 4 | ((x) & 4) << 1 | ((x) & 8) >> 1 | ((x) & 0x10) >> 3 | ((x) & 0x20) >> 5)
#define FPU_X86_FF4(x) FPU_X86_FF(x), FPU_X86_FF(x + 1), FPU_X86_FF(x + 2), FPU_X86_FF(x + 3)
#define FPU_X86_FF16(x) FPU_X86_FF4(x), FPU_X86_FF4(x + 4), FPU_X86_FF4(x + 8), FPU_X86_FF4(x + 12)

static inline uint32_t fpu_x86_to_rv_flags(uint32_t x)
{
	static const uint8_t table[64] = {
		FPU_X86_FF16(0), FPU_X86_FF16(16), FPU_X86_FF16(32), FPU_X86_FF16(48),
	};

	return table[x & 63];
}

/* Finish an operation: restore the host MXCSR, return the RISC-V flags the
 * operation raised. */
static inline uint32_t fpu_host_end(uint32_t saved)
{
	uint32_t now = fpu_mxcsr_read();

	if (now != saved)
		fpu_mxcsr_write(saved);
	return fpu_x86_to_rv_flags(now & FPU_MXCSR_FLAGS);
}

static inline double fpu_bits_to_d(uint64_t a)
{
	double d;

	memcpy(&d, &a, sizeof(d));
	return d;
}

static inline uint64_t fpu_d_to_bits(double d)
{
	uint64_t a;

	memcpy(&a, &d, sizeof(a));
	return a;
}

static inline float fpu_bits_to_s(uint32_t a)
{
	float s;

	memcpy(&s, &a, sizeof(s));
	return s;
}

static inline uint32_t fpu_s_to_bits(float s)
{
	uint32_t a;

	memcpy(&a, &s, sizeof(a));
	return a;
}


/* ---- one SSE instruction each (inline asm: the compiler must not move
 * or fold them across MXCSR changes) ---------------------------------- */

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

#endif

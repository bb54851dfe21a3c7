/*
 * Software rounding: turn an exact-or-sticky intermediate (sign, integer
 * significand, binary exponent) into a single or double bit pattern under
 * any RISC-V rounding mode, raising NX, UF and OF as RISC-V defines them.
 *
 * This is the only place the software engine rounds, so RMM and the
 * non-SSE paths (fma fallback, int<->float, narrowing conversion) share one
 * carefully checked implementation.  Tininess is detected after rounding:
 * a result is tiny when rounding it to the format's precision with an
 * unbounded exponent still gives a magnitude below the smallest normal.
 */
#include "rv64/fpu_internal.h"

/* sig (bit 63 set) truncated to keep its top 64-shift bits; shift >= 1. */
struct truncated {
	uint64_t q;
	bool half, sticky;
};

static struct truncated truncate_sig(uint64_t sig, int shift)
{
	struct truncated t = { 0, false, false };

	if (shift > 64) {
		t.sticky = true;  /* everything is below the half bit; sig != 0 */
	} else if (shift == 64) {
		t.half = true;
		t.sticky = (sig << 1) != 0;
	} else {
		uint64_t rest = sig << (64 - shift);

		t.q = sig >> shift;
		t.half = rest >> 63;
		t.sticky = (rest << 1) != 0;
	}
	return t;
}

static uint64_t overflow_result(const struct fpu_fmt *f, int sign, int rm)
{
	bool to_inf;

	switch (rm) {
	case RV_RM_RTZ: to_inf = false; break;
	case RV_RM_RDN: to_inf = sign; break;
	case RV_RM_RUP: to_inf = !sign; break;
	default:        to_inf = true; break;  /* RNE, RMM */
	}
	return (sign ? f->sign : 0) | (to_inf ? f->inf : f->max_finite);
}

/* For a value just below the smallest normal (top bit weight 2^(emin-1)):
 * does rounding to full precision with unbounded exponent reach 2^emin? */
static bool rounds_to_normal(const struct fpu_fmt *f, int sign, uint64_t sig, int rm)
{
	struct truncated t = truncate_sig(sig, 64 - f->prec);

	return t.q == (1ull << f->prec) - 1 && fpu_round_up(rm, sign, true, t.half, t.sticky);
}

uint64_t fpu_round_pack(const struct fpu_fmt *f, int sign, int exp, uint64_t sig,
			int rm, uint32_t *fflags)
{
	int lead = __builtin_clzll(sig);
	int e, shift;
	struct truncated t;
	uint64_t bits;
	bool inexact;

	sig <<= lead;
	exp -= lead;
	e = exp + 63;  /* value is in [2^e, 2^(e+1)) */
	if (e > f->emax) {
		*fflags |= RV_FF_OF | RV_FF_NX;
		return overflow_result(f, sign, rm);
	}
	shift = 64 - f->prec;
	if (e < f->emin)  /* subnormal: fewer significand bits survive */
		shift += f->emin - e < 64 ? f->emin - e : 64 + 1;
	t = truncate_sig(sig, shift);
	inexact = t.half || t.sticky;
	if (fpu_round_up(rm, sign, t.q & 1, t.half, t.sticky))
		t.q++;
	if (e < f->emin) {
		/* t.q may have carried into the hidden bit: that is the smallest
		 * normal, and the plain addition below encodes it correctly. */
		bits = t.q;
		if (inexact && !(e == f->emin - 1 && rounds_to_normal(f, sign, sig, rm)))
			*fflags |= RV_FF_UF;
	} else {
		if (e == f->emax && t.q >> f->prec) {
			*fflags |= RV_FF_OF | RV_FF_NX;
			return overflow_result(f, sign, rm);
		}
		/* Adding q (hidden bit included) to exponent-1 lets a rounding
		 * carry ripple into the exponent field for free. */
		bits = ((uint64_t)(e + f->bias - 1) << (f->prec - 1)) + t.q;
	}
	if (inexact)
		*fflags |= RV_FF_NX;
	return (sign ? f->sign : 0) | bits;
}

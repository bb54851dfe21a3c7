/*
 * RISC-V F/D comparisons, minimum/maximum and classification, done on the
 * bit patterns (no host floating point, so host DAZ or NaN conventions
 * cannot leak in).
 *
 * feq is a quiet comparison (NV only for a signaling NaN operand); flt and
 * fle are signaling (NV for any NaN).  fmin/fmax order -0 below +0, return
 * the other operand when exactly one is NaN, the canonical NaN when both
 * are, and raise NV for any signaling NaN operand (IEEE 754-2019
 * minimumNumber/maximumNumber, as the F extension 2.2 specifies).
 */
#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"

static inline bool both_zero(const struct fpu_fmt *f, uint64_t a, uint64_t b)
{
	return fpu_is_zero(f, a) && fpu_is_zero(f, b);
}

/* a < b for non-NaN operands, treating -0 < +0 as a total order would. */
static inline bool ordered_less(const struct fpu_fmt *f, uint64_t a, uint64_t b)
{
	bool neg_a = a & f->sign, neg_b = b & f->sign;

	if (neg_a != neg_b)
		return neg_a;
	return neg_a ? a > b : a < b;
}

static inline uint64_t feq(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint32_t *fflags)
{
	if (fpu_is_nan(f, a) || fpu_is_nan(f, b)) {
		if (fpu_is_snan(f, a) || fpu_is_snan(f, b))
			*fflags |= RV_FF_NV;
		return 0;
	}
	return a == b || both_zero(f, a, b);
}

static inline uint64_t flt(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint32_t *fflags)
{
	if (fpu_is_nan(f, a) || fpu_is_nan(f, b)) {
		*fflags |= RV_FF_NV;
		return 0;
	}
	return !both_zero(f, a, b) && ordered_less(f, a, b);
}

static inline uint64_t fle(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint32_t *fflags)
{
	if (fpu_is_nan(f, a) || fpu_is_nan(f, b)) {
		*fflags |= RV_FF_NV;
		return 0;
	}
	return a == b || both_zero(f, a, b) || ordered_less(f, a, b);
}

static inline uint64_t fminmax(const struct fpu_fmt *f, uint64_t a, uint64_t b,
			       bool want_max, uint32_t *fflags)
{
	bool nan_a = fpu_is_nan(f, a), nan_b = fpu_is_nan(f, b);

	if (fpu_is_snan(f, a) || fpu_is_snan(f, b))
		*fflags |= RV_FF_NV;
	if (nan_a && nan_b)
		return f->canon;
	if (nan_a)
		return b;
	if (nan_b)
		return a;
	return ordered_less(f, a, b) != want_max ? a : b;
}

static inline uint64_t fclass(const struct fpu_fmt *f, uint64_t a)
{
	bool neg = a & f->sign;
	uint64_t mag = fpu_mag(f, a);
	uint64_t min_normal = 1ull << (f->prec - 1);

	if (fpu_is_nan(f, a))
		return fpu_is_snan(f, a) ? 1u << 8 : 1u << 9;
	if (mag == f->inf)
		return neg ? 1u << 0 : 1u << 7;
	if (mag >= min_normal)
		return neg ? 1u << 1 : 1u << 6;
	if (mag)
		return neg ? 1u << 2 : 1u << 5;
	return neg ? 1u << 3 : 1u << 4;
}

uint64_t fpu_min_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return fminmax(&fpu_fmt_d, a, b, false, fflags);
}

uint64_t fpu_max_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return fminmax(&fpu_fmt_d, a, b, true, fflags);
}

uint64_t fpu_eq_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return feq(&fpu_fmt_d, a, b, fflags);
}

uint64_t fpu_lt_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return flt(&fpu_fmt_d, a, b, fflags);
}

uint64_t fpu_le_d(uint64_t a, uint64_t b, uint32_t *fflags)
{
	return fle(&fpu_fmt_d, a, b, fflags);
}

uint64_t fpu_class_d(uint64_t a)
{
	return fclass(&fpu_fmt_d, a);
}

uint32_t fpu_min_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return (uint32_t)fminmax(&fpu_fmt_s, a, b, false, fflags);
}

uint32_t fpu_max_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return (uint32_t)fminmax(&fpu_fmt_s, a, b, true, fflags);
}

uint64_t fpu_eq_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return feq(&fpu_fmt_s, a, b, fflags);
}

uint64_t fpu_lt_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return flt(&fpu_fmt_s, a, b, fflags);
}

uint64_t fpu_le_s(uint32_t a, uint32_t b, uint32_t *fflags)
{
	return fle(&fpu_fmt_s, a, b, fflags);
}

uint64_t fpu_class_s(uint32_t a)
{
	return fclass(&fpu_fmt_s, a);
}

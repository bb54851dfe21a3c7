/*
 * Exact software add, multiply, divide and fused multiply-add for either
 * precision and any rounding mode.
 *
 * The host SSE unit has no round-to-nearest-ties-to-max-magnitude mode and
 * some hosts have no FMA instruction, so these compute the exact result
 * (or an exact truncation with a sticky bit) in 128-bit integers and hand
 * it to fpu_round_pack().  Square root needs no software path: a square
 * root is never exactly halfway between two floating-point numbers, so RMM
 * and RNE agree on it.
 *
 * Special operands follow RISC-V: any NaN result is the canonical NaN, a
 * signaling NaN operand raises NV, invalid operations (inf-inf, 0*inf,
 * 0/0, inf/inf) raise NV, x/0 raises DZ, and fma raises NV for 0*inf even
 * when the addend is a quiet NaN.
 */
#include "rv64/fpu_internal.h"

typedef unsigned __int128 u128;

/* Shift right, ORing lost bits into bit 0 so rounding still sees them. */
static u128 shift_right_jam(u128 x, int n)
{
	if (n <= 0)
		return x;
	if (n >= 128)
		return x != 0;
	return x >> n | ((x & (((u128)1 << n) - 1)) != 0);
}

/* Narrow a nonzero 128-bit significand to 64 bits with a sticky bit. */
static uint64_t narrow_jam(u128 x, int *exp)
{
	int hi_bits;

	if (!(x >> 64))
		return (uint64_t)x;
	hi_bits = 64 - __builtin_clzll((uint64_t)(x >> 64));
	*exp += hi_bits;
	return (uint64_t)shift_right_jam(x, hi_bits);
}

static int msb_index(u128 x)
{
	uint64_t hi = (uint64_t)(x >> 64);

	return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)x);
}

/* A signed exact term of a sum: (-1)^sign * sig * 2^exp, sig may be 0. */
struct term {
	int sign;
	int exp;
	u128 sig;
};

/* Put a nonzero term's top bit at bit 125, leaving room for a carry. */
static struct term normalize_term(struct term t)
{
	int up = 125 - msb_index(t.sig);

	t.sig <<= up;
	t.exp -= up;
	return t;
}

/* Round x + y where at least one term is nonzero.  An exact zero sum of
 * nonzero terms is +0, or -0 when rounding down (IEEE 754 6.3). */
static uint64_t add_terms(const struct fpu_fmt *f, struct term x, struct term y,
			  int rm, uint32_t *fflags)
{
	struct term big, small;
	u128 sum;
	int sign, exp;
	uint64_t sig;

	if (!x.sig || !y.sig) {
		/* one term alone: narrow first, it adjusts the exponent */
		struct term t = x.sig ? x : y;

		sig = narrow_jam(t.sig, &t.exp);
		return fpu_round_pack(f, t.sign, t.exp, sig, rm, fflags);
	}
	x = normalize_term(x);
	y = normalize_term(y);
	big = x.exp >= y.exp ? x : y;
	small = x.exp >= y.exp ? y : x;
	small.sig = shift_right_jam(small.sig, big.exp - small.exp);
	sign = big.sign;
	if (big.sign == small.sign) {
		sum = big.sig + small.sig;
	} else if (big.sig >= small.sig) {
		sum = big.sig - small.sig;
	} else {
		sum = small.sig - big.sig;
		sign = small.sign;
	}
	if (!sum)
		return rm == RV_RM_RDN ? f->sign : 0;
	exp = big.exp;
	sig = narrow_jam(sum, &exp);
	return fpu_round_pack(f, sign, exp, sig, rm, fflags);
}

static struct term finite_term(const struct fpu_fmt *f, uint64_t a)
{
	struct fpu_num n;

	if (fpu_is_zero(f, a))
		return (struct term){ .sign = (a & f->sign) != 0 };
	n = fpu_unpack(f, a);
	return (struct term){ .sign = n.sign, .exp = n.exp, .sig = n.sig };
}

/* NaN operands: NV for any signaling one; the result is the canonical NaN. */
static uint64_t nan_result(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint32_t *fflags)
{
	if (fpu_is_snan(f, a) || fpu_is_snan(f, b))
		*fflags |= RV_FF_NV;
	return f->canon;
}

static uint64_t invalid(const struct fpu_fmt *f, uint32_t *fflags)
{
	*fflags |= RV_FF_NV;
	return f->canon;
}

uint64_t fpu_soft_add(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	if (fpu_is_nan(f, a) || fpu_is_nan(f, b))
		return nan_result(f, a, b, fflags);
	if (fpu_is_inf(f, a)) {
		if (fpu_is_inf(f, b) && ((a ^ b) & f->sign))
			return invalid(f, fflags);
		return a;
	}
	if (fpu_is_inf(f, b))
		return b;
	if (fpu_is_zero(f, a) && fpu_is_zero(f, b)) {
		if (!((a ^ b) & f->sign))
			return a;
		return rm == RV_RM_RDN ? f->sign : 0;
	}
	return add_terms(f, finite_term(f, a), finite_term(f, b), rm, fflags);
}

uint64_t fpu_soft_mul(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t sign = (a ^ b) & f->sign;
	struct fpu_num x, y;
	int exp;
	uint64_t sig;

	if (fpu_is_nan(f, a) || fpu_is_nan(f, b))
		return nan_result(f, a, b, fflags);
	if (fpu_is_inf(f, a) || fpu_is_inf(f, b)) {
		if (fpu_is_zero(f, a) || fpu_is_zero(f, b))
			return invalid(f, fflags);
		return sign | f->inf;
	}
	if (fpu_is_zero(f, a) || fpu_is_zero(f, b))
		return sign;
	x = fpu_unpack(f, a);
	y = fpu_unpack(f, b);
	exp = x.exp + y.exp;
	sig = narrow_jam((u128)x.sig * y.sig, &exp);
	return fpu_round_pack(f, sign != 0, exp, sig, rm, fflags);
}

uint64_t fpu_soft_div(const struct fpu_fmt *f, uint64_t a, uint64_t b, int rm, uint32_t *fflags)
{
	uint64_t sign = (a ^ b) & f->sign;
	struct fpu_num x, y;
	u128 num;
	uint64_t q;
	int lx, ly;

	if (fpu_is_nan(f, a) || fpu_is_nan(f, b))
		return nan_result(f, a, b, fflags);
	if (fpu_is_inf(f, a))
		return fpu_is_inf(f, b) ? invalid(f, fflags) : (sign | f->inf);
	if (fpu_is_inf(f, b))
		return sign;
	if (fpu_is_zero(f, b)) {
		if (fpu_is_zero(f, a))
			return invalid(f, fflags);
		*fflags |= RV_FF_DZ;
		return sign | f->inf;
	}
	if (fpu_is_zero(f, a))
		return sign;
	x = fpu_unpack(f, a);
	y = fpu_unpack(f, b);
	/* Both significands with bit 63 set: the quotient of (x << 63) / y is
	 * in (2^62, 2^64), at least 62 bits, plus a sticky remainder bit. */
	lx = __builtin_clzll(x.sig);
	ly = __builtin_clzll(y.sig);
	num = (u128)(x.sig << lx) << 63;
	q = (uint64_t)(num / (y.sig << ly));
	if (num % (y.sig << ly))
		q |= 1;
	return fpu_round_pack(f, sign != 0, (x.exp - lx) - (y.exp - ly) - 63, q, rm, fflags);
}

uint64_t fpu_soft_fma(const struct fpu_fmt *f, uint64_t a, uint64_t b, uint64_t c,
		      int rm, uint32_t *fflags)
{
	uint64_t psign = (a ^ b) & f->sign;
	bool inf_times_zero = (fpu_is_inf(f, a) && fpu_is_zero(f, b)) ||
			      (fpu_is_zero(f, a) && fpu_is_inf(f, b));
	struct term p, t;

	if (inf_times_zero) {  /* invalid even with a quiet-NaN addend */
		*fflags |= RV_FF_NV;
		return f->canon;
	}
	if (fpu_is_nan(f, a) || fpu_is_nan(f, b) || fpu_is_nan(f, c)) {
		if (fpu_is_snan(f, c))
			*fflags |= RV_FF_NV;
		return nan_result(f, a, b, fflags);
	}
	if (fpu_is_inf(f, a) || fpu_is_inf(f, b)) {
		if (fpu_is_inf(f, c) && ((c & f->sign) != psign))
			return invalid(f, fflags);
		return psign | f->inf;
	}
	if (fpu_is_inf(f, c))
		return c;
	if (fpu_is_zero(f, a) || fpu_is_zero(f, b)) {
		if (!fpu_is_zero(f, c))
			return c;  /* exact: c is representable */
		if (psign == (c & f->sign))
			return c;
		return rm == RV_RM_RDN ? f->sign : 0;
	}
	p = finite_term(f, a);
	t = finite_term(f, b);
	p.sign ^= t.sign;
	p.exp += t.exp;
	p.sig *= t.sig;
	return add_terms(f, p, finite_term(f, c), rm, fflags);
}

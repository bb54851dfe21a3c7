/*
 * An independent, slow reference for RISC-V F/D used by the FPU unit test.
 *
 * It shares no code and no method with src/rv64/fpu*.c.  Instead of
 * computing a result and rounding it, it never computes the result at all:
 * an "oracle" answers "is the exact value x above, at or below the dyadic
 * number m?" by evaluating, in a wide fixed-point two's-complement integer,
 * an expression that involves only additions and multiplications of the
 * operands and m (a + b - m, a*b + c - m, a - m*b for a/b, a - m*m for
 * sqrt(a)).  Binary searches with that oracle find the binade of x and the
 * two representable neighbours around it; one more question (against their
 * midpoint) classifies the rounding as exact, below half, tie or above
 * half.  Rounding, overflow and tininess-after-rounding then follow the
 * IEEE 754 / RISC-V definitions literally.
 *
 * Float -> integer uses x87 long double (every double and every 64-bit
 * integer is exact there) and C's floorl; comparisons use C operators.
 */
#include <assert.h>
#include <math.h>
#include <string.h>

#include "test_fpu.h"

typedef unsigned __int128 u128;

enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };
enum { RNE, RTZ, RDN, RUP, RMM };

/* ---- formats ------------------------------------------------------------ */

struct rfmt {
	int p, emin, emax, bias, width;
};

static const struct rfmt RS = { 24, -126, 127, 127, 32 };
static const struct rfmt RD = { 53, -1022, 1023, 1023, 64 };

static uint64_t sign_bit(const struct rfmt *f) { return 1ull << (f->width - 1); }
static uint64_t exp_all(const struct rfmt *f) { return (uint64_t)(2 * f->bias + 1); }
static uint64_t frac_mask(const struct rfmt *f) { return (1ull << (f->p - 1)) - 1; }
static uint64_t field_exp(const struct rfmt *f, uint64_t a) { return (a >> (f->p - 1)) & exp_all(f); }

static bool r_isnan(const struct rfmt *f, uint64_t a)
{
	return field_exp(f, a) == exp_all(f) && (a & frac_mask(f));
}

static bool r_issnan(const struct rfmt *f, uint64_t a)
{
	return r_isnan(f, a) && !((a >> (f->p - 2)) & 1);
}

static bool r_isinf(const struct rfmt *f, uint64_t a)
{
	return field_exp(f, a) == exp_all(f) && !(a & frac_mask(f));
}

static bool r_iszero(const struct rfmt *f, uint64_t a)
{
	return (a & (sign_bit(f) - 1)) == 0;
}

static bool r_neg(const struct rfmt *f, uint64_t a) { return (a & sign_bit(f)) != 0; }

static uint64_t r_canon(const struct rfmt *f)
{
	return exp_all(f) << (f->p - 1) | 1ull << (f->p - 2);
}

static uint64_t r_inf(const struct rfmt *f, bool neg)
{
	return (neg ? sign_bit(f) : 0) | exp_all(f) << (f->p - 1);
}

static uint64_t r_zero(const struct rfmt *f, bool neg) { return neg ? sign_bit(f) : 0; }

/* ---- dyadic numbers and the wide integer -------------------------------- */

struct dy {
	bool neg;
	uint64_t sig;  /* 0 for zero */
	int exp;
};

static struct dy to_dy(const struct rfmt *f, uint64_t a)
{
	struct dy d = { r_neg(f, a), a & frac_mask(f), 0 };
	int be = (int)field_exp(f, a);

	if (be)
		d.sig |= 1ull << (f->p - 1);
	d.exp = (be ? be : 1) - f->bias - (f->p - 1);
	return d;
}

#define NW 144      /* 4608 bits */
#define BASE 2300   /* the integer counts units of 2^-BASE */

struct big {
	uint32_t w[NW];
};

/* x += (neg ? -1 : 1) * sig * 2^exp, exactly */
static void big_acc(struct big *x, bool neg, u128 sig, int exp)
{
	int pos = exp + BASE, wi = pos / 32, sh = pos % 32;
	uint32_t t[5];
	uint64_t carry = 0;

	assert(pos >= 0 && wi + 5 < NW);
	for (int i = 0; i < 5; i++) {
		int lo = 32 * i - sh;  /* bit of sig that lands on word wi+i bit 0 */

		if (lo <= -32 || lo >= 128)
			t[i] = 0;
		else if (lo < 0)
			t[i] = (uint32_t)(sig << -lo);
		else
			t[i] = (uint32_t)(sig >> lo);
	}
	for (int i = wi; i < NW; i++) {
		uint64_t add = i - wi < 5 ? t[i - wi] : 0;
		uint64_t v;

		if (!neg) {
			v = (uint64_t)x->w[i] + add + carry;
			carry = v >> 32;
		} else {
			v = (uint64_t)x->w[i] - add - carry;
			carry = (v >> 32) ? 1 : 0;
		}
		x->w[i] = (uint32_t)v;
		if (!carry && i - wi >= 4)
			break;
	}
}

static int big_sign(const struct big *x)
{
	if (x->w[NW - 1] >> 31)
		return -1;
	for (int i = 0; i < NW; i++)
		if (x->w[i])
			return 1;
	return 0;
}

/* ---- the oracle ----------------------------------------------------------- */

enum { Q_SUM, Q_PRODSUM, Q_DIV, Q_SQRT };

/* x = t1 + t2 + t3 (each a dyadic or a product), or a/b, or sqrt(a) */
struct problem {
	int kind;
	struct dy a, b, c;   /* Q_SUM: a + c; Q_PRODSUM: a*b + c (sign already in a) */
};

static void acc_dy(struct big *x, struct dy d)
{
	if (d.sig)
		big_acc(x, d.neg, d.sig, d.exp);
}

/* sign(x - m), m = (mneg ? -1 : 1) * M * 2^E */
static int oracle(const struct problem *p, bool mneg, uint64_t M, int E)
{
	struct big d;

	memset(&d, 0, sizeof(d));
	switch (p->kind) {
	case Q_SUM:
		acc_dy(&d, p->a);
		acc_dy(&d, p->c);
		big_acc(&d, !mneg, M, E);
		return big_sign(&d);
	case Q_PRODSUM:
		if (p->a.sig && p->b.sig)
			big_acc(&d, p->a.neg != p->b.neg, (u128)p->a.sig * p->b.sig, p->a.exp + p->b.exp);
		acc_dy(&d, p->c);
		big_acc(&d, !mneg, M, E);
		return big_sign(&d);
	case Q_DIV: {
		/* a/b - m has the sign of (a - m*b) * sign(b) */
		int s;

		acc_dy(&d, p->a);
		big_acc(&d, mneg == p->b.neg, (u128)M * p->b.sig, E + p->b.exp);
		s = big_sign(&d);
		return p->b.neg ? -s : s;
	}
	default: /* Q_SQRT, a > 0 */
		if (mneg)
			return 1;
		acc_dy(&d, p->a);
		big_acc(&d, true, (u128)M * M, 2 * E);
		return big_sign(&d);
	}
}

/* ---- rounding by search ----------------------------------------------------- */

enum { C_EXACT, C_BELOW, C_TIE, C_ABOVE };

struct analysis {
	bool neg, overflow;
	int e, q;
	uint64_t k;
	int cls;
	uint64_t k0;  /* e == emin-1: the significand with unbounded exponent */
	int cls0;
};

/* sign(|x| - M*2^E) */
static int mcmp(const struct problem *p, bool neg, uint64_t M, int E)
{
	return neg ? -oracle(p, true, M, E) : oracle(p, false, M, E);
}

/* largest k in [lo, hi] with |x| >= k*2^q (lo must satisfy it) */
static uint64_t search_k(const struct problem *p, bool neg, uint64_t lo, uint64_t hi, int q)
{
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if (mcmp(p, neg, mid, q) >= 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int classify(const struct problem *p, bool neg, uint64_t k, int q)
{
	int s;

	if (mcmp(p, neg, k, q) == 0)
		return C_EXACT;
	s = mcmp(p, neg, 2 * k + 1, q - 1);
	return s < 0 ? C_BELOW : s == 0 ? C_TIE : C_ABOVE;
}

/* x must be nonzero */
static struct analysis analyse(const struct rfmt *f, const struct problem *p)
{
	struct analysis an = { .neg = oracle(p, false, 0, 0) < 0 };
	int lo = f->emin - f->p - 2, hi = f->emax;

	if (mcmp(p, an.neg, 1, f->emax + 1) >= 0) {
		an.overflow = true;
		return an;
	}
	if (mcmp(p, an.neg, 1, lo) < 0) {
		an.e = lo - 1;
	} else {
		while (lo < hi) {
			int mid = lo + (hi - lo + 1) / 2;

			if (mcmp(p, an.neg, 1, mid) >= 0)
				lo = mid;
			else
				hi = mid - 1;
		}
		an.e = lo;
	}
	an.q = (an.e > f->emin ? an.e : f->emin) - (f->p - 1);
	an.k = search_k(p, an.neg, an.e >= f->emin ? 1ull << (f->p - 1) : 0,
			(1ull << f->p) - 1, an.q);
	an.cls = classify(p, an.neg, an.k, an.q);
	if (an.e == f->emin - 1) {
		int q0 = an.e - (f->p - 1);

		an.k0 = search_k(p, an.neg, 1ull << (f->p - 1), (1ull << f->p) - 1, q0);
		an.cls0 = classify(p, an.neg, an.k0, q0);
	}
	return an;
}

static bool bump(int rm, bool neg, bool odd, int cls)
{
	if (cls == C_EXACT)
		return false;
	switch (rm) {
	case RNE: return cls == C_ABOVE || (cls == C_TIE && odd);
	case RTZ: return false;
	case RDN: return neg;
	case RUP: return !neg;
	default:  return cls != C_BELOW;  /* RMM */
	}
}

static uint64_t overflowed(const struct rfmt *f, bool neg, int rm, uint32_t *ff)
{
	bool inf = rm == RNE || rm == RMM || (rm == RDN && neg) || (rm == RUP && !neg);
	uint64_t max = (exp_all(f) - 1) << (f->p - 1) | frac_mask(f);

	*ff |= OF | NX;
	return inf ? r_inf(f, neg) : (neg ? sign_bit(f) : 0) | max;
}

static uint64_t finish(const struct rfmt *f, const struct analysis *an, int rm, uint32_t *ff)
{
	uint64_t k = an->k, bits;
	int q = an->q;
	bool tiny;

	if (an->overflow)
		return overflowed(f, an->neg, rm, ff);
	if (bump(rm, an->neg, k & 1, an->cls))
		k++;
	if (k == 1ull << f->p) {
		k >>= 1;
		q++;
	}
	if (q + f->p - 1 > f->emax)
		return overflowed(f, an->neg, rm, ff);
	if (k < 1ull << (f->p - 1))
		bits = k;
	else
		bits = (uint64_t)(q + f->p - 1 + f->bias) << (f->p - 1) | (k & frac_mask(f));
	if (an->cls != C_EXACT) {
		*ff |= NX;
		tiny = an->e < f->emin;
		if (an->e == f->emin - 1 && an->k0 == (1ull << f->p) - 1 &&
		    bump(rm, an->neg, true, an->cls0))
			tiny = false;
		if (tiny)
			*ff |= UF;
	}
	return (an->neg ? sign_bit(f) : 0) | bits;
}

/* Round a problem whose exact value may be zero; zero_neg: sign of an
 * exact zero made only of zero terms, or -1 when it is a cancellation. */
static uint64_t round_problem(const struct rfmt *f, const struct problem *p, int rm, uint32_t *ff)
{
	struct analysis an;

	if (oracle(p, false, 0, 0) == 0)
		return r_zero(f, rm == RDN);  /* cancellation: +0, or -0 rounding down */
	an = analyse(f, p);
	return finish(f, &an, rm, ff);
}

/* ---- operations ------------------------------------------------------------- */

static uint64_t invalid(const struct rfmt *f, uint32_t *ff)
{
	*ff |= NV;
	return r_canon(f);
}

static uint64_t ref_add(const struct rfmt *f, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_SUM };

	if (r_isnan(f, a) || r_isnan(f, b)) {
		if (r_issnan(f, a) || r_issnan(f, b))
			*ff |= NV;
		return r_canon(f);
	}
	if (r_isinf(f, a) && r_isinf(f, b))
		return r_neg(f, a) == r_neg(f, b) ? a : invalid(f, ff);
	if (r_isinf(f, a))
		return a;
	if (r_isinf(f, b))
		return b;
	if (r_iszero(f, a) && r_iszero(f, b))
		return r_neg(f, a) == r_neg(f, b) ? a : r_zero(f, rm == RDN);
	p.a = to_dy(f, a);
	p.c = to_dy(f, b);
	return round_problem(f, &p, rm, ff);
}

static uint64_t ref_mul(const struct rfmt *f, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_PRODSUM };
	bool neg = r_neg(f, a) != r_neg(f, b);

	if (r_isnan(f, a) || r_isnan(f, b)) {
		if (r_issnan(f, a) || r_issnan(f, b))
			*ff |= NV;
		return r_canon(f);
	}
	if ((r_isinf(f, a) && r_iszero(f, b)) || (r_iszero(f, a) && r_isinf(f, b)))
		return invalid(f, ff);
	if (r_isinf(f, a) || r_isinf(f, b))
		return r_inf(f, neg);
	if (r_iszero(f, a) || r_iszero(f, b))
		return r_zero(f, neg);
	p.a = to_dy(f, a);
	p.b = to_dy(f, b);
	return round_problem(f, &p, rm, ff);
}

static uint64_t ref_div(const struct rfmt *f, uint64_t a, uint64_t b, int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_DIV };
	bool neg = r_neg(f, a) != r_neg(f, b);

	if (r_isnan(f, a) || r_isnan(f, b)) {
		if (r_issnan(f, a) || r_issnan(f, b))
			*ff |= NV;
		return r_canon(f);
	}
	if ((r_isinf(f, a) && r_isinf(f, b)) || (r_iszero(f, a) && r_iszero(f, b)))
		return invalid(f, ff);
	if (r_isinf(f, a))
		return r_inf(f, neg);
	if (r_isinf(f, b) || r_iszero(f, a))
		return r_zero(f, neg);
	if (r_iszero(f, b)) {
		*ff |= DZ;
		return r_inf(f, neg);
	}
	p.a = to_dy(f, a);
	p.b = to_dy(f, b);
	return round_problem(f, &p, rm, ff);
}

static uint64_t ref_sqrt(const struct rfmt *f, uint64_t a, int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_SQRT };

	if (r_isnan(f, a)) {
		if (r_issnan(f, a))
			*ff |= NV;
		return r_canon(f);
	}
	if (r_iszero(f, a))
		return a;
	if (r_neg(f, a))
		return invalid(f, ff);
	if (r_isinf(f, a))
		return a;
	p.a = to_dy(f, a);
	return round_problem(f, &p, rm, ff);
}

/* (neg_prod ? -1 : 1) * a*b + (neg_c ? -1 : 1) * c */
static uint64_t ref_fma(const struct rfmt *f, uint64_t a, uint64_t b, uint64_t c,
			bool neg_prod, bool neg_c, int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_PRODSUM };
	bool pneg = (r_neg(f, a) != r_neg(f, b)) != neg_prod;
	bool cneg = r_neg(f, c) != neg_c;

	if ((r_isinf(f, a) && r_iszero(f, b)) || (r_iszero(f, a) && r_isinf(f, b)))
		return invalid(f, ff);  /* even when c is a quiet NaN */
	if (r_isnan(f, a) || r_isnan(f, b) || r_isnan(f, c)) {
		if (r_issnan(f, a) || r_issnan(f, b) || r_issnan(f, c))
			*ff |= NV;
		return r_canon(f);
	}
	if (r_isinf(f, a) || r_isinf(f, b)) {
		if (r_isinf(f, c) && cneg != pneg)
			return invalid(f, ff);
		return r_inf(f, pneg);
	}
	if (r_isinf(f, c))
		return r_inf(f, cneg);
	if (r_iszero(f, a) || r_iszero(f, b)) {
		if (r_iszero(f, c))
			return pneg == cneg ? r_zero(f, pneg) : r_zero(f, rm == RDN);
		return c ^ (neg_c ? sign_bit(f) : 0);
	}
	p.a = to_dy(f, a);
	p.a.neg = pneg;
	p.b = to_dy(f, b);
	p.b.neg = false;
	if (!r_iszero(f, c)) {
		p.c = to_dy(f, c);
		p.c.neg = cneg;
	}
	return round_problem(f, &p, rm, ff);
}

uint64_t ref_arith(bool dbl, int op, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff)
{
	const struct rfmt *f = dbl ? &RD : &RS;

	switch (op) {
	case OP_ADD:    return ref_add(f, a, b, rm, ff);
	case OP_SUB:    return ref_add(f, a, b ^ sign_bit(f), rm, ff);
	case OP_MUL:    return ref_mul(f, a, b, rm, ff);
	case OP_DIV:    return ref_div(f, a, b, rm, ff);
	case OP_SQRT:   return ref_sqrt(f, a, rm, ff);
	case OP_FMADD:  return ref_fma(f, a, b, c, false, false, rm, ff);
	case OP_FMSUB:  return ref_fma(f, a, b, c, false, true, rm, ff);
	case OP_FNMSUB: return ref_fma(f, a, b, c, true, false, rm, ff);
	default:        return ref_fma(f, a, b, c, true, true, rm, ff);
	}
}

/* ---- conversions ------------------------------------------------------------ */

uint64_t ref_from_int(bool dbl, bool neg, uint64_t mag, int rm, uint32_t *ff)
{
	const struct rfmt *f = dbl ? &RD : &RS;
	struct problem p = { .kind = Q_SUM, .a = { neg, mag, 0 } };

	if (!mag)
		return 0;
	return round_problem(f, &p, rm, ff);
}

static uint64_t convert(const struct rfmt *from, const struct rfmt *to, uint64_t a,
			int rm, uint32_t *ff)
{
	struct problem p = { .kind = Q_SUM };

	if (r_isnan(from, a)) {
		if (r_issnan(from, a))
			*ff |= NV;
		return r_canon(to);
	}
	if (r_isinf(from, a))
		return r_inf(to, r_neg(from, a));
	if (r_iszero(from, a))
		return r_zero(to, r_neg(from, a));
	p.a = to_dy(from, a);
	return round_problem(to, &p, rm, ff);
}

uint64_t ref_cvt_s_d(uint64_t a, int rm, uint32_t *ff) { return convert(&RD, &RS, a, rm, ff); }
uint64_t ref_cvt_d_s(uint64_t a, int rm, uint32_t *ff) { return convert(&RS, &RD, a, rm, ff); }

static long double to_ld(bool dbl, uint64_t a)
{
	if (dbl) {
		double d;

		memcpy(&d, &a, 8);
		return d;
	} else {
		float s;
		uint32_t w = (uint32_t)a;

		memcpy(&s, &w, 4);
		return s;
	}
}

static long double round_ld(long double v, int rm)
{
	long double fl = floorl(v), frac = v - fl;  /* both exact in x87 */

	switch (rm) {
	case RNE:
		if (frac > 0.5L || (frac == 0.5L && fmodl(fl, 2.0L) != 0))
			return fl + 1;
		return fl;
	case RTZ: return v < 0 ? ceill(v) : fl;
	case RDN: return fl;
	case RUP: return ceill(v);
	default:  /* RMM */
		if (frac == 0.5L)
			return v < 0 ? fl : fl + 1;
		return frac > 0.5L ? fl + 1 : fl;
	}
}

uint64_t ref_to_int(bool dbl, uint64_t a, bool is_signed, int bits, int rm, uint32_t *ff)
{
	const struct rfmt *f = dbl ? &RD : &RS;
	long double lo = is_signed ? -ldexpl(1, bits - 1) : 0;
	long double hi = is_signed ? ldexpl(1, bits - 1) - 1 : ldexpl(1, bits) - 1;
	long double v, r;
	uint64_t out;

	if (r_isnan(f, a)) {
		*ff |= NV;
		r = hi;
	} else {
		v = to_ld(dbl, a);
		r = isinf(v) ? v : round_ld(v, rm);
		if (r < lo || r > hi) {
			*ff |= NV;
			r = r < lo ? lo : hi;
		} else if (r != v) {
			*ff |= NX;
		}
	}
	if (is_signed)
		out = (uint64_t)(int64_t)r;
	else
		out = r >= ldexpl(1, 63) ? (uint64_t)1 << 63 | (uint64_t)(r - ldexpl(1, 63)) : (uint64_t)r;
	if (bits == 32)
		out = (uint64_t)(int64_t)(int32_t)(uint32_t)out;
	return out;
}

/* ---- comparisons, min/max, class ---------------------------------------------- */

uint64_t ref_cmp(bool dbl, int which, uint64_t a, uint64_t b, uint32_t *ff)
{
	const struct rfmt *f = dbl ? &RD : &RS;
	long double x = to_ld(dbl, a), y = to_ld(dbl, b);

	if (r_isnan(f, a) || r_isnan(f, b)) {
		if (which != 0 || r_issnan(f, a) || r_issnan(f, b))
			*ff |= NV;
		return 0;
	}
	return which == 0 ? x == y : which == 1 ? x < y : x <= y;
}

uint64_t ref_minmax(bool dbl, bool want_max, uint64_t a, uint64_t b, uint32_t *ff)
{
	const struct rfmt *f = dbl ? &RD : &RS;
	long double x = to_ld(dbl, a), y = to_ld(dbl, b);

	if (r_issnan(f, a) || r_issnan(f, b))
		*ff |= NV;
	if (r_isnan(f, a) && r_isnan(f, b))
		return r_canon(f);
	if (r_isnan(f, a))
		return b;
	if (r_isnan(f, b))
		return a;
	if (x == y)  /* equal, or zeros of either sign: the sign decides */
		return (r_neg(f, a) == want_max) ? b : a;
	return (x < y) != want_max ? a : b;
}

uint64_t ref_class(bool dbl, uint64_t a)
{
	const struct rfmt *f = dbl ? &RD : &RS;
	long double v = to_ld(dbl, a);
	bool neg = r_neg(f, a);
	long double min_normal = ldexpl(1, f->emin);

	if (r_isnan(f, a))
		return r_issnan(f, a) ? 0x100 : 0x200;
	if (isinf(v))
		return neg ? 0x001 : 0x080;
	if (v == 0)
		return neg ? 0x008 : 0x010;
	if (fabsl(v) < min_normal)
		return neg ? 0x004 : 0x020;
	return neg ? 0x002 : 0x040;
}

/*
 * RISC-V F/D conversions: float -> integer (fcvt.{w,wu,l,lu}.{s,d}),
 * integer -> float (fcvt.{s,d}.{w,wu,l,lu}) and between precisions.
 *
 * Float -> integer is done on the bit pattern because the RISC-V rules
 * differ from x86 (which returns 0x80..0 for everything out of range):
 * NaN and +inf/too large saturate to the maximum, -inf/too small to the
 * minimum, all with NV and nothing else; a negative value that rounds to 0
 * converts to unsigned 0 with only NX; 32-bit results, unsigned ones too,
 * are sign-extended to 64 bits.
 *
 * Integer -> float is exact (no flags) while the magnitude fits the
 * significand, which covers nearly every conversion a program does;
 * otherwise the software rounder handles all five modes.  Narrowing d -> s
 * uses the host for the four host modes; widening s -> d is always exact.
 */
#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"

/* A finite value rounded to an integer magnitude. */
struct int_round {
	uint64_t mag;
	bool neg;
	bool inexact;
	bool huge;  /* |value| >= 2^64 */
};

static struct int_round round_to_int(const struct fpu_fmt *f, uint64_t a, int rm)
{
	struct int_round r = { .neg = (a & f->sign) != 0 };
	struct fpu_num n;
	bool half, sticky;
	int shift;

	if (fpu_is_zero(f, a))
		return r;
	n = fpu_unpack(f, a);
	if (n.exp >= 0) {
		/* an integer already; too big when its top bit is >= 2^64 */
		r.huge = 64 - __builtin_clzll(n.sig) + n.exp > 64;
		r.mag = r.huge ? 0 : n.sig << n.exp;
		return r;
	}
	shift = -n.exp;
	if (shift >= 64) {  /* sig < 2^53, so the value is below 1/2 */
		half = false;
		sticky = true;
		r.mag = 0;
	} else {
		half = (n.sig >> (shift - 1)) & 1;
		sticky = (n.sig & ((1ull << (shift - 1)) - 1)) != 0;
		r.mag = n.sig >> shift;
	}
	r.inexact = half || sticky;
	if (fpu_round_up(rm, r.neg, r.mag & 1, half, sticky))
		r.mag++;
	return r;
}

/* Convert to a signed integer of `bits` bits (32 or 64). */
static int64_t to_signed(const struct fpu_fmt *f, uint64_t a, int rm, int bits, uint32_t *fflags)
{
	uint64_t max = (1ull << (bits - 1)) - 1, min_mag = max + 1;
	struct int_round r;

	if (fpu_is_nan(f, a)) {
		*fflags |= RV_FF_NV;
		return (int64_t)max;
	}
	r = round_to_int(f, a, rm);
	if (fpu_is_inf(f, a) || r.huge || r.mag > (r.neg ? min_mag : max)) {
		*fflags |= RV_FF_NV;
		return r.neg ? (int64_t)(0 - min_mag) : (int64_t)max;
	}
	if (r.inexact)
		*fflags |= RV_FF_NX;
	return r.neg ? (int64_t)(0 - r.mag) : (int64_t)r.mag;
}

/* Convert to an unsigned integer of `bits` bits (32 or 64). */
static uint64_t to_unsigned(const struct fpu_fmt *f, uint64_t a, int rm, int bits, uint32_t *fflags)
{
	uint64_t max = bits == 64 ? ~0ull : (1ull << bits) - 1;
	struct int_round r;

	if (fpu_is_nan(f, a)) {
		*fflags |= RV_FF_NV;
		return max;
	}
	r = round_to_int(f, a, rm);
	if (r.neg && (fpu_is_inf(f, a) || r.huge || r.mag)) {
		*fflags |= RV_FF_NV;
		return 0;
	}
	if (fpu_is_inf(f, a) || r.huge || r.mag > max) {
		*fflags |= RV_FF_NV;
		return max;
	}
	if (r.inexact)
		*fflags |= RV_FF_NX;
	return r.mag;
}

static inline int64_t sext32(uint64_t v)
{
	return (int32_t)(uint32_t)v;
}

int64_t fpu_cvt_w_d(uint64_t a, int rm, uint32_t *fflags)
{
	return to_signed(&fpu_fmt_d, a, rm, 32, fflags);
}

int64_t fpu_cvt_wu_d(uint64_t a, int rm, uint32_t *fflags)
{
	return sext32(to_unsigned(&fpu_fmt_d, a, rm, 32, fflags));
}

int64_t fpu_cvt_l_d(uint64_t a, int rm, uint32_t *fflags)
{
	return to_signed(&fpu_fmt_d, a, rm, 64, fflags);
}

uint64_t fpu_cvt_lu_d(uint64_t a, int rm, uint32_t *fflags)
{
	return to_unsigned(&fpu_fmt_d, a, rm, 64, fflags);
}

int64_t fpu_cvt_w_s(uint32_t a, int rm, uint32_t *fflags)
{
	return to_signed(&fpu_fmt_s, a, rm, 32, fflags);
}

int64_t fpu_cvt_wu_s(uint32_t a, int rm, uint32_t *fflags)
{
	return sext32(to_unsigned(&fpu_fmt_s, a, rm, 32, fflags));
}

int64_t fpu_cvt_l_s(uint32_t a, int rm, uint32_t *fflags)
{
	return to_signed(&fpu_fmt_s, a, rm, 64, fflags);
}

uint64_t fpu_cvt_lu_s(uint32_t a, int rm, uint32_t *fflags)
{
	return to_unsigned(&fpu_fmt_s, a, rm, 64, fflags);
}

/* ---- integer -> float -------------------------------------------------- */

static uint64_t from_int(const struct fpu_fmt *f, bool neg, uint64_t mag, int rm, uint32_t *fflags)
{
	if (!mag)
		return 0;  /* integer zero converts to +0 */
	return fpu_round_pack(f, neg, 0, mag, rm, fflags);
}

/* Exact conversions of integers that fit the significand.  Not C casts:
 * the compiler may convert an unsigned value with a (2^52 + x) - 2^52
 * trick, which gives -0 for 0 when the host thread rounds down. */
static inline uint64_t small_int_to_d(int64_t a)
{
	double r;

	__asm__("cvtsi2sdq %1, %0" : "=x"(r) : "r"(a));
	return fpu_d_to_bits(r);
}

static inline uint32_t small_int_to_s(int64_t a)
{
	float r;

	__asm__("cvtsi2ssq %1, %0" : "=x"(r) : "r"(a));
	return fpu_s_to_bits(r);
}

static inline uint64_t abs64(int64_t a)
{
	return a < 0 ? 0 - (uint64_t)a : (uint64_t)a;
}

uint64_t fpu_cvt_d_w(int32_t a, int rm, uint32_t *fflags)
{
	(void)rm;
	(void)fflags;
	return small_int_to_d(a);  /* always exact */
}

uint64_t fpu_cvt_d_wu(uint32_t a, int rm, uint32_t *fflags)
{
	(void)rm;
	(void)fflags;
	return small_int_to_d(a);  /* always exact */
}

uint64_t fpu_cvt_d_l(int64_t a, int rm, uint32_t *fflags)
{
	if (a > -(1ll << 53) && a < (1ll << 53))
		return small_int_to_d(a);
	return from_int(&fpu_fmt_d, a < 0, abs64(a), rm, fflags);
}

uint64_t fpu_cvt_d_lu(uint64_t a, int rm, uint32_t *fflags)
{
	if (a < (1ull << 53))
		return small_int_to_d((int64_t)a);
	return from_int(&fpu_fmt_d, false, a, rm, fflags);
}

uint32_t fpu_cvt_s_w(int32_t a, int rm, uint32_t *fflags)
{
	return fpu_cvt_s_l(a, rm, fflags);
}

uint32_t fpu_cvt_s_wu(uint32_t a, int rm, uint32_t *fflags)
{
	return fpu_cvt_s_lu(a, rm, fflags);
}

uint32_t fpu_cvt_s_l(int64_t a, int rm, uint32_t *fflags)
{
	if (a > -(1ll << 24) && a < (1ll << 24))
		return small_int_to_s(a);
	return (uint32_t)from_int(&fpu_fmt_s, a < 0, abs64(a), rm, fflags);
}

uint32_t fpu_cvt_s_lu(uint64_t a, int rm, uint32_t *fflags)
{
	if (a < (1ull << 24))
		return small_int_to_s((int64_t)a);
	return (uint32_t)from_int(&fpu_fmt_s, false, a, rm, fflags);
}

/* ---- between precisions ------------------------------------------------ */

/* Special operands of a conversion: canonical NaN (NV if signaling),
 * infinities and zeros keep their sign.  Returns false for finite nonzero. */
static bool convert_special(const struct fpu_fmt *from, const struct fpu_fmt *to,
			    uint64_t a, uint64_t *out, uint32_t *fflags)
{
	uint64_t sign = (a & from->sign) ? to->sign : 0;

	if (fpu_is_nan(from, a)) {
		if (fpu_is_snan(from, a))
			*fflags |= RV_FF_NV;
		*out = to->canon;
	} else if (fpu_is_inf(from, a)) {
		*out = sign | to->inf;
	} else if (fpu_is_zero(from, a)) {
		*out = sign;
	} else {
		return false;
	}
	return true;
}

static inline float sse_cvt_d_to_s(double a)
{
	float r;

	__asm__ volatile("cvtsd2ss %1, %0" : "=x"(r) : "x"(a));
	return r;
}

uint32_t fpu_cvt_s_d(uint64_t a, int rm, uint32_t *fflags)
{
	struct fpu_num n;
	uint64_t out;
	uint32_t saved, r;

	if (rm != RV_RM_RMM) {
		saved = fpu_host_begin(rm);
		r = fpu_s_to_bits(sse_cvt_d_to_s(fpu_bits_to_d(a)));
		*fflags |= fpu_host_end(saved);
		return fpu_is_nan(&fpu_fmt_s, r) ? (uint32_t)fpu_fmt_s.canon : r;
	}
	if (convert_special(&fpu_fmt_d, &fpu_fmt_s, a, &out, fflags))
		return (uint32_t)out;
	n = fpu_unpack(&fpu_fmt_d, a);
	return (uint32_t)fpu_round_pack(&fpu_fmt_s, n.sign, n.exp, n.sig, rm, fflags);
}

uint64_t fpu_cvt_d_s(uint32_t a, int rm, uint32_t *fflags)
{
	struct fpu_num n;
	uint64_t out;

	if (convert_special(&fpu_fmt_s, &fpu_fmt_d, a, &out, fflags))
		return out;
	n = fpu_unpack(&fpu_fmt_s, a);
	return fpu_round_pack(&fpu_fmt_d, n.sign, n.exp, n.sig, rm, fflags);  /* exact */
}

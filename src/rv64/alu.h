/*
 * RV64 integer semantics that are more than one C operator: division and
 * remainder with the spec's results for zero divisors and overflow, the
 * high multiplies, W-suffixed sign extension and the Zbb bit operations.
 * Pure functions on uint64_t (never signed overflow), shared by every
 * engine so they compute identical results.
 */
#ifndef POPEK_RV64_ALU_H
#define POPEK_RV64_ALU_H

#include <stdint.h>

static inline uint64_t rv_sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

static inline uint64_t rv_div(uint64_t a, uint64_t b)
{
	if (b == 0)
		return UINT64_MAX;
	if (a == (1ull << 63) && b == UINT64_MAX)
		return a;   /* overflow: the dividend */
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t rv_divu(uint64_t a, uint64_t b)
{
	return b ? a / b : UINT64_MAX;
}

static inline uint64_t rv_rem(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (a == (1ull << 63) && b == UINT64_MAX)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint64_t rv_remu(uint64_t a, uint64_t b)
{
	return b ? a % b : a;
}

static inline uint64_t rv_divw(uint64_t a, uint64_t b)
{
	int32_t x = (int32_t)a, y = (int32_t)b;

	if (y == 0)
		return UINT64_MAX;
	if (x == INT32_MIN && y == -1)
		return rv_sext32((uint32_t)x);
	return rv_sext32((uint32_t)(x / y));
}

static inline uint64_t rv_divuw(uint64_t a, uint64_t b)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b;

	return y ? rv_sext32(x / y) : UINT64_MAX;
}

static inline uint64_t rv_remw(uint64_t a, uint64_t b)
{
	int32_t x = (int32_t)a, y = (int32_t)b;

	if (y == 0)
		return rv_sext32((uint32_t)x);
	if (x == INT32_MIN && y == -1)
		return 0;
	return rv_sext32((uint32_t)(x % y));
}

static inline uint64_t rv_remuw(uint64_t a, uint64_t b)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b;

	return rv_sext32(y ? x % y : x);
}

static inline uint64_t rv_mulh(uint64_t a, uint64_t b)
{
	return (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64);
}

static inline uint64_t rv_mulhu(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static inline uint64_t rv_mulhsu(uint64_t a, uint64_t b)
{
	/* signed a times unsigned b: the unsigned high product, corrected by
	 * b when a is negative (a = ua - 2^64). */
	uint64_t hi = rv_mulhu(a, b);

	return (int64_t)a < 0 ? hi - b : hi;
}

static inline uint64_t rv_clz(uint64_t a) { return a ? (uint64_t)__builtin_clzll(a) : 64; }
static inline uint64_t rv_ctz(uint64_t a) { return a ? (uint64_t)__builtin_ctzll(a) : 64; }
static inline uint64_t rv_clzw(uint64_t a) { return (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32; }
static inline uint64_t rv_ctzw(uint64_t a) { return (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32; }

static inline uint64_t rv_rol(uint64_t a, unsigned s)
{
	s &= 63;
	return s ? a << s | a >> (64 - s) : a;
}

static inline uint64_t rv_ror(uint64_t a, unsigned s)
{
	s &= 63;
	return s ? a >> s | a << (64 - s) : a;
}

static inline uint64_t rv_rorw(uint64_t a, unsigned s)
{
	uint32_t x = (uint32_t)a;

	s &= 31;
	return rv_sext32(s ? x >> s | x << (32 - s) : x);
}

static inline uint64_t rv_rolw(uint64_t a, unsigned s)
{
	return rv_rorw(a, (32 - (s & 31)) & 31);
}

/* orc.b: each byte becomes 0xff if any of its bits is set, else 0. */
static inline uint64_t rv_orc_b(uint64_t a)
{
	uint64_t r = 0;

	for (int i = 0; i < 64; i += 8)
		if ((a >> i) & 0xff)
			r |= 0xffull << i;
	return r;
}

#endif

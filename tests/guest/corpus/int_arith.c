/*
 * Integer arithmetic corner cases, printed so that a native x86-64 run and a
 * riscv64 run under popek must agree byte for byte.  Everything here is
 * defined behaviour in C: operands come through volatile variables so the
 * compiler cannot fold them away and the guest's ALU really computes them.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t vs[] = {
	0, 1, -1, 2, -2, 3, 7, -7, 31, 32, 63, 64,
	INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1,
	INT64_MAX, INT64_MIN, INT64_MIN + 1, 0x123456789abcdef0LL,
	-0x123456789abcdef0LL, 0x00000000ffffffffLL, 0x7fffffff80000000LL,
	0x5555555555555555LL, (int64_t)0xaaaaaaaaaaaaaaaaULL,
};
#define NV (sizeof(vs) / sizeof(vs[0]))

static void print_div(void)
{
	/* Signed division except by zero and INT_MIN / -1, which C leaves undefined. */
	for (unsigned i = 0; i < NV; i++) {
		for (unsigned j = 0; j < NV; j++) {
			int64_t a = vs[i], b = vs[j];
			uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
			if (b == 0)
				continue;
			printf("div %" PRId64 " %" PRId64 ":", a, b);
			if (!(a == INT64_MIN && b == -1))
				printf(" q=%" PRId64 " r=%" PRId64, a / b, a % b);
			printf(" uq=%" PRIu64 " ur=%" PRIu64, ua / ub, ua % ub);
			int32_t a32 = (int32_t)(uint32_t)ua, b32 = (int32_t)(uint32_t)ub;
			if (b32 != 0 && !(a32 == INT32_MIN && b32 == -1))
				printf(" q32=%" PRId32 " r32=%" PRId32, a32 / b32, a32 % b32);
			if ((uint32_t)ub != 0)
				printf(" uq32=%" PRIu32 " ur32=%" PRIu32,
				       (uint32_t)ua / (uint32_t)ub, (uint32_t)ua % (uint32_t)ub);
			printf("\n");
		}
	}
}

static void print_mul(void)
{
	for (unsigned i = 0; i < NV; i++) {
		for (unsigned j = i; j < NV; j++) {
			__int128 p = (__int128)vs[i] * vs[j];
			unsigned __int128 up = (unsigned __int128)(uint64_t)vs[i] * (uint64_t)vs[j];
			/* mixed signed x unsigned: what mulhsu computes */
			__int128 su = (__int128)vs[i] * (__int128)(unsigned __int128)(uint64_t)vs[j];
			uint32_t lo32 = (uint32_t)vs[i] * (uint32_t)vs[j];
			printf("mul %" PRIx64 " %" PRIx64 ": hi=%016" PRIx64 " lo=%016" PRIx64
			       " uhi=%016" PRIx64 " suhi=%016" PRIx64 " w=%08" PRIx32 "\n",
			       (uint64_t)vs[i], (uint64_t)vs[j],
			       (uint64_t)((unsigned __int128)p >> 64), (uint64_t)p,
			       (uint64_t)(up >> 64), (uint64_t)((unsigned __int128)su >> 64), lo32);
		}
	}
}

static void print_shifts(void)
{
	for (unsigned i = 0; i < NV; i++) {
		uint64_t u = (uint64_t)vs[i];
		for (volatile unsigned s = 0; s < 64; s += 7) {
			printf("shift %016" PRIx64 " %2u: l=%016" PRIx64 " r=%016" PRIx64
			       " ar=%016" PRIx64, u, s, u << s, u >> s,
			       (uint64_t)(vs[i] >> s));
			if (s < 32) {
				uint32_t w = (uint32_t)u;
				printf(" lw=%08" PRIx32 " rw=%08" PRIx32 " arw=%08" PRIx32,
				       w << s, w >> s, (uint32_t)((int32_t)w >> s));
			}
			printf("\n");
		}
		volatile unsigned s63 = 63, s31 = 31;
		printf("shift63 %016" PRIx64 " %016" PRIx64 " %016" PRIx64
		       " w31 %08" PRIx32 " %08" PRIx32 "\n",
		       u << s63, u >> s63, (uint64_t)(vs[i] >> s63),
		       (uint32_t)u >> s31, (uint32_t)((int32_t)(uint32_t)u >> s31));
	}
}

static void print_overflow(void)
{
	for (unsigned i = 0; i < NV; i++) {
		for (unsigned j = 0; j < NV; j++) {
			int64_t a = vs[i], b = vs[j], r1, r2, r3;
			int32_t w;
			uint64_t u;
			int o1 = __builtin_add_overflow(a, b, &r1);
			int o2 = __builtin_sub_overflow(a, b, &r2);
			int o3 = __builtin_mul_overflow(a, b, &r3);
			int o4 = __builtin_add_overflow((int32_t)a, (int32_t)b, &w);
			int o5 = __builtin_mul_overflow((uint64_t)a, (uint64_t)b, &u);
			printf("ovf %d%d%d%d%d %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx32 " %" PRIx64 "\n",
			       o1, o2, o3, o4, o5, (uint64_t)r1, (uint64_t)r2, (uint64_t)r3,
			       (uint32_t)w, u);
		}
	}
}

static void print_bits(void)
{
	for (unsigned i = 0; i < NV; i++) {
		uint64_t u = (uint64_t)vs[i];
		uint32_t w = (uint32_t)u;
		printf("bits %016" PRIx64 ": pop=%d popw=%d", u,
		       __builtin_popcountll(u), __builtin_popcount(w));
		if (u)
			printf(" clz=%d ctz=%d", __builtin_clzll(u), __builtin_ctzll(u));
		if (w)
			printf(" clzw=%d ctzw=%d", __builtin_clz(w), __builtin_ctz(w));
		printf(" bswap=%016" PRIx64 " bswapw=%08" PRIx32 " parity=%d",
		       __builtin_bswap64(u), __builtin_bswap32(w), __builtin_parityll(u));
		volatile unsigned r = 13;
		printf(" rol=%016" PRIx64 " ror=%016" PRIx64 " rolw=%08" PRIx32,
		       (u << r) | (u >> (64 - r)), (u >> r) | (u << (64 - r)),
		       (w << r) | (w >> (32 - r)));
		printf(" sext8=%" PRId64 " sext16=%" PRId64 " zext16=%" PRIu64 "\n",
		       (int64_t)(int8_t)u, (int64_t)(int16_t)u, (uint64_t)(uint16_t)u);
	}
}

static void print_wrap32(void)
{
	uint32_t a = 0xfffffff0u;
	uint64_t acc = 0;
	for (volatile int i = 0; i < 40; i++) {
		a += 0x11111111u;
		acc = acc * 31 + a;
		uint32_t m = a * 0x9e3779b9u;
		printf("wrap %08" PRIx32 " %08" PRIx32 " %016" PRIx64 " %" PRId64 "\n",
		       a, m, acc, (int64_t)(int32_t)m);
	}
	unsigned char c = 250;
	c += 10;
	unsigned short h = 65530;
	h += 10;
	printf("narrow %u %u\n", c, h);
}

static void print_compare(void)
{
	/* slt/sltu and branch semantics on mixed signs */
	for (unsigned i = 0; i < NV; i++)
		for (unsigned j = 0; j < NV; j += 3)
			printf("cmp %d%d%d%d", vs[i] < vs[j], (uint64_t)vs[i] < (uint64_t)vs[j],
			       (int32_t)vs[i] < (int32_t)vs[j], (uint32_t)vs[i] < (uint32_t)vs[j]);
	printf("\n");
}

int main(void)
{
	print_div();
	print_mul();
	print_shifts();
	print_overflow();
	print_bits();
	print_wrap32();
	print_compare();
	return 0;
}

/*
 * Unit test of src/rv64/fpu*.c (RISC-V F/D on raw bits).
 *
 *   test_fpu [random-cases-per-op] [seed]
 *   test_fpu --dump-corners   (print the corner table as "op rm a b c")
 *
 * 1. A table of hand-checked corner cases (test_fpu_cases.c).
 * 2. Randomized comparison of every operation in all five rounding modes,
 *    result bits and fflags, against the independent slow reference
 *    (test_fpu_ref.c).  Inputs are biased towards what breaks floating
 *    point: ties (short significands), subnormals, the overflow edge,
 *    cancellation, NaNs of both kinds.
 * 3. The same for the internal software engine (the RMM and no-FMA path)
 *    in all modes, so it is checked where the host normally answers.
 * 4. Every conversion at and around its boundaries (2^31, 2^32-0.5, 2^63,
 *    2^64, single-precision overflow/underflow thresholds, 2^k +- 3).
 * 5. The host floating-point environment: from four threads at once, each
 *    with its own host MXCSR (default; FTZ+DAZ+round-up+sticky flag;
 *    round-down with all flags set; round-to-zero with every exception
 *    unmasked), the corner table, the boundary sweep and random checks give
 *    the same answers, and MXCSR is left exactly as it was.
 * Exits 1 on any mismatch.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv64/fpu.h"
#include "rv64/fpu_internal.h"
#include "test_fpu.h"

static atomic_long mismatch_count;
long mismatches;

void report_mismatch(const char *what, int rm, uint64_t a, uint64_t b, uint64_t c,
		     uint64_t got, uint32_t got_ff, uint64_t want, uint32_t want_ff)
{
	long n = atomic_fetch_add(&mismatch_count, 1);

	if (n < 40)
		fprintf(stderr, "MISMATCH %s rm=%d a=%#llx b=%#llx c=%#llx: got %#llx/%#x want %#llx/%#x\n",
			what, rm, (unsigned long long)a, (unsigned long long)b, (unsigned long long)c,
			(unsigned long long)got, got_ff, (unsigned long long)want, want_ff);
}

/* ---- random inputs ------------------------------------------------------- */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

struct gfmt {
	int p, bias, width;
};

static const struct gfmt GS = { 24, 127, 32 }, GD = { 53, 1023, 64 };

static uint64_t make(const struct gfmt *f, bool neg, long field, uint64_t frac)
{
	long top = 2 * f->bias + 1;

	if (field < 0)
		field = 0;
	if (field > top)
		field = top;
	return (neg ? 1ull << (f->width - 1) : 0) | (uint64_t)field << (f->p - 1) |
	       (frac & ((1ull << (f->p - 1)) - 1));
}

/* a fraction with few significant bits, so exact results and ties are common */
static uint64_t short_frac(const struct gfmt *f, uint64_t *s)
{
	int keep = (int)(rnd(s) % (uint64_t)f->p);
	uint64_t frac = rnd(s) & ((1ull << (f->p - 1)) - 1);

	switch (rnd(s) % 4) {
	case 0: return frac;                                     /* random */
	case 1: return frac & ~((1ull << (f->p - 1 - keep)) - 1) /* short */
		       & ((1ull << (f->p - 1)) - 1);
	case 2: return ((1ull << (f->p - 1)) - 1) ^ (frac & 0xf); /* near all ones */
	default: return frac & 0xf;                               /* near zero */
	}
}

static uint64_t special(const struct gfmt *f, uint64_t *s)
{
	long top = 2 * f->bias + 1;
	bool neg = rnd(s) & 1;
	uint64_t payload = rnd(s) | 1;

	switch (rnd(s) % 10) {
	case 0: return make(f, neg, 0, 0);                          /* zero */
	case 1: return make(f, neg, top, 0);                        /* inf */
	case 2: return make(f, neg, top, 1ull << (f->p - 2) | payload); /* qNaN */
	case 3: return make(f, neg, top, payload & ((1ull << (f->p - 2)) - 1)); /* sNaN */
	case 4: return make(f, neg, 0, 1);                          /* min subnormal */
	case 5: return make(f, neg, 0, ~0ull);                      /* max subnormal */
	case 6: return make(f, neg, 1, 0);                          /* min normal */
	case 7: return make(f, neg, top - 1, ~0ull);                /* max finite */
	case 8: return make(f, neg, f->bias, 0);                    /* one */
	default: return make(f, neg, top - 1, 0);                   /* 2^emax */
	}
}

/* A value with exponent field near `center` (+- spread). */
static uint64_t near_exp(const struct gfmt *f, uint64_t *s, long center, long spread)
{
	long field = center + (long)(rnd(s) % (uint64_t)(2 * spread + 1)) - spread;

	if (field >= 2 * f->bias + 1)
		field = 2 * f->bias;
	return make(f, rnd(s) & 1, field, short_frac(f, s));
}

static uint64_t any_value(const struct gfmt *f, uint64_t *s)
{
	long top = 2 * f->bias + 1;

	switch (rnd(s) % 8) {
	case 0: return special(f, s);
	case 1: return rnd(s) & (f->width == 64 ? ~0ull : 0xffffffffull);
	case 2: return near_exp(f, s, f->p, f->p + 2);          /* subnormal edge */
	case 3: return near_exp(f, s, top - 2, 3);              /* overflow edge */
	default: return near_exp(f, s, f->bias, 40);
	}
}

static long exp_field(const struct gfmt *f, uint64_t a)
{
	return (long)((a >> (f->p - 1)) & (uint64_t)(2 * f->bias + 1));
}

/* Operands for one test: b and c are often tied to a's magnitude so sums
 * cancel, tie, or straddle binades. */
static void gen_operands(const struct gfmt *f, uint64_t *s, uint64_t *a, uint64_t *b, uint64_t *c)
{
	*a = any_value(f, s);
	*b = any_value(f, s);
	*c = any_value(f, s);
	if (rnd(s) % 2)
		*b = near_exp(f, s, exp_field(f, *a), f->p + 3);
	if (rnd(s) % 2) {
		long prod = exp_field(f, *a) + exp_field(f, *b) - f->bias;

		*c = near_exp(f, s, prod, f->p + 3);
		if (prod < 1 - f->p - 2)
			*c = any_value(f, s);
	}
}

/* ---- production dispatch --------------------------------------------------- */

static const char *const op_names[] = {
	"add", "sub", "mul", "div", "sqrt", "fmadd", "fmsub", "fnmsub", "fnmadd",
};

static uint64_t prod_arith(bool dbl, int op, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff)
{
	uint32_t x = (uint32_t)a, y = (uint32_t)b, z = (uint32_t)c;

	switch (op) {
	case OP_ADD:    return dbl ? fpu_add_d(a, b, rm, ff) : fpu_add_s(x, y, rm, ff);
	case OP_SUB:    return dbl ? fpu_sub_d(a, b, rm, ff) : fpu_sub_s(x, y, rm, ff);
	case OP_MUL:    return dbl ? fpu_mul_d(a, b, rm, ff) : fpu_mul_s(x, y, rm, ff);
	case OP_DIV:    return dbl ? fpu_div_d(a, b, rm, ff) : fpu_div_s(x, y, rm, ff);
	case OP_SQRT:   return dbl ? fpu_sqrt_d(a, rm, ff) : fpu_sqrt_s(x, rm, ff);
	case OP_FMADD:  return dbl ? fpu_fmadd_d(a, b, c, rm, ff) : fpu_fmadd_s(x, y, z, rm, ff);
	case OP_FMSUB:  return dbl ? fpu_fmsub_d(a, b, c, rm, ff) : fpu_fmsub_s(x, y, z, rm, ff);
	case OP_FNMSUB: return dbl ? fpu_fnmsub_d(a, b, c, rm, ff) : fpu_fnmsub_s(x, y, z, rm, ff);
	default:        return dbl ? fpu_fnmadd_d(a, b, c, rm, ff) : fpu_fnmadd_s(x, y, z, rm, ff);
	}
}

/* The software engine; ops it has no entry for return false. */
static bool soft_arith(bool dbl, int op, uint64_t a, uint64_t b, uint64_t c, int rm,
		       uint32_t *ff, uint64_t *out)
{
	const struct fpu_fmt *f = dbl ? &fpu_fmt_d : &fpu_fmt_s;

	switch (op) {
	case OP_ADD:   *out = fpu_soft_add(f, a, b, rm, ff); return true;
	case OP_SUB:   *out = fpu_soft_add(f, a, b ^ f->sign, rm, ff); return true;
	case OP_MUL:   *out = fpu_soft_mul(f, a, b, rm, ff); return true;
	case OP_DIV:   *out = fpu_soft_div(f, a, b, rm, ff); return true;
	case OP_FMADD: *out = fpu_soft_fma(f, a, b, c, rm, ff); return true;
	default:       return false;
	}
}

static void check(const char *what, int rm, uint64_t a, uint64_t b, uint64_t c,
		  uint64_t got, uint32_t got_ff, uint64_t want, uint32_t want_ff)
{
	if (got != want || got_ff != want_ff)
		report_mismatch(what, rm, a, b, c, got, got_ff, want, want_ff);
}

static void random_arith(bool dbl, int op, long n, uint64_t *s)
{
	const struct gfmt *g = dbl ? &GD : &GS;
	char what[40];

	snprintf(what, sizeof(what), "%s.%c", op_names[op], dbl ? 'd' : 's');
	for (long i = 0; i < n; i++) {
		uint64_t a, b, c, got, want, soft;

		gen_operands(g, s, &a, &b, &c);
		for (int rm = 0; rm <= 4; rm++) {
			uint32_t gf = 0, wf = 0, sf = 0;

			want = ref_arith(dbl, op, a, b, c, rm, &wf);
			got = prod_arith(dbl, op, a, b, c, rm, &gf);
			check(what, rm, a, b, c, got, gf, want, wf);
			if (soft_arith(dbl, op, a, b, c, rm, &sf, &soft))
				check("soft engine", rm, a, b, c, soft, sf, want, wf);
		}
	}
}

/* All conversions of double d, single f, and the integers l and lu, in
 * every rounding mode. */
static void convert_one(uint64_t d, uint64_t f, int64_t l, uint64_t lu)
{
	for (int rm = 0; rm <= 4; rm++) {
		uint32_t gf, wf;

#define CHECK(name, got_expr, want_expr, A) do { \
	gf = 0; wf = 0; \
	uint64_t got_ = (uint64_t)(got_expr), want_ = (want_expr); \
	check(name, rm, A, 0, 0, got_, gf, want_, wf); \
} while (0)
		CHECK("cvt.w.d", fpu_cvt_w_d(d, rm, &gf), ref_to_int(true, d, true, 32, rm, &wf), d);
		CHECK("cvt.wu.d", fpu_cvt_wu_d(d, rm, &gf), ref_to_int(true, d, false, 32, rm, &wf), d);
		CHECK("cvt.l.d", fpu_cvt_l_d(d, rm, &gf), ref_to_int(true, d, true, 64, rm, &wf), d);
		CHECK("cvt.lu.d", fpu_cvt_lu_d(d, rm, &gf), ref_to_int(true, d, false, 64, rm, &wf), d);
		CHECK("cvt.w.s", fpu_cvt_w_s((uint32_t)f, rm, &gf), ref_to_int(false, f, true, 32, rm, &wf), f);
		CHECK("cvt.wu.s", fpu_cvt_wu_s((uint32_t)f, rm, &gf), ref_to_int(false, f, false, 32, rm, &wf), f);
		CHECK("cvt.l.s", fpu_cvt_l_s((uint32_t)f, rm, &gf), ref_to_int(false, f, true, 64, rm, &wf), f);
		CHECK("cvt.lu.s", fpu_cvt_lu_s((uint32_t)f, rm, &gf), ref_to_int(false, f, false, 64, rm, &wf), f);
		CHECK("cvt.s.d", fpu_cvt_s_d(d, rm, &gf), ref_cvt_s_d(d, rm, &wf), d);
		CHECK("cvt.d.s", fpu_cvt_d_s((uint32_t)f, rm, &gf), ref_cvt_d_s(f, rm, &wf), f);
		CHECK("cvt.d.w", fpu_cvt_d_w((int32_t)l, rm, &gf),
		      ref_from_int(true, (int32_t)l < 0, (uint64_t)llabs((int32_t)l), rm, &wf), (uint64_t)l);
		CHECK("cvt.d.wu", fpu_cvt_d_wu((uint32_t)lu, rm, &gf),
		      ref_from_int(true, false, (uint32_t)lu, rm, &wf), lu);
		CHECK("cvt.d.l", fpu_cvt_d_l(l, rm, &gf),
		      ref_from_int(true, l < 0, l < 0 ? 0 - (uint64_t)l : (uint64_t)l, rm, &wf), (uint64_t)l);
		CHECK("cvt.d.lu", fpu_cvt_d_lu(lu, rm, &gf), ref_from_int(true, false, lu, rm, &wf), lu);
		CHECK("cvt.s.w", fpu_cvt_s_w((int32_t)l, rm, &gf),
		      ref_from_int(false, (int32_t)l < 0, (uint64_t)llabs((int32_t)l), rm, &wf), (uint64_t)l);
		CHECK("cvt.s.wu", fpu_cvt_s_wu((uint32_t)lu, rm, &gf),
		      ref_from_int(false, false, (uint32_t)lu, rm, &wf), lu);
		CHECK("cvt.s.l", fpu_cvt_s_l(l, rm, &gf),
		      ref_from_int(false, l < 0, l < 0 ? 0 - (uint64_t)l : (uint64_t)l, rm, &wf), (uint64_t)l);
		CHECK("cvt.s.lu", fpu_cvt_s_lu(lu, rm, &gf), ref_from_int(false, false, lu, rm, &wf), lu);
#undef CHECK
	}
}

static void random_convert(long n, uint64_t *s)
{
	for (long i = 0; i < n; i++) {
		uint64_t d = any_value(&GD, s), f = any_value(&GS, s), x = rnd(s);
		int shift = (int)(rnd(s) % 64);
		int64_t l = (int64_t)(x >> shift) * ((x & 1) ? -1 : 1);

		/* values near the integer boundaries */
		if (rnd(s) % 3 == 0) {
			d = make(&GD, rnd(s) & 1, 1023 + 28 + (long)(rnd(s) % 40), short_frac(&GD, s));
			f = make(&GS, rnd(s) & 1, 127 + 28 + (long)(rnd(s) % 40), short_frac(&GS, s));
		}
		if (rnd(s) % 8 == 0)  /* zero and tiny integers */
			l = (int64_t)(rnd(s) % 5) - 2;
		convert_one(d, f, l, rnd(s) % 8 ? x >> shift : (uint64_t)l);
	}
}

static void random_compare(long n, uint64_t *s)
{
	for (long i = 0; i < n; i++) {
		for (int dbl = 0; dbl <= 1; dbl++) {
			const struct gfmt *g = dbl ? &GD : &GS;
			uint64_t a = any_value(g, s), b = rnd(s) % 4 ? any_value(g, s) : a;
			uint32_t x, y, gf, wf;

			if (rnd(s) % 4 == 0)
				b = a ^ (1ull << (g->width - 1));
			x = (uint32_t)a;
			y = (uint32_t)b;
#define CHECK(name, got_expr, want_expr) do { \
	gf = 0; wf = 0; \
	uint64_t got_ = (uint64_t)(got_expr), want_ = (want_expr); \
	check(name, 0, a, b, 0, got_, gf, want_, wf); \
} while (0)
			CHECK("feq", dbl ? fpu_eq_d(a, b, &gf) : fpu_eq_s(x, y, &gf), ref_cmp(dbl, 0, a, b, &wf));
			CHECK("flt", dbl ? fpu_lt_d(a, b, &gf) : fpu_lt_s(x, y, &gf), ref_cmp(dbl, 1, a, b, &wf));
			CHECK("fle", dbl ? fpu_le_d(a, b, &gf) : fpu_le_s(x, y, &gf), ref_cmp(dbl, 2, a, b, &wf));
			CHECK("fmin", dbl ? fpu_min_d(a, b, &gf) : fpu_min_s(x, y, &gf),
			      ref_minmax(dbl, false, a, b, &wf));
			CHECK("fmax", dbl ? fpu_max_d(a, b, &gf) : fpu_max_s(x, y, &gf),
			      ref_minmax(dbl, true, a, b, &wf));
			CHECK("fclass", dbl ? fpu_class_d(a) : fpu_class_s(x), ref_class(dbl, a));
#undef CHECK
		}
	}
}

/* Every conversion around the values where its answer changes: integer
 * range limits, half-way points, the single-precision overflow and
 * underflow thresholds; a few ulps either side at several bit positions. */
static void boundary_sweep(void)
{
	static const uint64_t dbase[] = {
		0x41e0000000000000ull, 0x41dfffffffe00000ull, 0x41f0000000000000ull, /* 2^31, 2^31-1, 2^32 */
		0x41effffffff00000ull, 0x43e0000000000000ull, 0x43f0000000000000ull, /* 2^32-.5, 2^63, 2^64 */
		0x3fe0000000000000ull, 0x3ff0000000000000ull, 0x3ff8000000000000ull, /* 0.5, 1, 1.5 */
		0x4004000000000000ull, 0x47efffffe0000000ull, 0x47effffff0000000ull, /* 2.5, FLT_MAX, +half */
		0x3810000000000000ull, 0x36a0000000000000ull, 0x3690000000000000ull, /* 2^-126, -149, -150 */
		0x0010000000000000ull, 0x0000000000000001ull, 0x0000000000000000ull,
	};
	static const uint32_t sbase[] = {
		0x4f000000, 0x4f800000, 0x5f000000, 0x5f800000, 0x3f000000, 0x3f800000,
		0x3fc00000, 0x40200000, 0x00800000, 0x00000001, 0x00000000, 0x4b000000,
	};
	static const int dshift[] = { 0, 1, 10, 20, 27, 28, 29, 30 };

	/* (offsets below zero wrap into NaN patterns: harmless extra inputs) */
	for (size_t i = 0; i < sizeof(dbase) / sizeof(dbase[0]); i++)
		for (size_t j = 0; j < sizeof(dshift) / sizeof(dshift[0]); j++)
			for (int k = -3; k <= 3; k++)
				for (int neg = 0; neg <= 1; neg++) {
					uint64_t d = (dbase[i] + (uint64_t)(int64_t)k * (1ull << dshift[j])) |
						     (neg ? 1ull << 63 : 0);

					convert_one(d, (uint32_t)(d >> 32), 0, 0);
				}
	for (size_t i = 0; i < sizeof(sbase) / sizeof(sbase[0]); i++)
		for (int k = -4; k <= 4; k++)
			for (int neg = 0; neg <= 1; neg++) {
				uint32_t f = (sbase[i] + (uint32_t)k) | (neg ? 0x80000000u : 0);

				convert_one(0, f, 0, 0);
			}
	for (int shift = 0; shift < 64; shift++)
		for (int k = -3; k <= 3; k++) {
			uint64_t x = (1ull << shift) + (uint64_t)(int64_t)k;

			convert_one(0, 0, (int64_t)x, x);
			convert_one(0, 0, (int64_t)(0 - x), ~x);
		}
}

static void random_all(long n, uint64_t seed)
{
	uint64_t s = seed | 1;

	for (int dbl = 0; dbl <= 1; dbl++)
		for (int op = 0; op < OP_ARITH_COUNT; op++)
			random_arith(dbl, op, n, &s);
	random_convert(n, &s);
	random_compare(n, &s);
}

/* ---- host environment ---------------------------------------------------- */

/* FTZ, DAZ, round up, precision flag already set: everything a host
 * thread might have that must neither leak into results nor be lost. */
#define HOSTILE_MXCSR (0x8000u | 0x0040u | 0x4000u | 0x1f80u | 0x20u)

struct thread_arg {
	uint64_t seed;
	uint32_t mxcsr;
	long n;
	bool corner_failed;
	bool env_changed;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;

	fpu_mxcsr_write(t->mxcsr);
	t->corner_failed = run_corner_cases();
	boundary_sweep();
	random_all(t->n, t->seed);
	t->env_changed = fpu_mxcsr_read() != t->mxcsr;
	fpu_mxcsr_write(FPU_MXCSR_DEFAULT);
	return NULL;
}

static int check_host_environment(long n)
{
	struct thread_arg args[] = {
		{ .seed = 11, .mxcsr = HOSTILE_MXCSR, .n = n },
		{ .seed = 22, .mxcsr = FPU_MXCSR_DEFAULT, .n = n },
		{ .seed = 33, .mxcsr = FPU_MXCSR_DEFAULT | 0x2000u | 0x3fu, .n = n },  /* RDN, all flags */
		{ .seed = 44, .mxcsr = 0x6000u, .n = n },  /* RTZ, every exception unmasked: traps */
	};
	enum { NT = sizeof(args) / sizeof(args[0]) };
	pthread_t tid[NT];
	int bad = 0;

	for (int i = 0; i < NT; i++)
		if (pthread_create(&tid[i], NULL, thread_main, &args[i]))
			return 1;
	for (int i = 0; i < NT; i++) {
		pthread_join(tid[i], NULL);
		if (args[i].env_changed) {
			fprintf(stderr, "thread %d: host MXCSR changed by fpu calls\n", i);
			bad = 1;
		}
		if (args[i].corner_failed) {
			fprintf(stderr, "thread %d: corner cases fail under host MXCSR %#x\n",
				i, args[i].mxcsr);
			bad = 1;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 3000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ull;
	int bad = 0;

	if (argc > 1 && !strcmp(argv[1], "--dump-corners")) {
		dump_corner_cases();
		return 0;
	}
	bad |= run_corner_cases();
	boundary_sweep();
	random_all(n, seed);
	bad |= check_host_environment(n / 10 + 1);
	mismatches += atomic_load(&mismatch_count);
	if (mismatches || bad) {
		fprintf(stderr, "test_fpu: FAILED (%ld mismatches)\n", mismatches);
		return 1;
	}
	printf("test_fpu: all checks passed (%ld random cases per operation)\n", n);
	return 0;
}

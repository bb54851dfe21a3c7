/*
 * Differential test of the binary translator against the interpreter.
 *
 * A seeded generator writes random but valid RV64 programs: integer, M,
 * Zba/Zbb/Zbs, loads and stores into a scratch buffer, forward branches,
 * jal/jalr, a few F/D, A and Zicsr instructions (which the translator
 * hands to helpers), fence.i, and accesses that fault (a PROT_NONE page:
 * host SIGSEGV; the end of the guest window: limit check).  The body runs
 * three times in a loop so that later passes go through chained blocks.
 *
 * Each program runs twice:
 *   lockstep: the translator runs one block at a time (single-block mode);
 *     the interpreter steps the same number of instructions on its own copy
 *     of the state; registers, pc, fflags, exit code and the scratch
 *     memory must agree after every block;
 *   chained: both engines run freely (the translator with chaining and the
 *     indirect-jump table) and must agree at every exit.
 * A fault is "handled" by skipping the instruction in both copies.
 *
 * Any divergence prints the seed, the block's instructions and both
 * states, and the program exits 1.
 *
 * Usage: lockstep [SEED [PROGRAMS [LENGTH]]]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "rv64/code_cache.h"
#include "rv64/cpu.h"
#include "rv64/dbt/dbt.h"
#include "rv64/decode.h"
#include "rv64/fpu_fast.h"

#define WINDOW (64ull << 20)
#define CODE 0x10000ull
#define SCRATCH 0x100000ull
#define SCRATCH_LEN 0x2000ull
#define BASE (SCRATCH + 0x800)       /* x5: loads/stores reach +-2 KiB */
#define HOLE 0x200000ull             /* x6: a PROT_NONE page */
#define LIMIT_NEAR (WINDOW - 16)     /* x7: accesses at the window's end */
#define MAX_INSNS 4096
#define LOOPS 3

enum { R_BASE = 5, R_HOLE = 6, R_LIMIT = 7, R_JUMP = 28, R_LOOP = 31 };

static uint64_t rng_state;
static uint32_t code[MAX_INSNS];
static unsigned ncode;

/* Forward jumps, fixed up after generation so that none lands inside an
 * auipc/addi/jalr group (where x28 would not hold the group's address). */
struct jump {
	unsigned at, target;         /* instruction indices; at = the auipc for groups */
	int kind;                    /* 0 branch, 1 jal, 2 jalr group */
	unsigned f3, a, b;           /* branch: f3 rs1 rs2; jal/jalr: a = rd */
};
static struct jump jumps[MAX_INSNS];
static unsigned njumps;
static unsigned group_start[MAX_INSNS];   /* 0, or index + 1 of the group's auipc */
static unsigned long blocks_checked, insns_checked, faults_checked;

static uint64_t rnd(void)
{
	/* xorshift64*: small, seedable, good enough to pick instructions */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

/* ------------------------------------------------------------- encoders */

static uint32_t enc_r(uint32_t opc, uint32_t f3, uint32_t f7, unsigned rd, unsigned rs1, unsigned rs2)
{
	return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(uint32_t opc, uint32_t f3, unsigned rd, unsigned rs1, int32_t imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(uint32_t opc, uint32_t f3, unsigned rs1, unsigned rs2, int32_t imm)
{
	uint32_t u = (uint32_t)imm;

	return (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | opc;
}

static uint32_t enc_b(uint32_t f3, unsigned rs1, unsigned rs2, int32_t off)
{
	uint32_t u = (uint32_t)off;

	return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}

static uint32_t enc_j(unsigned rd, int32_t off)
{
	uint32_t u = (uint32_t)off;

	return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 |
	       (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

/* ------------------------------------------------------------ generator */

/* A destination the program may clobber (x0 included: writes vanish). */
static unsigned any_rd(void)
{
	for (;;) {
		unsigned r = pick(32);

		if (r != R_BASE && r != R_HOLE && r != R_LIMIT && r != R_LOOP)
			return r;
	}
}

static unsigned any_rs(void) { return pick(32); }

static void put(uint32_t insn)
{
	if (ncode < MAX_INSNS)
		code[ncode++] = insn;
}

struct rop { uint32_t opc, f3, f7; };

static const struct rop rops[] = {
	{ 0x33, 0, 0 }, { 0x33, 0, 0x20 }, { 0x33, 1, 0 }, { 0x33, 2, 0 }, { 0x33, 3, 0 },
	{ 0x33, 4, 0 }, { 0x33, 5, 0 }, { 0x33, 5, 0x20 }, { 0x33, 6, 0 }, { 0x33, 7, 0 },
	{ 0x33, 0, 1 }, { 0x33, 1, 1 }, { 0x33, 2, 1 }, { 0x33, 3, 1 }, { 0x33, 4, 1 },
	{ 0x33, 5, 1 }, { 0x33, 6, 1 }, { 0x33, 7, 1 },
	{ 0x33, 2, 0x10 }, { 0x33, 4, 0x10 }, { 0x33, 6, 0x10 },             /* shNadd */
	{ 0x33, 7, 0x20 }, { 0x33, 6, 0x20 }, { 0x33, 4, 0x20 },             /* andn orn xnor */
	{ 0x33, 6, 0x05 }, { 0x33, 7, 0x05 }, { 0x33, 4, 0x05 }, { 0x33, 5, 0x05 }, /* max.. */
	{ 0x33, 1, 0x30 }, { 0x33, 5, 0x30 },                                /* rol ror */
	{ 0x33, 1, 0x24 }, { 0x33, 5, 0x24 }, { 0x33, 1, 0x34 }, { 0x33, 1, 0x14 }, /* Zbs */
	{ 0x3b, 0, 0 }, { 0x3b, 0, 0x20 }, { 0x3b, 1, 0 }, { 0x3b, 5, 0 }, { 0x3b, 5, 0x20 },
	{ 0x3b, 0, 1 }, { 0x3b, 4, 1 }, { 0x3b, 5, 1 }, { 0x3b, 6, 1 }, { 0x3b, 7, 1 },
	{ 0x3b, 0, 0x04 }, { 0x3b, 2, 0x10 }, { 0x3b, 4, 0x10 }, { 0x3b, 6, 0x10 }, /* .uw */
	{ 0x3b, 1, 0x30 }, { 0x3b, 5, 0x30 },                                /* rolw rorw */
};

static void gen_rtype(void)
{
	const struct rop *o = &rops[pick(sizeof(rops) / sizeof(rops[0]))];

	put(enc_r(o->opc, o->f3, o->f7, any_rd(), any_rs(), any_rs()));
}

static int32_t rnd_imm12(void)
{
	static const int32_t special[] = { 0, 1, -1, 2047, -2048, 31, 32, 63 };

	return pick(4) ? (int32_t)(pick(4096)) - 2048 : special[pick(8)];
}

static void gen_itype(void)
{
	unsigned rd = any_rd(), rs = any_rs();
	unsigned sh6 = pick(64), sh5 = pick(32);

	switch (pick(26)) {
	case 0: put(enc_i(0x13, 0, rd, rs, rnd_imm12())); break;       /* addi */
	case 1: put(enc_i(0x13, 2, rd, rs, rnd_imm12())); break;       /* slti */
	case 2: put(enc_i(0x13, 3, rd, rs, rnd_imm12())); break;       /* sltiu */
	case 3: put(enc_i(0x13, 4, rd, rs, rnd_imm12())); break;       /* xori */
	case 4: put(enc_i(0x13, 6, rd, rs, rnd_imm12())); break;       /* ori */
	case 5: put(enc_i(0x13, 7, rd, rs, rnd_imm12())); break;       /* andi */
	case 6: put(enc_i(0x13, 1, rd, rs, (int32_t)sh6)); break;      /* slli */
	case 7: put(enc_i(0x13, 5, rd, rs, (int32_t)sh6)); break;      /* srli */
	case 8: put(enc_i(0x13, 5, rd, rs, (int32_t)(0x400 | sh6))); break; /* srai */
	case 9: put(enc_i(0x1b, 0, rd, rs, rnd_imm12())); break;       /* addiw */
	case 10: put(enc_i(0x1b, 1, rd, rs, (int32_t)sh5)); break;     /* slliw */
	case 11: put(enc_i(0x1b, 5, rd, rs, (int32_t)sh5)); break;     /* srliw */
	case 12: put(enc_i(0x1b, 5, rd, rs, (int32_t)(0x400 | sh5))); break; /* sraiw */
	case 13: put(enc_i(0x13, 1, rd, rs, 0x600 + (int32_t)pick(3))); break; /* clz ctz cpop */
	case 14: put(enc_i(0x1b, 1, rd, rs, 0x600 + (int32_t)pick(3))); break; /* ..w */
	case 15: put(enc_i(0x13, 1, rd, rs, 0x604 + (int32_t)pick(2))); break; /* sext.b/h */
	case 16: put(enc_i(0x13, 5, rd, rs, 0x287)); break;            /* orc.b */
	case 17: put(enc_i(0x13, 5, rd, rs, 0x6b8)); break;            /* rev8 */
	case 18: put(enc_i(0x13, 5, rd, rs, (int32_t)(0x600 | sh6))); break; /* rori */
	case 19: put(enc_r(0x1b, 5, 0x30, rd, rs, sh5)); break;        /* roriw */
	case 20: put(enc_i(0x13, 1, rd, rs, (int32_t)(0x480 | sh6))); break; /* bclri */
	case 21: put(enc_i(0x13, 5, rd, rs, (int32_t)(0x480 | sh6))); break; /* bexti */
	case 22: put(enc_i(0x13, 1, rd, rs, (int32_t)(0x680 | sh6))); break; /* binvi */
	case 23: put(enc_i(0x13, 1, rd, rs, (int32_t)(0x280 | sh6))); break; /* bseti */
	case 24: put(enc_i(0x1b, 1, rd, rs, (int32_t)(0x080 | sh6))); break; /* slli.uw */
	default: put(enc_r(0x3b, 4, 0x04, rd, rs, 0)); break;          /* zext.h */
	}
}

static void gen_upper(void)
{
	uint32_t imm = (uint32_t)rnd() & 0xfffff000u;

	put((pick(2) ? 0x37u : 0x17u) | imm | any_rd() << 7);    /* lui / auipc */
}

static void gen_mem(void)
{
	int32_t off = rnd_imm12();
	unsigned kind = pick(11);

	if (kind < 7)
		put(enc_i(0x03, kind, any_rd(), R_BASE, off));
	else
		put(enc_s(0x23, kind - 7, R_BASE, any_rs(), off));
}

/* Accesses that fault: the hole page, or straddling the window's end. */
static void gen_fault(void)
{
	unsigned kind = pick(4);

	if (pick(2))
		put(kind < 2 ? enc_i(0x03, 3, any_rd(), R_HOLE, (int32_t)pick(64))
			     : enc_s(0x23, 2, R_HOLE, any_rs(), (int32_t)pick(64)));
	else  /* x7 = limit - 16: sizes 1..8 at offsets 8..15 fault or not */
		put(kind < 2 ? enc_i(0x03, pick(7), any_rd(), R_LIMIT, 8 + (int32_t)pick(8))
			     : enc_s(0x23, pick(4), R_LIMIT, any_rs(), 8 + (int32_t)pick(8)));
}

static void gen_helper_ops(void)
{
	unsigned rd = any_rd(), fd = pick(32), fa = pick(32), fb = pick(32);

	switch (pick(13)) {
	case 9: put(enc_r(0x53, pick(2) ? 7 : pick(5), 0x05, fd, fa, fb)); break; /* fsub.d */
	case 10: put(enc_r(0x53, pick(2) ? 7 : pick(5), 0x0d, fd, fa, fb)); break; /* fdiv.d */
	case 11: put(enc_r(0x53, pick(2) ? 7 : 0, 0x09, fd, fa, fa)); break; /* fmul.d rs1=rs2 */
	case 12:   /* csrrwi rd, frm, m: mostly RNE, sometimes others or reserved */
		put(enc_i(0x73, 5, rd, pick(4) ? 0 : pick(8), 0x002));
		break;
	case 0: put(enc_r(0x53, 0, 0x79, fd, any_rs(), 0)); break;      /* fmv.d.x */
	case 1: put(enc_r(0x53, 7, 0x01, fd, fa, fb)); break;           /* fadd.d */
	case 2: put(enc_r(0x53, 7, 0x09, fd, fa, fb)); break;           /* fmul.d */
	case 3: put(enc_r(0x53, 1, 0x61, rd, fa, 2)); break;            /* fcvt.l.d rtz */
	case 4: put(enc_r(0x53, 0, 0x71, rd, fa, 0)); break;            /* fmv.x.d */
	case 5: put(enc_i(0x73, 2, rd, 0, 0x001)); break;               /* csrr fflags */
	case 6: put(enc_r(0x2f, 3, (uint32_t)(pick(2) ? 0x00 : 0x04) << 2, rd, R_BASE, any_rs())); break; /* amoadd/xor.d */
	case 7: put(enc_r(0x2f, 2, 0x10 << 2, rd, R_BASE, any_rs())); break; /* amomin.w */
	default:
		if (pick(2))
			put(enc_i(0x07, 3, fd, R_BASE, (int32_t)pick(64) * 8 - 256)); /* fld */
		else
			put(enc_s(0x27, 3, R_BASE, fa, (int32_t)pick(64) * 8 - 256)); /* fsd */
		break;
	}
}

/* Forward control flow; targets stay inside the body [0, end]. */
static void gen_jump(unsigned end)
{
	unsigned here = ncode, room = end > here ? end - here : 0;
	unsigned k = room > 1 ? 1 + pick(room < 12 ? room : 12) : 1;
	static const uint32_t bf3[] = { 0, 1, 4, 5, 6, 7 };

	struct jump *j = &jumps[njumps];

	if (njumps >= MAX_INSNS || here + 3 >= MAX_INSNS)
		return;
	*j = (struct jump){ .at = here, .target = here + k, .kind = 0, .f3 = bf3[pick(6)],
			    .a = any_rs(), .b = any_rs() };
	switch (pick(8)) {
	case 0:
		j->kind = 1;
		j->a = any_rd();
		put(0);
		break;
	case 1:
		if (room <= 4)
			return;
		/* auipc x28, 0; addi x28, x28, 4k; jalr rd, 0(x28) */
		j->kind = 2;
		j->a = any_rd();
		j->target = here + 3 + pick(room - 3 < 10 ? room - 3 : 10);
		group_start[here + 1] = group_start[here + 2] = here + 1;
		put(0x17 | R_JUMP << 7);
		put(0);
		put(enc_i(0x67, 0, j->a, R_JUMP, 0));
		break;
	default:
		put(0);
		break;
	}
	njumps++;
}

static void fix_jumps(void)
{
	for (unsigned n = 0; n < njumps; n++) {
		struct jump *j = &jumps[n];
		int32_t off;

		if (group_start[j->target])
			j->target = group_start[j->target] - 1;
		off = (int32_t)(4 * (j->target - j->at));
		if (j->kind == 0)
			code[j->at] = enc_b(j->f3, j->a, j->b, off);
		else if (j->kind == 1)
			code[j->at] = enc_j(j->a, off);
		else
			code[j->at + 1] = enc_i(0x13, 0, R_JUMP, R_JUMP, off);
	}
}

/* Body of length ~len, then the loop back and ecall. */
static void gen_program(unsigned len)
{
	ncode = 0;
	njumps = 0;
	memset(group_start, 0, sizeof(group_start));
	put(enc_i(0x13, 0, R_LOOP, 0, LOOPS));      /* li x31, LOOPS */
	while (ncode < len) {
		unsigned w = pick(100);

		if (w < 30) gen_rtype();
		else if (w < 55) gen_itype();
		else if (w < 60) gen_upper();
		else if (w < 78) gen_mem();
		else if (w < 80) gen_fault();
		else if (w < 86) gen_helper_ops();
		else if (w < 87) put(pick(2) ? 0x0000100f : 0x0ff0000f);   /* fence.i, fence */
		else gen_jump(len);
	}
	/* jumps may land exactly at len: the loop tail starts there */
	fix_jumps();
	put(enc_i(0x13, 0, R_LOOP, R_LOOP, -1));
	put(enc_b(1, R_LOOP, 0, -(int32_t)(4 * (ncode - 1))));     /* bnez x31, body */
	put(enc_i(0x13, 0, 17, 0, 93));             /* li a7, 93 */
	put(0x00000073);                            /* ecall */
}

/* ----------------------------------------------------------- two guests */

struct guest {
	uint8_t *win;
	struct rv_cpu cpu;
};

static struct guest gi, gd;    /* interpreter, translator */

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;
	struct rv_cpu *cpu = rv_current_cpu;
	uint8_t *addr = si->si_addr;

	if (rv_in_guest && cpu && addr >= cpu->guest_base && addr < cpu->guest_base + WINDOW) {
		/* flags accrued in MXCSR by the FPU fast path (fpu_fast.h) */
		if (uc->uc_mcontext.fpregs)
			cpu->fflags |= fpu_flags_from_mxcsr(uc->uc_mcontext.fpregs->mxcsr);
		rv_cpu_host_fault(cpu, (uint64_t)(addr - cpu->guest_base),
				  (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0);
	}
	signal(sig, SIG_DFL);
}

static int guest_init(struct guest *g)
{
	g->win = mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		      -1, 0);
	if (g->win == MAP_FAILED || rv_cpu_init(&g->cpu))
		return -1;
	mprotect(g->win + HOLE, 4096, PROT_NONE);
	g->cpu.guest_base = g->win;
	g->cpu.guest_limit = WINDOW;
	return 0;
}

static void guest_load(struct guest *g, uint64_t seed)
{
	static const uint64_t special[] = { 0, 1, ~0ull, 1ull << 63, 0xffffffff80000000ull,
					    0x7fffffff, 0x80000000, 63, 0xffffffff };
	uint64_t s = seed;

	memset(g->win + SCRATCH, 0, SCRATCH_LEN);
	memcpy(g->win + CODE, code, ncode * 4);
	rv_code_flush(&g->cpu, 0, UINT64_MAX);
	memset(g->cpu.x, 0, sizeof(g->cpu.x));
	for (int r = 1; r < 32; r++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		g->cpu.x[r] = (s >> 60) < 6 ? special[(s >> 40) % 9] : s ^ (s >> 29);
		g->cpu.f[r] = s * 0x9e3779b97f4a7c15ull;
	}
	for (unsigned k = 0; k < SCRATCH_LEN; k += 8) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		memcpy(g->win + SCRATCH + k, &s, 8);
	}
	g->cpu.x[R_BASE] = BASE;
	g->cpu.x[R_HOLE] = HOLE;
	g->cpu.x[R_LIMIT] = LIMIT_NEAR;
	g->cpu.pc = CODE;
	g->cpu.fflags = 0;
	g->cpu.frm = 0;
	g->cpu.res_valid = false;
	g->cpu.exit_request = 0;
}

/* --------------------------------------------------------------- checks */

static void dump_block(uint64_t pc)
{
	printf("  code from %#llx:\n", (unsigned long long)pc);
	for (unsigned n = 0; n < 24 && pc >= CODE && pc < CODE + ncode * 4; n++, pc += 4) {
		struct rv_insn d;
		uint32_t bits = code[(pc - CODE) / 4];

		rv_decode(bits, pc, &d);
		printf("    %#llx: %08x %-10s rd=%u rs1=%u rs2=%u imm=%d\n", (unsigned long long)pc,
		       bits, rv_op_name((enum rv_op)d.op), d.rd, d.rs1, d.rs2, d.imm);
		if (rv_op_ends_block((enum rv_op)d.op))
			break;
	}
}

static int compare(const char *phase, uint64_t seed, unsigned prog, uint64_t block_pc,
		   enum rv_exit ei, enum rv_exit ed)
{
	const struct rv_cpu *a = &gi.cpu, *b = &gd.cpu;
	int bad = 0;

	bad |= ei != ed;
	bad |= a->pc != b->pc || a->fflags != b->fflags || a->frm != b->frm;
	bad |= memcmp(a->x, b->x, sizeof(a->x)) != 0 || memcmp(a->f, b->f, sizeof(a->f)) != 0;
	if (ei == ed && ei >= RV_EXIT_ILLEGAL && ei <= RV_EXIT_MISALIGNED)
		bad |= a->tval != b->tval;
	bad |= memcmp(gi.win + SCRATCH, gd.win + SCRATCH, SCRATCH_LEN) != 0;
	if (!bad)
		return 0;
	printf("DIVERGENCE (%s) seed=%llu program=%u block at %#llx\n", phase,
	       (unsigned long long)seed, prog, (unsigned long long)block_pc);
	printf("  exit: interp %d dbt %d; pc: interp %#llx dbt %#llx; tval %#llx / %#llx; "
	       "fflags %u / %u\n", ei, ed, (unsigned long long)a->pc, (unsigned long long)b->pc,
	       (unsigned long long)a->tval, (unsigned long long)b->tval, a->fflags, b->fflags);
	for (int r = 0; r < 32; r++)
		if (a->x[r] != b->x[r])
			printf("  x%d: interp %#llx dbt %#llx\n", r, (unsigned long long)a->x[r],
			       (unsigned long long)b->x[r]);
	for (int r = 0; r < 32; r++)
		if (a->f[r] != b->f[r])
			printf("  f%d: interp %#llx dbt %#llx\n", r, (unsigned long long)a->f[r],
			       (unsigned long long)b->f[r]);
	for (uint64_t k = 0; k < SCRATCH_LEN; k++)
		if (gi.win[SCRATCH + k] != gd.win[SCRATCH + k]) {
			printf("  memory differs first at %#llx\n", (unsigned long long)(SCRATCH + k));
			break;
		}
	dump_block(block_pc);
	return 1;
}

/* Exits the harness "handles" by skipping the instruction (an FP
 * operation with a reserved frm is illegal). */
static bool is_fault(enum rv_exit e)
{
	return e == RV_EXIT_LOAD_FAULT || e == RV_EXIT_STORE_FAULT || e == RV_EXIT_MISALIGNED ||
	       e == RV_EXIT_ILLEGAL;
}

/* One block on the translator, the same instructions on the interpreter. */
static int run_lockstep(uint64_t seed, unsigned prog)
{
	for (unsigned guard = 0; guard < 100000; guard++) {
		uint64_t pc = gd.cpu.pc, before = gd.cpu.instret;
		enum rv_exit ed = rv_run_user_dbt(&gd.cpu), ei = RV_EXIT_NONE;
		uint64_t n = gd.cpu.instret - before;

		for (uint64_t k = 0; k < n && ei == RV_EXIT_NONE; k++)
			ei = rv_step_user(&gi.cpu);
		blocks_checked++;
		insns_checked += n;
		if (compare("lockstep", seed, prog, pc, ei, ed))
			return 1;
		if (ed == RV_EXIT_ECALL)
			return 0;
		if (is_fault(ed)) {
			faults_checked++;
			gi.cpu.pc += 4;
			gd.cpu.pc += 4;
		} else if (ed != RV_EXIT_NONE) {
			printf("unexpected exit %d at %#llx (seed %llu)\n", ed,
			       (unsigned long long)pc, (unsigned long long)seed);
			return 1;
		}
	}
	printf("program %u (seed %llu) did not finish\n", prog, (unsigned long long)seed);
	return 1;
}

/* Both engines run freely; they must agree at every exit. */
static int run_chained(uint64_t seed, unsigned prog)
{
	for (unsigned guard = 0; guard < 10000; guard++) {
		uint64_t pc = gd.cpu.pc;
		enum rv_exit ed = rv_run_user_dbt(&gd.cpu), ei = rv_run_user(&gi.cpu);

		if (compare("chained", seed, prog, pc, ei, ed))
			return 1;
		if (ed == RV_EXIT_ECALL)
			return 0;
		if (!is_fault(ed)) {
			printf("unexpected exit %d (seed %llu)\n", ed, (unsigned long long)seed);
			return 1;
		}
		gi.cpu.pc += 4;
		gd.cpu.pc += 4;
	}
	printf("program %u (seed %llu) did not finish\n", prog, (unsigned long long)seed);
	return 1;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned programs = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 200;
	unsigned len = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 300;
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };

	if (len > 900)    /* the loop's bnez reaches 4 KiB back */
		len = 900;
	sigaction(SIGSEGV, &sa, NULL);
	if (guest_init(&gi) || guest_init(&gd)) {
		printf("cannot set up the guests\n");
		return 2;
	}
	for (unsigned p = 0; p < programs; p++) {
		uint64_t s = seed * 1000003u + p;

		rng_state = s * 0x9e3779b97f4a7c15ull | 1;
		gen_program(len);
		guest_load(&gi, s);
		guest_load(&gd, s);
		if (rv_dbt_set_single_block(&gd.cpu, true) || run_lockstep(s, p))
			return 1;
		guest_load(&gi, s);
		guest_load(&gd, s);
		if (rv_dbt_set_single_block(&gd.cpu, false) || run_chained(s, p))
			return 1;
	}
	printf("lockstep: %u programs, %lu blocks, %lu instructions, %lu faults: engines agree\n",
	       programs, blocks_checked, insns_checked, faults_checked);
	rv_cpu_destroy(&gi.cpu);
	rv_cpu_destroy(&gd.cpu);
	return 0;
}

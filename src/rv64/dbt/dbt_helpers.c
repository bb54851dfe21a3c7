/*
 * C code that translated blocks call.
 *
 * dbt_helper_exec() runs one decoded instruction with the interpreter's
 * own handlers: it instantiates interp_body.h over a two-entry block (the
 * instruction, then an END), so F/D, A, Zicsr, fence.i and anything else
 * the translator does not open-code behave exactly as in the interpreter.
 * It returns RV_EXIT_NONE with cpu->pc at the next instruction, or the
 * exit the instruction caused (pc at the instruction).
 *
 * The pure helpers compute operations that take more than a few x86
 * instructions (division corner cases, bit counts, rotates, single bits)
 * with the same alu.h functions the interpreter uses.
 */
#include <string.h>

#include "rv64/alu.h"
#include "rv64/csr_user.h"
#include "rv64/dbt/dbt_internal.h"
#include "rv64/fp_box.h"
#include "rv64/fpu.h"
#include "rv64/fpu_fast.h"

__thread uint64_t dbt_amo_pc = UINT64_MAX;

/* ------------------------------------------ memory layer for the template */

#define BARRIER() __asm__ volatile("" ::: "memory")

#define USER_CHECK(a, size, code) do {                                    \
	if (__builtin_expect((a) > mem_limit - (size), 0)) {              \
		cpu->tval = (a);                                          \
		EXIT_AT(code);                                            \
	}                                                                 \
	cpu->pc = ip->pc;                                                 \
	BARRIER();                                                        \
} while (0)

#define LOAD(type, addr, dst) do {                                        \
	uint64_t a_ = (addr);                                             \
	USER_CHECK(a_, sizeof(type), RV_EXIT_LOAD_FAULT);                 \
	memcpy(&(dst), mem_base + a_, sizeof(type));                      \
} while (0)

#define STORE(type, addr, val) do {                                       \
	uint64_t a_ = (addr);                                             \
	type sv_ = (val);                                                 \
	USER_CHECK(a_, sizeof(type), RV_EXIT_STORE_FAULT);                \
	memcpy(mem_base + a_, &sv_, sizeof(type));                        \
} while (0)

#define AMO_PTR(type, addr, ptr, is_lr) do {                              \
	uint64_t a_ = (addr);                                             \
	if (a_ & (sizeof(type) - 1)) {                                    \
		cpu->tval = a_;                                           \
		EXIT_AT(RV_EXIT_MISALIGNED);                              \
	}                                                                 \
	USER_CHECK(a_, sizeof(type), (is_lr) ? RV_EXIT_LOAD_FAULT : RV_EXIT_STORE_FAULT); \
	if (!(is_lr))                                                     \
		dbt_amo_pc = ip->pc;                                      \
	(ptr) = (type *)(void *)(mem_base + a_);                          \
} while (0)

/* fence.i drops the decoded blocks; the dispatcher sees the flush count
 * change and drops the translated ones too. */
#define FENCE_I_FLUSH() rv_cache_flush_all(cpu->cache)

#define RV_HANDLER_ADDR(name) [RV_OP_##name] = &&op_##name,

uint64_t dbt_helper_exec(struct rv_cpu *cpu, const struct rv_insn *insn)
{
	static const void *const handlers[RV_OP_COUNT] = { RV_OP_LIST(RV_HANDLER_ADDR) };
	_Alignas(16) unsigned char mem[sizeof(struct rv_block) + 2 * sizeof(struct rv_insn)];
	struct rv_block *blk = (struct rv_block *)(void *)mem;
	uint64_t *const X = cpu->x;
	uint8_t *const mem_base = cpu->guest_base;
	const uint64_t mem_limit = cpu->guest_limit;
	struct rv_block **link = NULL;
	const struct rv_insn *ip;
	enum rv_exit ret = RV_EXIT_NONE;
	uint64_t icount = 0;

	memset(blk, 0, sizeof(*blk));
	blk->pc = insn->pc;
	blk->ninsns = 1;
	blk->insns[0] = *insn;
	blk->insns[0].handler = handlers[insn->op < RV_OP_COUNT ? insn->op : RV_OP_ILLEGAL];
	blk->insns[1] = (struct rv_insn){ .pc = insn->pc + insn->len, .op = RV_OP_END,
					  .handler = handlers[RV_OP_END] };
	ip = blk->insns;
	goto *ip->handler;

#include "rv64/interp_body.h"

lookup:
	/* Every way out of the instruction that continues lands here with
	 * cpu->pc set: the translated code takes it from there. */
	(void)link;
	(void)icount;
	return RV_EXIT_NONE;
leave:
	return ret;
}

/* ------------------------------------------------------------ pure helpers */

#define PURE(name, expr) \
	static uint64_t pure_##name(uint64_t a, uint64_t b) { (void)b; return (expr); }

PURE(DIV, rv_div(a, b))
PURE(DIVU, rv_divu(a, b))
PURE(REM, rv_rem(a, b))
PURE(REMU, rv_remu(a, b))
PURE(DIVW, rv_divw(a, b))
PURE(DIVUW, rv_divuw(a, b))
PURE(REMW, rv_remw(a, b))
PURE(REMUW, rv_remuw(a, b))
PURE(MULHSU, rv_mulhsu(a, b))
PURE(CLZ, rv_clz(a))
PURE(CLZW, rv_clzw(a))
PURE(CTZ, rv_ctz(a))
PURE(CTZW, rv_ctzw(a))
PURE(CPOP, (uint64_t)__builtin_popcountll(a))
PURE(CPOPW, (uint64_t)__builtin_popcount((uint32_t)a))
PURE(ORC_B, rv_orc_b(a))
PURE(ROL, rv_rol(a, (unsigned)b))
PURE(ROLW, rv_rolw(a, (unsigned)b))
PURE(ROR, rv_ror(a, (unsigned)b))
PURE(RORW, rv_rorw(a, (unsigned)b))
PURE(BCLR, a & ~(1ull << (b & 63)))
PURE(BEXT, (a >> (b & 63)) & 1)
PURE(BINV, a ^ (1ull << (b & 63)))
PURE(BSET, a | (1ull << (b & 63)))
#undef PURE

dbt_pure_fn dbt_pure_helper(enum rv_op op)
{
	switch (op) {
#define P(name) case RV_OP_##name: return pure_##name;
	P(DIV) P(DIVU) P(REM) P(REMU) P(DIVW) P(DIVUW) P(REMW) P(REMUW) P(MULHSU)
	P(CLZ) P(CLZW) P(CTZ) P(CTZW) P(CPOP) P(CPOPW) P(ORC_B)
	P(ROL) P(ROLW) P(ROR) P(RORW) P(BCLR) P(BEXT) P(BINV) P(BSET)
#undef P
	case RV_OP_RORI: return pure_ROR;
	case RV_OP_RORIW: return pure_RORW;
	case RV_OP_BCLRI: return pure_BCLR;
	case RV_OP_BEXTI: return pure_BEXT;
	case RV_OP_BINVI: return pure_BINV;
	case RV_OP_BSETI: return pure_BSET;
	default: return NULL;
	}
}

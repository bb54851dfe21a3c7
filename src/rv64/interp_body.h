/*
 * The interpreter's instruction handlers: a template included by an engine
 * file (interp_user.c now, a system-mode engine later) inside the body of
 * its run function.  Threaded code: every decoded instruction carries the
 * address of its handler label and each handler jumps straight to the next
 * one (gcc labels-as-values), so there is no central switch.
 *
 * The including function provides, before #include:
 *   locals  cpu (struct rv_cpu *), X (uint64_t *, = cpu->x), blk (current
 *           struct rv_block *), ip (const struct rv_insn *), link
 *           (struct rv_block **), ret (enum rv_exit), icount (uint64_t,
 *           instructions retired but not yet added to cpu->instret);
 *   labels  lookup: (find/build the block at cpu->pc, link it through
 *           *link when link != NULL, start it) and leave: (return ret);
 *   macros  the memory layer: LOAD(type, addr, dst), STORE(type, addr, val)
 *           and AMO_PTR(type, addr, ptr, is_lr) which yields an aligned host
 *           pointer or leaves with a fault; FENCE_I_FLUSH() for fence.i.
 * and the handler table: RV_OP_LIST expanded to [RV_OP_x] = &&op_x.
 *
 * Invariants: X[0] is zero between instructions (the decoder turns pure
 * rd = x0 writes into NOP; other writers go through WRX); cpu->x is the
 * only register state, so a fault can unwind at any memory access.
 */

#define DISPATCH() goto *ip->handler
#define NEXT() do { ip++; DISPATCH(); } while (0)
/* Write rd for instructions the decoder does not drop when rd = x0. */
#define WRX(rd, v) do { X[rd] = (v); X[0] = 0; } while (0)
/* Leave at the current instruction, which does not retire; neither do the
 * rest of the block's, which icount had already counted. */
#define EXIT_AT(code) do {                                                   \
	cpu->pc = ip->pc;                                                    \
	icount -= blk->ninsns - (uint64_t)(ip - blk->insns);                 \
	ret = (code);                                                        \
	goto leave;                                                          \
} while (0)
/* Hooks a system-mode engine overrides (traps instead of exits, its own
 * CSR file, privileged instructions, page-local chaining). */
#ifndef ILLEGAL
#define ILLEGAL() do { cpu->tval = ip->raw; EXIT_AT(RV_EXIT_ILLEGAL); } while (0)
#endif
#ifndef ECALL_ACTION
#define ECALL_ACTION() EXIT_AT(RV_EXIT_ECALL)
#endif
#ifndef EBREAK_ACTION
#define EBREAK_ACTION() EXIT_AT(RV_EXIT_EBREAK)
#endif
#ifndef CSR_READ
#define CSR_READ(csr, pv) rv_csr_user_read(cpu, (csr), (pv))
#define CSR_WRITE(csr, v) rv_csr_user_write(cpu, (csr), (v))
#define CSR_WRITTEN(csr) do { } while (0)
#endif
#ifndef CHAIN_OK
#define CHAIN_OK(n_, t_) ((n_)->pc == (t_))
#endif
#ifndef SYS_MRET
#define SYS_MRET() ILLEGAL()
#define SYS_SRET() ILLEGAL()
#define SYS_WFI() ILLEGAL()
#define SYS_SFENCE_VMA() ILLEGAL()
#endif

/* Continue at guest pc target through successor cache slot: the hot path
 * of every taken branch and jump.  Checks exit_request so a hot loop made
 * of chained blocks still notices it.  Retired instructions are counted in
 * the local icount and folded into cpu->instret on the slow paths. */
#define ENTER_BLOCK(n_) do {                                                 \
	blk = (n_);                                                          \
	icount += blk->ninsns;                                               \
	ip = blk->insns;                                                     \
	DISPATCH();                                                          \
} while (0)

#define GOTO_PC(slot, target) do {                                           \
	uint64_t t_ = (target);                                              \
	struct rv_block *n_ = blk->chain[slot];                              \
	if (__builtin_expect(n_ != NULL && CHAIN_OK(n_, t_) && !cpu->exit_request, 1)) \
		ENTER_BLOCK(n_);                                             \
	cpu->pc = t_;                                                        \
	link = &blk->chain[slot];                                            \
	goto lookup;                                                         \
} while (0)

/* Indirect jumps (returns, switch tables, calls through pointers) remember
 * two targets: a return shared by two call sites then still chains.  A
 * miss moves the newer target to slot 1 and relinks slot 0. */
#define GOTO_INDIRECT(target) do {                                           \
	uint64_t t_ = (target);                                              \
	struct rv_block *n_ = blk->chain[0];                                 \
	if (__builtin_expect(cpu->exit_request == 0, 1)) {                   \
		if (n_ != NULL && CHAIN_OK(n_, t_))                              \
			ENTER_BLOCK(n_);                                     \
		n_ = blk->chain[1];                                          \
		if (n_ != NULL && CHAIN_OK(n_, t_))                              \
			ENTER_BLOCK(n_);                                     \
	}                                                                    \
	blk->chain[1] = blk->chain[0];                                       \
	cpu->pc = t_;                                                        \
	link = &blk->chain[0];                                               \
	goto lookup;                                                         \
} while (0)

#define NEXT_PC() (ip->pc + ip->len)

#define BRANCH(cond) do {                          \
	if (cond)                                  \
		GOTO_PC(0, ip->pc + (int64_t)ip->imm); \
	GOTO_PC(1, NEXT_PC());                     \
} while (0)

#define RR(name, expr) op_##name: { \
	uint64_t a = X[ip->rs1], b = X[ip->rs2]; X[ip->rd] = (expr); NEXT(); }
#define RI(name, expr) op_##name: { \
	uint64_t a = X[ip->rs1]; uint64_t imm = (uint64_t)(int64_t)ip->imm; \
	(void)imm; X[ip->rd] = (expr); NEXT(); }

/* Dynamic rounding mode resolution: rm = 7 takes frm, which may hold a
 * reserved value (5..7) that makes the instruction illegal. */
#define FP_RM(var) unsigned var = ip->rm; do {                  \
	if (var == RV_RM_DYN) {                                 \
		var = cpu->frm;                                 \
		if (var > RV_RM_RMM)                            \
			ILLEGAL();                              \
	}                                                       \
} while (0)

/* NaN-boxing: a single read from a register not holding a boxed value is
 * the canonical NaN; single results are boxed with all-ones. */
#define FS(r) rv_unbox_s(cpu->f[r])
#define FD(r) (cpu->f[r])
#define SET_FS(r, v) (cpu->f[r] = rv_box_s(v))
#define FF (&cpu->fflags)

/* ---------------------------------------------------------------- misc */
op_ILLEGAL:
	ILLEGAL();
op_NOP:
	NEXT();
op_END:
	GOTO_PC(1, ip->pc);
op_FENCE:
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	NEXT();
op_FENCE_I:
	/* Everything decoded may be stale: drop it and continue afresh. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cpu->pc = NEXT_PC();
	FENCE_I_FLUSH();
	link = NULL;
	goto lookup;
op_ECALL:
	ECALL_ACTION();
op_EBREAK:
	EBREAK_ACTION();
op_MRET:
	SYS_MRET();
op_SRET:
	SYS_SRET();
op_WFI:
	SYS_WFI();
op_SFENCE_VMA:
	SYS_SFENCE_VMA();

/* --------------------------------------------------------- control flow */
op_LUI:
	X[ip->rd] = (uint64_t)(int64_t)ip->imm;
	NEXT();
op_AUIPC:
	X[ip->rd] = ip->pc + (uint64_t)(int64_t)ip->imm;
	NEXT();
op_LI:
	X[ip->rd] = (uint64_t)(int64_t)ip->imm;
	NEXT();
op_MV:
	X[ip->rd] = X[ip->rs1];
	NEXT();
op_JAL:
	X[ip->rd] = NEXT_PC();
	GOTO_PC(0, ip->pc + (int64_t)ip->imm);
op_J:
	GOTO_PC(0, ip->pc + (int64_t)ip->imm);
op_JALR: {
	/* target before the link write: rd may equal rs1 */
	uint64_t t = (X[ip->rs1] + (uint64_t)(int64_t)ip->imm) & ~1ull;
	X[ip->rd] = NEXT_PC();
	GOTO_INDIRECT(t);
}
op_JR:
	GOTO_INDIRECT((X[ip->rs1] + (uint64_t)(int64_t)ip->imm) & ~1ull);
op_BEQ:
	BRANCH(X[ip->rs1] == X[ip->rs2]);
op_BNE:
	BRANCH(X[ip->rs1] != X[ip->rs2]);
op_BLT:
	BRANCH((int64_t)X[ip->rs1] < (int64_t)X[ip->rs2]);
op_BGE:
	BRANCH((int64_t)X[ip->rs1] >= (int64_t)X[ip->rs2]);
op_BLTU:
	BRANCH(X[ip->rs1] < X[ip->rs2]);
op_BGEU:
	BRANCH(X[ip->rs1] >= X[ip->rs2]);

/* ------------------------------------------------------- loads, stores */
#define LD_OP(name, type) op_##name: { \
	type v_ = 0; LOAD(type, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, v_); \
	WRX(ip->rd, (uint64_t)v_); NEXT(); }
#define ST_OP(name, type) op_##name: { \
	STORE(type, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, (type)X[ip->rs2]); NEXT(); }

LD_OP(LB, int8_t)
LD_OP(LH, int16_t)
LD_OP(LW, int32_t)
LD_OP(LD, uint64_t)
LD_OP(LBU, uint8_t)
LD_OP(LHU, uint16_t)
LD_OP(LWU, uint32_t)
ST_OP(SB, uint8_t)
ST_OP(SH, uint16_t)
ST_OP(SW, uint32_t)
ST_OP(SD, uint64_t)

/* ---------------------------------------------------------- integer ALU */
RI(ADDI, a + imm)
RI(SLTI, (int64_t)a < (int64_t)imm)
RI(SLTIU, a < imm)
RI(XORI, a ^ imm)
RI(ORI, a | imm)
RI(ANDI, a & imm)
RI(SLLI, a << (imm & 63))
RI(SRLI, a >> (imm & 63))
RI(SRAI, (uint64_t)((int64_t)a >> (imm & 63)))
RR(ADD, a + b)
RR(SUB, a - b)
RR(SLL, a << (b & 63))
RR(SLT, (int64_t)a < (int64_t)b)
RR(SLTU, a < b)
RR(XOR, a ^ b)
RR(SRL, a >> (b & 63))
RR(SRA, (uint64_t)((int64_t)a >> (b & 63)))
RR(OR, a | b)
RR(AND, a & b)
RI(ADDIW, rv_sext32(a + imm))
RI(SLLIW, rv_sext32((uint32_t)a << (imm & 31)))
RI(SRLIW, rv_sext32((uint32_t)a >> (imm & 31)))
RI(SRAIW, rv_sext32((uint32_t)((int32_t)a >> (imm & 31))))
RR(ADDW, rv_sext32(a + b))
RR(SUBW, rv_sext32(a - b))
RR(SLLW, rv_sext32((uint32_t)a << (b & 31)))
RR(SRLW, rv_sext32((uint32_t)a >> (b & 31)))
RR(SRAW, rv_sext32((uint32_t)((int32_t)a >> (b & 31))))

RR(MUL, a * b)
RR(MULH, rv_mulh(a, b))
RR(MULHSU, rv_mulhsu(a, b))
RR(MULHU, rv_mulhu(a, b))
RR(DIV, rv_div(a, b))
RR(DIVU, rv_divu(a, b))
RR(REM, rv_rem(a, b))
RR(REMU, rv_remu(a, b))
RR(MULW, rv_sext32(a * b))
RR(DIVW, rv_divw(a, b))
RR(DIVUW, rv_divuw(a, b))
RR(REMW, rv_remw(a, b))
RR(REMUW, rv_remuw(a, b))

/* Zba */
RR(SH1ADD, (a << 1) + b)
RR(SH2ADD, (a << 2) + b)
RR(SH3ADD, (a << 3) + b)
RR(ADD_UW, (uint64_t)(uint32_t)a + b)
RR(SH1ADD_UW, ((uint64_t)(uint32_t)a << 1) + b)
RR(SH2ADD_UW, ((uint64_t)(uint32_t)a << 2) + b)
RR(SH3ADD_UW, ((uint64_t)(uint32_t)a << 3) + b)
RI(SLLI_UW, (uint64_t)(uint32_t)a << (imm & 63))
/* Zbb */
RR(ANDN, a & ~b)
RR(ORN, a | ~b)
RR(XNOR, ~(a ^ b))
RI(CLZ, rv_clz(a))
RI(CLZW, rv_clzw(a))
RI(CTZ, rv_ctz(a))
RI(CTZW, rv_ctzw(a))
RI(CPOP, (uint64_t)__builtin_popcountll(a))
RI(CPOPW, (uint64_t)__builtin_popcount((uint32_t)a))
RR(MAX, (int64_t)a > (int64_t)b ? a : b)
RR(MAXU, a > b ? a : b)
RR(MIN, (int64_t)a < (int64_t)b ? a : b)
RR(MINU, a < b ? a : b)
RI(SEXT_B, (uint64_t)(int64_t)(int8_t)a)
RI(SEXT_H, (uint64_t)(int64_t)(int16_t)a)
RI(ZEXT_H, (uint64_t)(uint16_t)a)
RR(ROL, rv_rol(a, (unsigned)b))
RR(ROLW, rv_rolw(a, (unsigned)b))
RR(ROR, rv_ror(a, (unsigned)b))
RI(RORI, rv_ror(a, (unsigned)imm))
RI(RORIW, rv_rorw(a, (unsigned)imm))
RR(RORW, rv_rorw(a, (unsigned)b))
RI(ORC_B, rv_orc_b(a))
RI(REV8, __builtin_bswap64(a))
/* Zbs */
RR(BCLR, a & ~(1ull << (b & 63)))
RI(BCLRI, a & ~(1ull << (imm & 63)))
RR(BEXT, (a >> (b & 63)) & 1)
RI(BEXTI, (a >> (imm & 63)) & 1)
RR(BINV, a ^ (1ull << (b & 63)))
RI(BINVI, a ^ (1ull << (imm & 63)))
RR(BSET, a | (1ull << (b & 63)))
RI(BSETI, a | (1ull << (imm & 63)))

/* ------------------------------------------------------------- Zicsr */
#define CSR_OP(name, src, writes, combine) op_##name: {                     \
	uint64_t old_, s_ = (src);                                           \
	unsigned csr_ = (unsigned)ip->imm;                                   \
	cpu->instret += icount;  /* counters must be current */              \
	icount = 0;                                                          \
	if (CSR_READ(csr_, &old_))                              \
		ILLEGAL();                                                   \
	if ((writes) && CSR_WRITE(csr_, (combine)))             \
		ILLEGAL();                                                   \
	WRX(ip->rd, old_);                                                   \
	if (writes)                                                          \
		CSR_WRITTEN(csr_);                                           \
	NEXT(); }
CSR_OP(CSRRW, X[ip->rs1], 1, s_)
CSR_OP(CSRRS, X[ip->rs1], ip->rs1 != 0, old_ | s_)
CSR_OP(CSRRC, X[ip->rs1], ip->rs1 != 0, old_ & ~s_)
CSR_OP(CSRRWI, ip->rs1, 1, s_)
CSR_OP(CSRRSI, ip->rs1, ip->rs1 != 0, old_ | s_)
CSR_OP(CSRRCI, ip->rs1, ip->rs1 != 0, old_ & ~s_)

/* ---------------------------------------------------------------- A */
op_LR_W: {
	int32_t *p_;
	AMO_PTR(int32_t, X[ip->rs1], p_, 1);
	int32_t v_ = __atomic_load_n(p_, __ATOMIC_SEQ_CST);
	cpu->res_addr = X[ip->rs1];
	cpu->res_value = (uint32_t)v_;
	cpu->res_valid = true;
	WRX(ip->rd, (uint64_t)(int64_t)v_);
	NEXT();
}
op_LR_D: {
	uint64_t *p_;
	AMO_PTR(uint64_t, X[ip->rs1], p_, 1);
	uint64_t v_ = __atomic_load_n(p_, __ATOMIC_SEQ_CST);
	cpu->res_addr = X[ip->rs1];
	cpu->res_value = v_;
	cpu->res_valid = true;
	WRX(ip->rd, v_);
	NEXT();
}
/* SC succeeds when this hart holds a reservation on the address and the
 * memory still holds the value LR saw: a host compare-exchange.  (An ABA
 * change in between goes unnoticed, which LR/SC forward-progress code
 * cannot tell apart from no change.) */
op_SC_W: {
	uint32_t *p_;
	AMO_PTR(uint32_t, X[ip->rs1], p_, 0);
	uint32_t expect_ = (uint32_t)cpu->res_value;
	bool ok_ = cpu->res_valid && cpu->res_addr == X[ip->rs1] &&
		   __atomic_compare_exchange_n(p_, &expect_, (uint32_t)X[ip->rs2], false,
					       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	cpu->res_valid = false;
	WRX(ip->rd, ok_ ? 0 : 1);
	NEXT();
}
op_SC_D: {
	uint64_t *p_;
	AMO_PTR(uint64_t, X[ip->rs1], p_, 0);
	uint64_t expect_ = cpu->res_value;
	bool ok_ = cpu->res_valid && cpu->res_addr == X[ip->rs1] &&
		   __atomic_compare_exchange_n(p_, &expect_, X[ip->rs2], false,
					       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	cpu->res_valid = false;
	WRX(ip->rd, ok_ ? 0 : 1);
	NEXT();
}

/* Fetch-and-op AMOs map onto host atomics directly. */
#define AMO_FETCH(name, type, fn) op_##name: {                               \
	type *p_;                                                            \
	AMO_PTR(type, X[ip->rs1], p_, 0);                                    \
	type v_ = fn(p_, (type)X[ip->rs2], __ATOMIC_SEQ_CST);                \
	WRX(ip->rd, (uint64_t)(int64_t)v_);                                  \
	NEXT(); }
/* min/max: a compare-exchange loop. */
#define AMO_CAS(name, type, pick) op_##name: {                               \
	type *p_;                                                            \
	AMO_PTR(type, X[ip->rs1], p_, 0);                                    \
	type b_ = (type)X[ip->rs2];                                          \
	type a_ = __atomic_load_n(p_, __ATOMIC_RELAXED);                     \
	while (!__atomic_compare_exchange_n(p_, &a_, (pick), true,           \
					    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) \
		;                                                            \
	WRX(ip->rd, (uint64_t)(int64_t)a_);                                  \
	NEXT(); }

AMO_FETCH(AMOSWAP_W, int32_t, __atomic_exchange_n)
AMO_FETCH(AMOADD_W, int32_t, __atomic_fetch_add)
AMO_FETCH(AMOXOR_W, int32_t, __atomic_fetch_xor)
AMO_FETCH(AMOAND_W, int32_t, __atomic_fetch_and)
AMO_FETCH(AMOOR_W, int32_t, __atomic_fetch_or)
AMO_CAS(AMOMIN_W, int32_t, a_ < b_ ? a_ : b_)
AMO_CAS(AMOMAX_W, int32_t, a_ > b_ ? a_ : b_)
AMO_CAS(AMOMINU_W, int32_t, (uint32_t)a_ < (uint32_t)b_ ? a_ : b_)
AMO_CAS(AMOMAXU_W, int32_t, (uint32_t)a_ > (uint32_t)b_ ? a_ : b_)
AMO_FETCH(AMOSWAP_D, uint64_t, __atomic_exchange_n)
AMO_FETCH(AMOADD_D, uint64_t, __atomic_fetch_add)
AMO_FETCH(AMOXOR_D, uint64_t, __atomic_fetch_xor)
AMO_FETCH(AMOAND_D, uint64_t, __atomic_fetch_and)
AMO_FETCH(AMOOR_D, uint64_t, __atomic_fetch_or)
AMO_CAS(AMOMIN_D, uint64_t, (int64_t)a_ < (int64_t)b_ ? a_ : b_)
AMO_CAS(AMOMAX_D, uint64_t, (int64_t)a_ > (int64_t)b_ ? a_ : b_)
AMO_CAS(AMOMINU_D, uint64_t, a_ < b_ ? a_ : b_)
AMO_CAS(AMOMAXU_D, uint64_t, a_ > b_ ? a_ : b_)

#include "rv64/interp_fp_body.h"

#undef DISPATCH
#undef NEXT
#undef WRX
#undef EXIT_AT
#undef ILLEGAL
#undef ECALL_ACTION
#undef EBREAK_ACTION
#undef CSR_READ
#undef CSR_WRITE
#undef CSR_WRITTEN
#undef CHAIN_OK
#undef SYS_MRET
#undef SYS_SRET
#undef SYS_WFI
#undef SYS_SFENCE_VMA
#undef GOTO_PC
#undef GOTO_INDIRECT
#undef ENTER_BLOCK
#undef NEXT_PC
#undef BRANCH
#undef RR
#undef RI
#undef LD_OP
#undef ST_OP
#undef CSR_OP
#undef AMO_FETCH
#undef AMO_CAS
#undef FP_RM
#undef FS
#undef FD
#undef SET_FS
#undef FF

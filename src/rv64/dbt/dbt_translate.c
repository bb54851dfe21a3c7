/*
 * Translation of one decoded basic block into x86-64 code.
 *
 * Guest registers live in cpu->x, the block's most used ones cached in
 * host registers (dbt_regcache.c); rax, rcx and rdx are scratch.  Before
 * each guest memory access the instruction's pc is stored in cpu->pc and
 * the dirty cached registers are written back, so *cpu is exact if the
 * access faults and the host fault unwinds precisely; the address is
 * checked against guest_limit (r13 holds guest_limit - 8) and the access
 * itself is [r12 + address].
 *
 * Layout of a block:
 *   entry:  exit_request check, instret += ninsns, cached registers loaded
 *   body:   one short sequence per instruction; operations that are not
 *           open-coded call dbt_helper_exec() (the interpreter's handler)
 *           or a pure helper (division, bit counts, rotates); F/D
 *           operations worth open-coding are in dbt_translate_fp.c
 *   exits:  out-of-line stubs: chainable exits store the target pc and
 *           return DBT_EXIT_CHAIN with the offset of the jump that the
 *           dispatcher later patches to go straight to the target block;
 *           fault stubs store tval and return the fault.
 */
#include <stddef.h>

#include "rv64/dbt/dbt_tx.h"

#define CPU_FIELD TX_CPU_FIELD

static void load_x(struct tx *t, unsigned r, int host) { tx_read(t, r, host); }
static void store_x(struct tx *t, unsigned r, int host) { tx_write(t, r, host); }

/* mov qword [m], v using rcx when v does not fit a sign-extended imm32. */
static void store_const(struct tx *t, struct x86_mem m, uint64_t v)
{
	if ((int64_t)v == (int32_t)v) {
		x86_mov_mi(t->b, true, m, (int32_t)v);
	} else {
		x86_mov_ri64(t->b, X86_RCX, v);
		x86_mov_mr(t->b, true, m, X86_RCX);
	}
}

static void jmp_epilogue(struct tx *t)
{
	size_t f = x86_jmp_rel32(t->b);

	x86_patch_rel32(t->b, f, t->d->epilogue);
}

static void exit_with(struct tx *t, uint64_t code)
{
	x86_mov_ri64(t->b, X86_RAX, code);
	jmp_epilogue(t);
}

/* Leave for the instruction at pc with an rv_exit code. */
static void exit_at(struct tx *t, uint64_t pc, enum rv_exit code)
{
	tx_regs_sync(t);
	store_const(t, CPU_FIELD(pc), pc);
	exit_with(t, code);
}

static void add_exit(struct tx *t, size_t field, uint64_t target)
{
	if (t->nexits < TX_MAX_EXITS)
		t->exits[t->nexits++] = (struct tx_exit){ .field = field, .target = target };
}

static void jump_to(struct tx *t, uint64_t target)
{
	tx_regs_sync(t);
	add_exit(t, x86_jmp_rel32(t->b), target);
}

/* -------------------------------------------------------------- memory */

/* rax = guest address of the access; leaves for a fault when it does not
 * lie entirely below guest_limit.  cpu->pc = the instruction. */
void tx_guest_address(struct tx *t, const struct rv_insn *i, unsigned size, bool store)
{
	struct x86_buf *b = t->b;
	size_t f;

	load_x(t, i->rs1, X86_RAX);
	if (i->imm)
		x86_alu_ri(b, X86_ADD, true, X86_RAX, i->imm);
	store_const(t, CPU_FIELD(pc), i->pc);
	tx_regs_sync(t);      /* *cpu exact if the access faults */
	if (size == 8) {
		x86_alu_rr(b, X86_CMP, true, X86_RAX, X86_R13);
	} else {
		x86_lea(b, X86_RCX, x86_m(X86_R13, (int32_t)(8 - size)));
		x86_alu_rr(b, X86_CMP, true, X86_RAX, X86_RCX);
	}
	f = x86_jcc_rel32(b, X86_CC_A);
	if (store && t->nstore_faults < TX_MAX_FAULTS)
		t->store_faults[t->nstore_faults++] = f;
	else if (!store && t->nload_faults < TX_MAX_FAULTS)
		t->load_faults[t->nload_faults++] = f;
}

static void tr_load(struct tx *t, const struct rv_insn *i, enum x86_width w, bool sign)
{
	int dst = tx_dst(t, i->rd, -1);

	tx_guest_address(t, i, w, false);
	if (dst == X86_RAX)
		dst = X86_RCX;      /* rax holds the address */
	x86_load(t->b, w, sign, dst, x86_mi(X86_R12, X86_RAX, 1, 0));
	store_x(t, i->rd, dst);
}

static void tr_store(struct tx *t, const struct rv_insn *i, enum x86_width w)
{
	tx_guest_address(t, i, w, true);
	load_x(t, i->rs2, X86_RCX);
	x86_store(t->b, w, x86_mi(X86_R12, X86_RAX, 1, 0), X86_RCX);
}

/* ------------------------------------------------------------ integer */

/* Two-address forms computed straight in rd's host register when cached
 * (unless rd is also the second source, which the first move would
 * overwrite). */
static void tr_alu_rr(struct tx *t, const struct rv_insn *i, enum x86_alu op, bool w64)
{
	int dst = tx_dst(t, i->rd, i->rs1 == i->rs2 ? -1 : i->rs2);

	load_x(t, i->rs1, dst);
	tx_alu_src(t, op, w64, dst, i->rs2);
	if (!w64)
		x86_movsxd_rr(t->b, dst, dst);
	store_x(t, i->rd, dst);
}

static void tr_alu_ri(struct tx *t, const struct rv_insn *i, enum x86_alu op, bool w64)
{
	int dst = tx_dst(t, i->rd, -1);

	load_x(t, i->rs1, dst);
	x86_alu_ri(t->b, op, w64, dst, i->imm);
	if (!w64)
		x86_movsxd_rr(t->b, dst, dst);
	store_x(t, i->rd, dst);
}

static void tr_shift_ri(struct tx *t, const struct rv_insn *i, enum x86_shift op, bool w64)
{
	int dst = tx_dst(t, i->rd, -1);

	load_x(t, i->rs1, dst);
	x86_shift_ri(t->b, op, w64, dst, (uint8_t)(i->imm & (w64 ? 63 : 31)));
	if (!w64)
		x86_movsxd_rr(t->b, dst, dst);
	store_x(t, i->rd, dst);
}

/* x86 masks the count in cl to 6 (64-bit) or 5 (32-bit) bits, as RISC-V
 * does.  The count is read first, so rd may be rs2. */
static void tr_shift_rr(struct tx *t, const struct rv_insn *i, enum x86_shift op, bool w64)
{
	int dst = tx_dst(t, i->rd, -1);

	load_x(t, i->rs2, X86_RCX);
	load_x(t, i->rs1, dst);
	x86_shift_rcl(t->b, op, w64, dst);
	if (!w64)
		x86_movsxd_rr(t->b, dst, dst);
	store_x(t, i->rd, dst);
}

static void tr_set(struct tx *t, const struct rv_insn *i, enum x86_cc cc, bool imm)
{
	load_x(t, i->rs1, X86_RAX);
	if (imm)
		x86_alu_ri(t->b, X86_CMP, true, X86_RAX, i->imm);
	else
		tx_alu_src(t, X86_CMP, true, X86_RAX, i->rs2);
	x86_setcc(t->b, cc, X86_RAX);
	x86_movzx8_rr(t->b, X86_RAX, X86_RAX);
	store_x(t, i->rd, X86_RAX);
}

static void tr_minmax(struct tx *t, const struct rv_insn *i, enum x86_cc take_rs2)
{
	load_x(t, i->rs1, X86_RAX);
	load_x(t, i->rs2, X86_RCX);
	x86_alu_rr(t->b, X86_CMP, true, X86_RAX, X86_RCX);
	x86_cmovcc_rr(t->b, take_rs2, true, X86_RAX, X86_RCX);
	store_x(t, i->rd, X86_RAX);
}

/* rd = (zext32?(rs1) << sh) + rs2 */
static void tr_shadd(struct tx *t, const struct rv_insn *i, int scale, bool uw)
{
	load_x(t, i->rs1, X86_RAX);
	if (uw)
		x86_mov_rr(t->b, false, X86_RAX, X86_RAX);   /* zero-extend */
	load_x(t, i->rs2, X86_RCX);
	x86_lea(t->b, X86_RAX, x86_mi(X86_RCX, X86_RAX, scale, 0));
	store_x(t, i->rd, X86_RAX);
}

static void tr_mulh(struct tx *t, const struct rv_insn *i, bool is_signed)
{
	load_x(t, i->rs1, X86_RAX);
	load_x(t, i->rs2, X86_RCX);
	x86_mul_r(t->b, is_signed, X86_RCX);
	store_x(t, i->rd, X86_RDX);
}

/* rd = op(rs1, ~rs2) for andn/orn */
static void tr_not_rs2(struct tx *t, const struct rv_insn *i, enum x86_alu op)
{
	load_x(t, i->rs2, X86_RAX);
	x86_not(t->b, true, X86_RAX);
	tx_alu_src(t, op, true, X86_RAX, i->rs1);
	store_x(t, i->rd, X86_RAX);
}

static void tr_bit_imm(struct tx *t, const struct rv_insn *i, enum x86_alu op, bool invert)
{
	uint64_t mask = 1ull << (i->imm & 63);

	load_x(t, i->rs1, X86_RAX);
	x86_mov_ri64(t->b, X86_RCX, invert ? ~mask : mask);
	x86_alu_rr(t->b, op, true, X86_RAX, X86_RCX);
	store_x(t, i->rd, X86_RAX);
}

/* sext.b/sext.h by a shift pair, zext.h by a mask */
static void tr_ext(struct tx *t, const struct rv_insn *i, enum x86_width w, bool sign)
{
	load_x(t, i->rs1, X86_RAX);
	if (sign) {
		x86_shift_ri(t->b, X86_SHL, true, X86_RAX, (uint8_t)(64 - 8 * w));
		x86_shift_ri(t->b, X86_SAR, true, X86_RAX, (uint8_t)(64 - 8 * w));
	} else {
		x86_alu_ri(t->b, X86_AND, false, X86_RAX, 0xffff);
	}
	store_x(t, i->rd, X86_RAX);
}

static bool imm_form(enum rv_op op)
{
	switch (op) {
	case RV_OP_CLZ: case RV_OP_CLZW: case RV_OP_CTZ: case RV_OP_CTZW:
	case RV_OP_CPOP: case RV_OP_CPOPW: case RV_OP_ORC_B: case RV_OP_RORI:
	case RV_OP_RORIW: case RV_OP_BCLRI: case RV_OP_BEXTI: case RV_OP_BINVI: case RV_OP_BSETI:
		return true;
	default:
		return false;
	}
}

/* The call clobbers caller-saved registers, rsi and rdi among them:
 * sync first and take the arguments from cpu->x. */
static void tr_pure(struct tx *t, const struct rv_insn *i, dbt_pure_fn fn)
{
	tx_regs_sync(t);
	x86_mov_rm(t->b, true, X86_RDI, tx_xreg(i->rs1));
	if (imm_form(i->op))
		x86_mov_ri64(t->b, X86_RSI, (uint64_t)(int64_t)i->imm);
	else
		x86_mov_rm(t->b, true, X86_RSI, tx_xreg(i->rs2));
	x86_mov_ri64(t->b, X86_RAX, (uint64_t)(uintptr_t)fn);
	x86_call_r(t->b, X86_RAX);
	tx_regs_reload(t, false);
	store_x(t, i->rd, X86_RAX);
}

/* ------------------------------------------------------- control flow */

static void tr_branch(struct tx *t, const struct rv_insn *i, enum x86_cc cc)
{
	tx_regs_sync(t);
	load_x(t, i->rs1, X86_RAX);
	tx_alu_src(t, X86_CMP, true, X86_RAX, i->rs2);
	add_exit(t, x86_jcc_rel32(t->b, cc), i->pc + (uint64_t)(int64_t)i->imm);
	jump_to(t, i->pc + i->len);
}

/* Jump to the guest address in rax through the indirect-jump table; a
 * miss returns to the dispatcher, which fills the slot. */
static void jump_indirect(struct tx *t)
{
	struct x86_buf *b = t->b;
	struct x86_mem slot = x86_mi(X86_RDX, X86_RCX, 8, 0);
	size_t miss;

	x86_mov_mr(b, true, CPU_FIELD(pc), X86_RAX);
	if (!t->d->single_block) {
		/* slot index ((pc >> 1) & mask), times 16 = (pc & (mask << 1)) * 8 */
		x86_mov_rr(b, false, X86_RCX, X86_RAX);
		x86_alu_ri(b, X86_AND, false, X86_RCX, ((1 << DBT_IJMP_BITS) - 1) << 1);
		x86_mov_ri64(b, X86_RDX, (uint64_t)(uintptr_t)t->d->ijmp);
		x86_alu_rm(b, X86_CMP, true, X86_RAX, slot);
		miss = x86_jcc_rel32(b, X86_CC_NE);
		slot.disp = 8;
		x86_jmp_m(b, slot);
		x86_patch_rel32(b, miss, x86_size(b));
	}
	exit_with(t, DBT_EXIT_LOOKUP);
}

static void tr_jalr(struct tx *t, const struct rv_insn *i)
{
	load_x(t, i->rs1, X86_RAX);
	if (i->imm)
		x86_alu_ri(t->b, X86_ADD, true, X86_RAX, i->imm);
	x86_alu_ri(t->b, X86_AND, true, X86_RAX, -2);
	tx_write_const(t, i->rd, i->pc + i->len);   /* after the target: rd may be rs1 */
	tx_regs_sync(t);
	jump_indirect(t);
}

/* An instruction run by the interpreter's handler; returns true when it
 * ends the block (the helper has set cpu->pc). */
bool tx_helper(struct tx *t, const struct rv_insn *i)
{
	struct x86_buf *b = t->b;
	const struct rv_insn *k = dbt_keep_insn(t->d, i);
	dbt_exec_fn fn = dbt_fp_helper((enum rv_op)i->op);

	tx_regs_sync(t);      /* the helper works on *cpu */
	x86_mov_rr(b, true, X86_RDI, X86_RBX);
	x86_mov_ri64(b, X86_RSI, (uint64_t)(uintptr_t)k);
	x86_mov_ri64(b, X86_RAX, (uint64_t)(uintptr_t)(fn ? fn : dbt_helper_exec));
	x86_call_r(b, X86_RAX);
	x86_test_rr(b, true, X86_RAX, X86_RAX);
	x86_patch_rel32(b, x86_jcc_rel32(b, X86_CC_NE), t->d->epilogue);
	if (!rv_op_ends_block(i->op)) {
		tx_regs_reload(t, true);   /* it may have written rd */
		return false;
	}
	exit_with(t, DBT_EXIT_LOOKUP);
	return true;
}

/* ------------------------------------------------------------ dispatch */

/* Returns true when the instruction ended the block. */
static bool tr_insn(struct tx *t, const struct rv_insn *i)
{
	struct x86_buf *b = t->b;
	dbt_pure_fn pure;

	switch ((enum rv_op)i->op) {
	case RV_OP_NOP: return false;
	case RV_OP_FENCE: x86_mfence(b); return false;
	case RV_OP_END: jump_to(t, i->pc); return true;
	case RV_OP_ECALL: exit_at(t, i->pc, RV_EXIT_ECALL); return true;
	case RV_OP_EBREAK: exit_at(t, i->pc, RV_EXIT_EBREAK); return true;
	case RV_OP_ILLEGAL:
		store_const(t, CPU_FIELD(tval), i->raw);
		exit_at(t, i->pc, RV_EXIT_ILLEGAL);
		return true;

	case RV_OP_LUI: case RV_OP_LI:
		tx_write_const(t, i->rd, (uint64_t)(int64_t)i->imm);
		return false;
	case RV_OP_AUIPC:
		tx_write_const(t, i->rd, i->pc + (uint64_t)(int64_t)i->imm);
		return false;
	case RV_OP_MV: {
		int dst = tx_dst(t, i->rd, -1);

		load_x(t, i->rs1, dst);
		store_x(t, i->rd, dst);
		return false;
	}
	case RV_OP_JAL:
		tx_write_const(t, i->rd, i->pc + i->len);
		jump_to(t, i->pc + (uint64_t)(int64_t)i->imm);
		return true;
	case RV_OP_J: jump_to(t, i->pc + (uint64_t)(int64_t)i->imm); return true;
	case RV_OP_JALR: case RV_OP_JR: tr_jalr(t, i); return true;
	case RV_OP_BEQ: tr_branch(t, i, X86_CC_E); return true;
	case RV_OP_BNE: tr_branch(t, i, X86_CC_NE); return true;
	case RV_OP_BLT: tr_branch(t, i, X86_CC_L); return true;
	case RV_OP_BGE: tr_branch(t, i, X86_CC_GE); return true;
	case RV_OP_BLTU: tr_branch(t, i, X86_CC_B); return true;
	case RV_OP_BGEU: tr_branch(t, i, X86_CC_AE); return true;

	case RV_OP_LB: tr_load(t, i, X86_W8, true); return false;
	case RV_OP_LH: tr_load(t, i, X86_W16, true); return false;
	case RV_OP_LW: tr_load(t, i, X86_W32, true); return false;
	case RV_OP_LD: tr_load(t, i, X86_W64, false); return false;
	case RV_OP_LBU: tr_load(t, i, X86_W8, false); return false;
	case RV_OP_LHU: tr_load(t, i, X86_W16, false); return false;
	case RV_OP_LWU: tr_load(t, i, X86_W32, false); return false;
	case RV_OP_SB: tr_store(t, i, X86_W8); return false;
	case RV_OP_SH: tr_store(t, i, X86_W16); return false;
	case RV_OP_SW: tr_store(t, i, X86_W32); return false;
	case RV_OP_SD: tr_store(t, i, X86_W64); return false;

	case RV_OP_ADDI: tr_alu_ri(t, i, X86_ADD, true); return false;
	case RV_OP_XORI: tr_alu_ri(t, i, X86_XOR, true); return false;
	case RV_OP_ORI: tr_alu_ri(t, i, X86_OR, true); return false;
	case RV_OP_ANDI: tr_alu_ri(t, i, X86_AND, true); return false;
	case RV_OP_ADDIW: tr_alu_ri(t, i, X86_ADD, false); return false;
	case RV_OP_SLTI: tr_set(t, i, X86_CC_L, true); return false;
	case RV_OP_SLTIU: tr_set(t, i, X86_CC_B, true); return false;
	case RV_OP_SLT: tr_set(t, i, X86_CC_L, false); return false;
	case RV_OP_SLTU: tr_set(t, i, X86_CC_B, false); return false;
	case RV_OP_SLLI: tr_shift_ri(t, i, X86_SHL, true); return false;
	case RV_OP_SRLI: tr_shift_ri(t, i, X86_SHR, true); return false;
	case RV_OP_SRAI: tr_shift_ri(t, i, X86_SAR, true); return false;
	case RV_OP_SLLIW: tr_shift_ri(t, i, X86_SHL, false); return false;
	case RV_OP_SRLIW: tr_shift_ri(t, i, X86_SHR, false); return false;
	case RV_OP_SRAIW: tr_shift_ri(t, i, X86_SAR, false); return false;
	case RV_OP_ADD: tr_alu_rr(t, i, X86_ADD, true); return false;
	case RV_OP_SUB: tr_alu_rr(t, i, X86_SUB, true); return false;
	case RV_OP_XOR: tr_alu_rr(t, i, X86_XOR, true); return false;
	case RV_OP_OR: tr_alu_rr(t, i, X86_OR, true); return false;
	case RV_OP_AND: tr_alu_rr(t, i, X86_AND, true); return false;
	case RV_OP_ADDW: tr_alu_rr(t, i, X86_ADD, false); return false;
	case RV_OP_SUBW: tr_alu_rr(t, i, X86_SUB, false); return false;
	case RV_OP_SLL: tr_shift_rr(t, i, X86_SHL, true); return false;
	case RV_OP_SRL: tr_shift_rr(t, i, X86_SHR, true); return false;
	case RV_OP_SRA: tr_shift_rr(t, i, X86_SAR, true); return false;
	case RV_OP_SLLW: tr_shift_rr(t, i, X86_SHL, false); return false;
	case RV_OP_SRLW: tr_shift_rr(t, i, X86_SHR, false); return false;
	case RV_OP_SRAW: tr_shift_rr(t, i, X86_SAR, false); return false;

	case RV_OP_MUL: case RV_OP_MULW:
		load_x(t, i->rs1, X86_RAX);
		tx_imul_src(t, i->op == RV_OP_MUL, X86_RAX, i->rs2);
		if (i->op == RV_OP_MULW)
			x86_movsxd_rr(b, X86_RAX, X86_RAX);
		store_x(t, i->rd, X86_RAX);
		return false;
	case RV_OP_MULH: tr_mulh(t, i, true); return false;
	case RV_OP_MULHU: tr_mulh(t, i, false); return false;

	case RV_OP_SH1ADD: tr_shadd(t, i, 2, false); return false;
	case RV_OP_SH2ADD: tr_shadd(t, i, 4, false); return false;
	case RV_OP_SH3ADD: tr_shadd(t, i, 8, false); return false;
	case RV_OP_ADD_UW: tr_shadd(t, i, 1, true); return false;
	case RV_OP_SH1ADD_UW: tr_shadd(t, i, 2, true); return false;
	case RV_OP_SH2ADD_UW: tr_shadd(t, i, 4, true); return false;
	case RV_OP_SH3ADD_UW: tr_shadd(t, i, 8, true); return false;
	case RV_OP_SLLI_UW:
		load_x(t, i->rs1, X86_RAX);
		x86_mov_rr(b, false, X86_RAX, X86_RAX);     /* zero-extend */
		x86_shift_ri(b, X86_SHL, true, X86_RAX, (uint8_t)(i->imm & 63));
		store_x(t, i->rd, X86_RAX);
		return false;
	case RV_OP_ANDN: tr_not_rs2(t, i, X86_AND); return false;
	case RV_OP_ORN: tr_not_rs2(t, i, X86_OR); return false;
	case RV_OP_XNOR:
		load_x(t, i->rs1, X86_RAX);
		tx_alu_src(t, X86_XOR, true, X86_RAX, i->rs2);
		x86_not(b, true, X86_RAX);
		store_x(t, i->rd, X86_RAX);
		return false;
	case RV_OP_MAX: tr_minmax(t, i, X86_CC_L); return false;
	case RV_OP_MAXU: tr_minmax(t, i, X86_CC_B); return false;
	case RV_OP_MIN: tr_minmax(t, i, X86_CC_G); return false;
	case RV_OP_MINU: tr_minmax(t, i, X86_CC_A); return false;
	case RV_OP_SEXT_B: tr_ext(t, i, X86_W8, true); return false;
	case RV_OP_SEXT_H: tr_ext(t, i, X86_W16, true); return false;
	case RV_OP_ZEXT_H: tr_ext(t, i, X86_W16, false); return false;
	case RV_OP_REV8:
		load_x(t, i->rs1, X86_RAX);
		x86_bswap(b, X86_RAX);
		store_x(t, i->rd, X86_RAX);
		return false;
	case RV_OP_BSETI: tr_bit_imm(t, i, X86_OR, false); return false;
	case RV_OP_BCLRI: tr_bit_imm(t, i, X86_AND, true); return false;
	case RV_OP_BINVI: tr_bit_imm(t, i, X86_XOR, false); return false;
	case RV_OP_BEXTI:
		load_x(t, i->rs1, X86_RAX);
		x86_shift_ri(b, X86_SHR, true, X86_RAX, (uint8_t)(i->imm & 63));
		x86_alu_ri(b, X86_AND, false, X86_RAX, 1);
		store_x(t, i->rd, X86_RAX);
		return false;
	default:
		break;
	}
	if (tx_fp_inline(t, i))
		return false;
	pure = dbt_pure_helper((enum rv_op)i->op);
	if (pure) {
		tr_pure(t, i, pure);
		return false;
	}
	return tx_helper(t, i);
}

/* ------------------------------------------------------------- a block */

static void emit_stubs(struct tx *t)
{
	struct x86_buf *b = t->b;

	for (unsigned k = 0; k < t->nexits; k++) {
		size_t field = t->exits[k].field;

		x86_patch_rel32(b, field, x86_size(b));
		store_const(t, CPU_FIELD(pc), t->exits[k].target);
		exit_with(t, (uint64_t)field << 8 | DBT_EXIT_CHAIN);
	}
	if (t->nload_faults) {
		for (unsigned k = 0; k < t->nload_faults; k++)
			x86_patch_rel32(b, t->load_faults[k], x86_size(b));
		x86_mov_mr(b, true, CPU_FIELD(tval), X86_RAX);
		exit_with(t, RV_EXIT_LOAD_FAULT);
	}
	if (t->nstore_faults) {
		for (unsigned k = 0; k < t->nstore_faults; k++)
			x86_patch_rel32(b, t->store_faults[k], x86_size(b));
		x86_mov_mr(b, true, CPU_FIELD(tval), X86_RAX);
		exit_with(t, RV_EXIT_STORE_FAULT);
	}
	x86_patch_rel32(b, t->interrupt, x86_size(b));
	exit_at(t, t->blk->pc, RV_EXIT_INTERRUPT);
}

struct dbt_block *dbt_translate(struct rv_dbt *d, const struct rv_block *blk)
{
	struct tx t = { .d = d, .b = &d->buf, .blk = blk };
	size_t start;

	/* Worst case about 100 bytes per instruction, plus the exits. */
	dbt_reserve(d, (blk->ninsns + 8) * 128, blk->ninsns + 1);
	start = x86_size(t.b);
	x86_alu_mi(t.b, X86_CMP, false, CPU_FIELD(exit_request), 0);
	t.interrupt = x86_jcc_rel32(t.b, X86_CC_NE);
	x86_alu_mi(t.b, X86_ADD, true, CPU_FIELD(instret), (int32_t)blk->ninsns);
	tx_regs_plan(&t);
	tx_regs_enter(&t);
	/* Every block ends with a block-ending instruction or an END. */
	for (unsigned n = 0; n <= blk->ninsns; n++)
		if (tr_insn(&t, &blk->insns[n]))
			break;
	emit_stubs(&t);
	if (t.b->overflow) {
		dbt_flush(d);
		return NULL;
	}
	/* Keep block entries 16-byte aligned for the host's fetch. */
	while (x86_size(t.b) & 15)
		x86_byte(t.b, 0xcc);
	return dbt_insert(d, blk->pc, start, x86_size(t.b) - start);
}

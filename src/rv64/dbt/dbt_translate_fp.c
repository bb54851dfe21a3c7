/*
 * Translation of F/D instructions that are cheaper inline than through a
 * helper: loads, stores and moves of raw bits, sign injection on doubles,
 * and double add/sub/mul/div in round-to-nearest-even as single SSE
 * instructions (the same fast path as fpu_fast.h, flags accruing in the
 * host MXCSR).  Everything else in F/D goes to dbt_fp.c's helpers.
 */
#include <stddef.h>

#include "rv64/dbt/dbt_tx.h"

static struct x86_mem freg(unsigned r)
{
	return x86_m(X86_RBX, (int32_t)(offsetof(struct rv_cpu, f) + 8 * r));
}

/* FP loads and stores move raw bits; a loaded single is NaN-boxed. */
static void tr_fload(struct tx *t, const struct rv_insn *i, enum x86_width w)
{
	tx_guest_address(t, i, w, false);
	x86_load(t->b, w, false, X86_RCX, x86_mi(X86_R12, X86_RAX, 1, 0));
	if (w == X86_W32) {
		x86_mov_ri64(t->b, X86_RDX, 0xffffffff00000000ull);
		x86_alu_rr(t->b, X86_OR, true, X86_RCX, X86_RDX);
	}
	x86_mov_mr(t->b, true, freg(i->rd), X86_RCX);
}

static void tr_fstore(struct tx *t, const struct rv_insn *i, enum x86_width w)
{
	tx_guest_address(t, i, w, true);
	x86_mov_rm(t->b, true, X86_RCX, freg(i->rs2));
	x86_store(t->b, w, x86_mi(X86_R12, X86_RAX, 1, 0), X86_RCX);
}

/* fsgnj.d family: sign of rs2 (inverted for n, xor-ed for x) on rs1. */
static void tr_fsgnj_d(struct tx *t, const struct rv_insn *i)
{
	struct x86_buf *b = t->b;

	x86_mov_rm(b, true, X86_RAX, freg(i->rs1));
	x86_mov_rm(b, true, X86_RCX, freg(i->rs2));
	x86_mov_ri64(b, X86_RDX, 1ull << 63);
	if (i->op == RV_OP_FSGNJX_D) {
		x86_alu_rr(b, X86_AND, true, X86_RCX, X86_RDX);
		x86_alu_rr(b, X86_XOR, true, X86_RAX, X86_RCX);
	} else {
		if (i->op == RV_OP_FSGNJN_D)
			x86_not(b, true, X86_RCX);
		x86_alu_rr(b, X86_AND, true, X86_RCX, X86_RDX);
		x86_not(b, true, X86_RDX);
		x86_alu_rr(b, X86_AND, true, X86_RAX, X86_RDX);
		x86_alu_rr(b, X86_OR, true, X86_RAX, X86_RCX);
	}
	x86_mov_mr(b, true, freg(i->rd), X86_RAX);
}

/* fadd/fsub/fmul/fdiv.d in round-to-nearest-even: one SSE instruction,
 * flags accruing in MXCSR and a NaN result made canonical, exactly like
 * fpu_fast.h.  A dynamic rounding mode is checked at run time; anything
 * but RNE takes the helper. */
static bool tr_farith_d(struct tx *t, const struct rv_insn *i, enum x86_sse op)
{
	struct x86_buf *b = t->b;
	size_t slow = 0, done;
	uint32_t dirty;

	if (i->rm != RV_RM_RNE && i->rm != RV_RM_DYN)
		return false;
	if (i->rm == RV_RM_DYN) {
		x86_alu_mi(b, X86_CMP, false, TX_CPU_FIELD(frm), RV_RM_RNE);
		slow = x86_jcc_rel32(b, X86_CC_NE);
	}
	x86_movq_xm(b, 0, freg(i->rs1));
	x86_sse_sd(b, op, 0, freg(i->rs2));
	x86_movq_rx(b, X86_RAX, 0);
	/* NaN iff (bits << 1) > exponent-all-ones << 1 */
	x86_mov_rr(b, true, X86_RCX, X86_RAX);
	x86_shift_ri(b, X86_SHL, true, X86_RCX, 1);
	x86_mov_ri64(b, X86_RDX, 0xffe0000000000000ull);
	x86_alu_rr(b, X86_CMP, true, X86_RCX, X86_RDX);
	x86_mov_ri64(b, X86_RDX, 0x7ff8000000000000ull);    /* mov keeps the flags */
	x86_cmovcc_rr(b, X86_CC_A, true, X86_RAX, X86_RDX);
	x86_mov_mr(b, true, freg(i->rd), X86_RAX);
	if (!slow)
		return true;
	done = x86_jmp_rel32(b);
	x86_patch_rel32(b, slow, x86_size(b));
	/* The helper path syncs and reloads; the fast path left the cache
	 * as it was, so carry on with the fast path's view. */
	dirty = t->dirty;
	tx_helper(t, i);
	t->dirty = dirty;
	x86_patch_rel32(b, done, x86_size(b));
	return true;
}

/* Returns true when i was an FP operation translated inline. */
bool tx_fp_inline(struct tx *t, const struct rv_insn *i)
{
	struct x86_buf *b = t->b;

	switch ((enum rv_op)i->op) {
	case RV_OP_FLD: tr_fload(t, i, X86_W64); return true;
	case RV_OP_FLW: tr_fload(t, i, X86_W32); return true;
	case RV_OP_FSD: tr_fstore(t, i, X86_W64); return true;
	case RV_OP_FSW: tr_fstore(t, i, X86_W32); return true;
	case RV_OP_FMV_X_D:
		x86_mov_rm(b, true, X86_RAX, freg(i->rs1));
		tx_write(t, i->rd, X86_RAX);
		return true;
	case RV_OP_FMV_X_W:
		x86_load(b, X86_W32, true, X86_RAX, freg(i->rs1));
		tx_write(t, i->rd, X86_RAX);
		return true;
	case RV_OP_FMV_D_X:
		tx_read(t, i->rs1, X86_RAX);
		x86_mov_mr(b, true, freg(i->rd), X86_RAX);
		return true;
	case RV_OP_FMV_W_X:
		tx_read(t, i->rs1, X86_RAX);
		x86_mov_rr(b, false, X86_RAX, X86_RAX);     /* zero-extend */
		x86_mov_ri64(b, X86_RDX, 0xffffffff00000000ull);
		x86_alu_rr(b, X86_OR, true, X86_RAX, X86_RDX);
		x86_mov_mr(b, true, freg(i->rd), X86_RAX);
		return true;
	case RV_OP_FSGNJ_D: case RV_OP_FSGNJN_D: case RV_OP_FSGNJX_D:
		tr_fsgnj_d(t, i);
		return true;
	case RV_OP_FADD_D: return tr_farith_d(t, i, X86_ADDSD);
	case RV_OP_FSUB_D: return tr_farith_d(t, i, X86_SUBSD);
	case RV_OP_FMUL_D: return tr_farith_d(t, i, X86_MULSD);
	case RV_OP_FDIV_D: return tr_farith_d(t, i, X86_DIVSD);
	default:
		return false;
	}
}

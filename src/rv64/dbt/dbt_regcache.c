/*
 * The translator's per-block guest-register cache (see dbt_tx.h): which
 * guest registers get a host register, and the accessors every translated
 * instruction uses to read and write guest registers.
 *
 * Allocation is static per block: registers used at least twice, most
 * used first, get the free host registers, callee-saved ones (which
 * survive helper calls) first.
 */
#include "rv64/dbt/dbt_tx.h"

/* rbx, r12, r13 are taken (cpu, guest base, limit); rax, rcx, rdx are
 * scratch.  The first three survive calls. */
static const int8_t slots[TX_SLOTS] = {
	X86_RBP, X86_R14, X86_R15, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_R10, X86_R11,
};

static bool callee_saved(int host) { return host == X86_RBP || host == X86_R14 || host == X86_R15; }

void tx_regs_plan(struct tx *t)
{
	unsigned uses[32] = { 0 };

	for (unsigned n = 0; n <= t->blk->ninsns; n++) {
		const struct rv_insn *i = &t->blk->insns[n];

		/* Over-counting fields an operation does not use only costs
		 * a load: every access to a cached register goes through it. */
		uses[i->rd]++;
		uses[i->rs1]++;
		uses[i->rs2]++;
		if (n == t->blk->ninsns || rv_op_ends_block((enum rv_op)i->op))
			break;
	}
	uses[0] = 0;
	for (unsigned r = 0; r < 32; r++)
		t->slot[r] = -1;
	t->cached = t->dirty = 0;
	for (unsigned k = 0; k < TX_SLOTS; k++) {
		unsigned best = 0;

		for (unsigned r = 1; r < 32; r++)
			if (uses[r] > uses[best])
				best = r;
		if (uses[best] < 2)
			break;
		t->slot[best] = slots[k];
		t->cached |= 1u << best;
		uses[best] = 0;
	}
}

void tx_regs_enter(struct tx *t)
{
	for (unsigned r = 1; r < 32; r++)
		if (t->cached & (1u << r))
			x86_mov_rm(t->b, true, t->slot[r], tx_xreg(r));
}

void tx_regs_sync(struct tx *t)
{
	for (unsigned r = 1; r < 32; r++)
		if (t->dirty & (1u << r))
			x86_mov_mr(t->b, true, tx_xreg(r), t->slot[r]);
	t->dirty = 0;
}

void tx_regs_reload(struct tx *t, bool all)
{
	for (unsigned r = 1; r < 32; r++)
		if ((t->cached & (1u << r)) && (all || !callee_saved(t->slot[r])))
			x86_mov_rm(t->b, true, t->slot[r], tx_xreg(r));
}

void tx_read(struct tx *t, unsigned r, int host)
{
	if (r == 0)
		x86_alu_rr(t->b, X86_XOR, false, host, host);
	else if (t->slot[r] == host)
		return;
	else if (t->slot[r] >= 0)
		x86_mov_rr(t->b, true, host, t->slot[r]);
	else
		x86_mov_rm(t->b, true, host, tx_xreg(r));
}

void tx_write(struct tx *t, unsigned r, int host)
{
	if (r == 0)
		return;
	if (t->slot[r] >= 0) {
		if (t->slot[r] != host)
			x86_mov_rr(t->b, true, t->slot[r], host);
		t->dirty |= 1u << r;
	} else {
		x86_mov_mr(t->b, true, tx_xreg(r), host);
	}
}

void tx_write_const(struct tx *t, unsigned r, uint64_t v)
{
	if (r == 0)
		return;
	if (t->slot[r] >= 0) {
		x86_mov_ri64(t->b, t->slot[r], v);
		t->dirty |= 1u << r;
	} else if ((int64_t)v == (int32_t)v) {
		x86_mov_mi(t->b, true, tx_xreg(r), (int32_t)v);
	} else {
		x86_mov_ri64(t->b, X86_RCX, v);
		x86_mov_mr(t->b, true, tx_xreg(r), X86_RCX);
	}
}

void tx_alu_src(struct tx *t, enum x86_alu op, bool w64, int dst, unsigned r)
{
	if (t->slot[r] >= 0)
		x86_alu_rr(t->b, op, w64, dst, t->slot[r]);
	else
		x86_alu_rm(t->b, op, w64, dst, tx_xreg(r));   /* x0 reads 0 from memory */
}

void tx_imul_src(struct tx *t, bool w64, int dst, unsigned r)
{
	if (t->slot[r] >= 0)
		x86_imul_rr(t->b, w64, dst, t->slot[r]);
	else
		x86_imul_rm(t->b, w64, dst, tx_xreg(r));
}

int tx_dst(struct tx *t, unsigned rd, int avoid_rs)
{
	if (rd == 0 || t->slot[rd] < 0 || (avoid_rs >= 0 && (unsigned)avoid_rs == rd))
		return X86_RAX;
	return t->slot[rd];
}

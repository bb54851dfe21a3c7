/*
 * Direct helpers for F/D arithmetic called from translated code.
 *
 * dbt_helper_exec() can run any instruction, but it sets up a small block
 * for the interpreter's handlers on every call, which costs more than the
 * arithmetic in FP-heavy loops.  These helpers do one operation each with
 * the same fpu.h/fpu_fast.h functions and the same NaN-boxing as
 * interp_fp_body.h, and the same calling convention: (cpu, insn) ->
 * RV_EXIT_NONE, or the exit.  A reserved dynamic rounding mode (an illegal
 * instruction) is left to dbt_helper_exec() so that it reports it exactly
 * as the interpreter does.
 */
#include "rv64/alu.h"
#include "rv64/dbt/dbt_internal.h"
#include "rv64/fp_box.h"
#include "rv64/fpu.h"
#include "rv64/fpu_fast.h"

#define FS(r) rv_unbox_s(cpu->f[r])
#define FD(r) (cpu->f[r])
#define FF (&cpu->fflags)

/* Resolve the rounding mode into rm_, or hand the instruction over. */
#define RESOLVE_RM() unsigned rm_ = ip->rm;                         \
	if (rm_ == RV_RM_DYN) {                                     \
		rm_ = cpu->frm;                                     \
		if (rm_ > RV_RM_RMM)                                \
			return dbt_helper_exec(cpu, ip);            \
	}

#define HELPER(name) static uint64_t fp_##name(struct rv_cpu *cpu, const struct rv_insn *ip)

#define FP2_D(name, fn) HELPER(name) { RESOLVE_RM()                         \
	cpu->f[ip->rd] = fn(FD(ip->rs1), FD(ip->rs2), (int)rm_, FF); return 0; }
#define FP2_S(name, fn) HELPER(name) { RESOLVE_RM()                         \
	cpu->f[ip->rd] = rv_box_s(fn(FS(ip->rs1), FS(ip->rs2), (int)rm_, FF)); return 0; }
#define FP3_D(name, fn) HELPER(name) { RESOLVE_RM()                         \
	cpu->f[ip->rd] = fn(FD(ip->rs1), FD(ip->rs2), FD(ip->rs3), (int)rm_, FF); return 0; }
#define FP3_S(name, fn) HELPER(name) { RESOLVE_RM()                         \
	cpu->f[ip->rd] = rv_box_s(fn(FS(ip->rs1), FS(ip->rs2), FS(ip->rs3), (int)rm_, FF)); \
	return 0; }
/* Results in integer registers: x0 stays zero. */
#define TO_X(name, expr) HELPER(name) { RESOLVE_RM() (void)rm_;              \
	uint64_t r_ = (uint64_t)(expr);                                     \
	if (ip->rd)                                                         \
		cpu->x[ip->rd] = r_;                                        \
	return 0; }
#define TO_D(name, expr) HELPER(name) { RESOLVE_RM() cpu->f[ip->rd] = (expr); return 0; }
#define TO_S(name, expr) HELPER(name) { RESOLVE_RM() cpu->f[ip->rd] = rv_box_s(expr); return 0; }

FP2_D(FADD_D, fpu_fast_add_d)
FP2_D(FSUB_D, fpu_fast_sub_d)
FP2_D(FMUL_D, fpu_fast_mul_d)
FP2_D(FDIV_D, fpu_fast_div_d)
FP2_S(FADD_S, fpu_fast_add_s)
FP2_S(FSUB_S, fpu_fast_sub_s)
FP2_S(FMUL_S, fpu_fast_mul_s)
FP2_S(FDIV_S, fpu_fast_div_s)
FP3_D(FMADD_D, fpu_fmadd_d)
FP3_D(FMSUB_D, fpu_fmsub_d)
FP3_D(FNMSUB_D, fpu_fnmsub_d)
FP3_D(FNMADD_D, fpu_fnmadd_d)
FP3_S(FMADD_S, fpu_fmadd_s)
FP3_S(FMSUB_S, fpu_fmsub_s)
FP3_S(FNMSUB_S, fpu_fnmsub_s)
FP3_S(FNMADD_S, fpu_fnmadd_s)
TO_D(FSQRT_D, fpu_sqrt_d(FD(ip->rs1), (int)rm_, FF))
TO_S(FSQRT_S, fpu_sqrt_s(FS(ip->rs1), (int)rm_, FF))

/* no rounding mode: RESOLVE_RM only ever sees a valid static field */
TO_D(FMIN_D, fpu_min_d(FD(ip->rs1), FD(ip->rs2), FF))
TO_D(FMAX_D, fpu_max_d(FD(ip->rs1), FD(ip->rs2), FF))
TO_S(FMIN_S, fpu_min_s(FS(ip->rs1), FS(ip->rs2), FF))
TO_S(FMAX_S, fpu_max_s(FS(ip->rs1), FS(ip->rs2), FF))

HELPER(FEQ_D) { uint64_t r = fpu_eq_d(FD(ip->rs1), FD(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }
HELPER(FLT_D) { uint64_t r = fpu_lt_d(FD(ip->rs1), FD(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }
HELPER(FLE_D) { uint64_t r = fpu_le_d(FD(ip->rs1), FD(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }
HELPER(FEQ_S) { uint64_t r = fpu_eq_s(FS(ip->rs1), FS(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }
HELPER(FLT_S) { uint64_t r = fpu_lt_s(FS(ip->rs1), FS(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }
HELPER(FLE_S) { uint64_t r = fpu_le_s(FS(ip->rs1), FS(ip->rs2), FF); if (ip->rd) cpu->x[ip->rd] = r; return 0; }

TO_X(FCVT_W_D, fpu_cvt_w_d(FD(ip->rs1), (int)rm_, FF))
TO_X(FCVT_WU_D, fpu_cvt_wu_d(FD(ip->rs1), (int)rm_, FF))
TO_X(FCVT_L_D, fpu_cvt_l_d(FD(ip->rs1), (int)rm_, FF))
TO_X(FCVT_LU_D, fpu_cvt_lu_d(FD(ip->rs1), (int)rm_, FF))
TO_X(FCVT_W_S, fpu_cvt_w_s(FS(ip->rs1), (int)rm_, FF))
TO_X(FCVT_WU_S, fpu_cvt_wu_s(FS(ip->rs1), (int)rm_, FF))
TO_X(FCVT_L_S, fpu_cvt_l_s(FS(ip->rs1), (int)rm_, FF))
TO_X(FCVT_LU_S, fpu_cvt_lu_s(FS(ip->rs1), (int)rm_, FF))
TO_D(FCVT_D_W, fpu_cvt_d_w((int32_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_D(FCVT_D_WU, fpu_cvt_d_wu((uint32_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_D(FCVT_D_L, fpu_cvt_d_l((int64_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_D(FCVT_D_LU, fpu_cvt_d_lu(cpu->x[ip->rs1], (int)rm_, FF))
TO_D(FCVT_D_S, fpu_cvt_d_s(FS(ip->rs1), (int)rm_, FF))
TO_S(FCVT_S_W, fpu_cvt_s_w((int32_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_S(FCVT_S_WU, fpu_cvt_s_wu((uint32_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_S(FCVT_S_L, fpu_cvt_s_l((int64_t)cpu->x[ip->rs1], (int)rm_, FF))
TO_S(FCVT_S_LU, fpu_cvt_s_lu(cpu->x[ip->rs1], (int)rm_, FF))
TO_S(FCVT_S_D, fpu_cvt_s_d(FD(ip->rs1), (int)rm_, FF))

dbt_exec_fn dbt_fp_helper(enum rv_op op)
{
	switch (op) {
#define F(name) case RV_OP_##name: return fp_##name;
	F(FADD_D) F(FSUB_D) F(FMUL_D) F(FDIV_D) F(FADD_S) F(FSUB_S) F(FMUL_S) F(FDIV_S)
	F(FMADD_D) F(FMSUB_D) F(FNMSUB_D) F(FNMADD_D)
	F(FMADD_S) F(FMSUB_S) F(FNMSUB_S) F(FNMADD_S)
	F(FSQRT_D) F(FSQRT_S) F(FMIN_D) F(FMAX_D) F(FMIN_S) F(FMAX_S)
	F(FEQ_D) F(FLT_D) F(FLE_D) F(FEQ_S) F(FLT_S) F(FLE_S)
	F(FCVT_W_D) F(FCVT_WU_D) F(FCVT_L_D) F(FCVT_LU_D)
	F(FCVT_W_S) F(FCVT_WU_S) F(FCVT_L_S) F(FCVT_LU_S)
	F(FCVT_D_W) F(FCVT_D_WU) F(FCVT_D_L) F(FCVT_D_LU) F(FCVT_D_S)
	F(FCVT_S_W) F(FCVT_S_WU) F(FCVT_S_L) F(FCVT_S_LU) F(FCVT_S_D)
#undef F
	default:
		return NULL;
	}
}

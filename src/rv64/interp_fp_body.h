/*
 * F and D instruction handlers, part of the interp_body.h template (see
 * there for the context it expects).  Arithmetic goes through fpu.h, which
 * implements RISC-V rounding, flags and NaN rules exactly; this file only
 * does register access, NaN-boxing, rounding-mode resolution and the bit
 * operations (sign injection, moves, loads and stores).
 */

/* ------------------------------------------------------- loads, stores */
op_FLW: {
	uint32_t v_ = 0;   /* set by LOAD unless it leaves */
	LOAD(uint32_t, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, v_);
	SET_FS(ip->rd, v_);
	NEXT();
}
op_FLD: {
	uint64_t v_ = 0;   /* set by LOAD unless it leaves */
	LOAD(uint64_t, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, v_);
	cpu->f[ip->rd] = v_;
	NEXT();
}
op_FSW:   /* a transfer: the low 32 bits whether boxed or not */
	STORE(uint32_t, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, (uint32_t)cpu->f[ip->rs2]);
	NEXT();
op_FSD:
	STORE(uint64_t, X[ip->rs1] + (uint64_t)(int64_t)ip->imm, cpu->f[ip->rs2]);
	NEXT();

/* ---------------------------------------------------------- arithmetic */
#define FP3_S(name, fn) op_##name: { FP_RM(rm_); \
	SET_FS(ip->rd, fn(FS(ip->rs1), FS(ip->rs2), FS(ip->rs3), (int)rm_, FF)); NEXT(); }
#define FP2_S(name, fn) op_##name: { FP_RM(rm_); \
	SET_FS(ip->rd, fn(FS(ip->rs1), FS(ip->rs2), (int)rm_, FF)); NEXT(); }
#define FP3_D(name, fn) op_##name: { FP_RM(rm_); \
	cpu->f[ip->rd] = fn(FD(ip->rs1), FD(ip->rs2), FD(ip->rs3), (int)rm_, FF); NEXT(); }
#define FP2_D(name, fn) op_##name: { FP_RM(rm_); \
	cpu->f[ip->rd] = fn(FD(ip->rs1), FD(ip->rs2), (int)rm_, FF); NEXT(); }

FP3_S(FMADD_S, fpu_fmadd_s)
FP3_S(FMSUB_S, fpu_fmsub_s)
FP3_S(FNMSUB_S, fpu_fnmsub_s)
FP3_S(FNMADD_S, fpu_fnmadd_s)
FP2_S(FADD_S, fpu_fast_add_s)
FP2_S(FSUB_S, fpu_fast_sub_s)
FP2_S(FMUL_S, fpu_fast_mul_s)
FP2_S(FDIV_S, fpu_fast_div_s)
FP3_D(FMADD_D, fpu_fmadd_d)
FP3_D(FMSUB_D, fpu_fmsub_d)
FP3_D(FNMSUB_D, fpu_fnmsub_d)
FP3_D(FNMADD_D, fpu_fnmadd_d)
FP2_D(FADD_D, fpu_fast_add_d)
FP2_D(FSUB_D, fpu_fast_sub_d)
FP2_D(FMUL_D, fpu_fast_mul_d)
FP2_D(FDIV_D, fpu_fast_div_d)

op_FSQRT_S: {
	FP_RM(rm_);
	SET_FS(ip->rd, fpu_sqrt_s(FS(ip->rs1), (int)rm_, FF));
	NEXT();
}
op_FSQRT_D: {
	FP_RM(rm_);
	cpu->f[ip->rd] = fpu_sqrt_d(FD(ip->rs1), (int)rm_, FF);
	NEXT();
}

/* ----------------------------------------------- sign injection, min/max */
#define SGN_S 0x80000000u
#define SGN_D 0x8000000000000000ull
op_FSGNJ_S:
	SET_FS(ip->rd, (FS(ip->rs1) & ~SGN_S) | (FS(ip->rs2) & SGN_S));
	NEXT();
op_FSGNJN_S:
	SET_FS(ip->rd, (FS(ip->rs1) & ~SGN_S) | (~FS(ip->rs2) & SGN_S));
	NEXT();
op_FSGNJX_S:
	SET_FS(ip->rd, FS(ip->rs1) ^ (FS(ip->rs2) & SGN_S));
	NEXT();
op_FSGNJ_D:
	cpu->f[ip->rd] = (FD(ip->rs1) & ~SGN_D) | (FD(ip->rs2) & SGN_D);
	NEXT();
op_FSGNJN_D:
	cpu->f[ip->rd] = (FD(ip->rs1) & ~SGN_D) | (~FD(ip->rs2) & SGN_D);
	NEXT();
op_FSGNJX_D:
	cpu->f[ip->rd] = FD(ip->rs1) ^ (FD(ip->rs2) & SGN_D);
	NEXT();
#undef SGN_S
#undef SGN_D
op_FMIN_S:
	SET_FS(ip->rd, fpu_min_s(FS(ip->rs1), FS(ip->rs2), FF));
	NEXT();
op_FMAX_S:
	SET_FS(ip->rd, fpu_max_s(FS(ip->rs1), FS(ip->rs2), FF));
	NEXT();
op_FMIN_D:
	cpu->f[ip->rd] = fpu_min_d(FD(ip->rs1), FD(ip->rs2), FF);
	NEXT();
op_FMAX_D:
	cpu->f[ip->rd] = fpu_max_d(FD(ip->rs1), FD(ip->rs2), FF);
	NEXT();

/* ------------------------------------------------ compares and classify */
#define FCMP(name, expr) op_##name: { uint64_t r_ = (expr); WRX(ip->rd, r_); NEXT(); }
FCMP(FEQ_S, fpu_eq_s(FS(ip->rs1), FS(ip->rs2), FF))
FCMP(FLT_S, fpu_lt_s(FS(ip->rs1), FS(ip->rs2), FF))
FCMP(FLE_S, fpu_le_s(FS(ip->rs1), FS(ip->rs2), FF))
FCMP(FCLASS_S, fpu_class_s(FS(ip->rs1)))
FCMP(FEQ_D, fpu_eq_d(FD(ip->rs1), FD(ip->rs2), FF))
FCMP(FLT_D, fpu_lt_d(FD(ip->rs1), FD(ip->rs2), FF))
FCMP(FLE_D, fpu_le_d(FD(ip->rs1), FD(ip->rs2), FF))
FCMP(FCLASS_D, fpu_class_d(FD(ip->rs1)))
/* moves to integer registers: transfers, no boxing check */
FCMP(FMV_X_W, rv_sext32(cpu->f[ip->rs1]))
FCMP(FMV_X_D, cpu->f[ip->rs1])
#undef FCMP

op_FMV_W_X:
	SET_FS(ip->rd, (uint32_t)X[ip->rs1]);
	NEXT();
op_FMV_D_X:
	cpu->f[ip->rd] = X[ip->rs1];
	NEXT();

/* ---------------------------------------------------------- conversions */
#define CVT_TO_X(name, expr) op_##name: { FP_RM(rm_); \
	uint64_t r_ = (uint64_t)(expr); WRX(ip->rd, r_); NEXT(); }
CVT_TO_X(FCVT_W_S, fpu_cvt_w_s(FS(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_WU_S, fpu_cvt_wu_s(FS(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_L_S, fpu_cvt_l_s(FS(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_LU_S, fpu_cvt_lu_s(FS(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_W_D, fpu_cvt_w_d(FD(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_WU_D, fpu_cvt_wu_d(FD(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_L_D, fpu_cvt_l_d(FD(ip->rs1), (int)rm_, FF))
CVT_TO_X(FCVT_LU_D, fpu_cvt_lu_d(FD(ip->rs1), (int)rm_, FF))
#undef CVT_TO_X

#define CVT_TO_S(name, expr) op_##name: { FP_RM(rm_); SET_FS(ip->rd, (expr)); NEXT(); }
#define CVT_TO_D(name, expr) op_##name: { FP_RM(rm_); cpu->f[ip->rd] = (expr); NEXT(); }
CVT_TO_S(FCVT_S_W, fpu_cvt_s_w((int32_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_S(FCVT_S_WU, fpu_cvt_s_wu((uint32_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_S(FCVT_S_L, fpu_cvt_s_l((int64_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_S(FCVT_S_LU, fpu_cvt_s_lu(X[ip->rs1], (int)rm_, FF))
CVT_TO_S(FCVT_S_D, fpu_cvt_s_d(FD(ip->rs1), (int)rm_, FF))
CVT_TO_D(FCVT_D_W, fpu_cvt_d_w((int32_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_D(FCVT_D_WU, fpu_cvt_d_wu((uint32_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_D(FCVT_D_L, fpu_cvt_d_l((int64_t)X[ip->rs1], (int)rm_, FF))
CVT_TO_D(FCVT_D_LU, fpu_cvt_d_lu(X[ip->rs1], (int)rm_, FF))
CVT_TO_D(FCVT_D_S, fpu_cvt_d_s(FS(ip->rs1), (int)rm_, FF))
#undef CVT_TO_S
#undef CVT_TO_D
#undef FP3_S
#undef FP2_S
#undef FP3_D
#undef FP2_D

/*
 * Decoder for the F and D extensions: FP loads/stores, the fused
 * multiply-adds and OP-FP.  Only the S (fmt 0) and D (fmt 1) formats exist.
 * The rm field is kept in insn.rm; the reserved static modes 5 and 6 are
 * rejected here, while rm = 7 (dynamic) is checked against frm at run time
 * by the engine because frm can change.
 */
#include "rv64/decode_internal.h"

/* Whether an instruction with an rm field has a legal static value. */
static bool rm_ok(uint32_t b)
{
	unsigned rm = field(b, 14, 12);

	return rm != 5 && rm != 6;
}

static void set_fp(struct rv_insn *d, uint32_t b, enum rv_op op)
{
	set_op(d, op, field(b, 11, 7), field(b, 19, 15), field(b, 24, 20), 0);
	d->rs3 = (uint8_t)field(b, 31, 27);
	d->rm = (uint8_t)field(b, 14, 12);
}

static void decode_fp_mem(uint32_t b, struct rv_insn *d, bool store)
{
	unsigned w = field(b, 14, 12);
	enum rv_op op;

	if (w == 2)
		op = store ? RV_OP_FSW : RV_OP_FLW;
	else if (w == 3)
		op = store ? RV_OP_FSD : RV_OP_FLD;
	else {
		set_illegal(d, b);
		return;
	}
	if (store)
		set_op(d, op, 0, field(b, 19, 15), field(b, 24, 20),
		       sext(field(b, 31, 25) << 5 | field(b, 11, 7), 12));
	else
		set_op(d, op, field(b, 11, 7), field(b, 19, 15), 0, sext(field(b, 31, 20), 12));
}

static void decode_fma(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op s[4] = { RV_OP_FMADD_S, RV_OP_FMSUB_S, RV_OP_FNMSUB_S, RV_OP_FNMADD_S };
	static const enum rv_op dd[4] = { RV_OP_FMADD_D, RV_OP_FMSUB_D, RV_OP_FNMSUB_D, RV_OP_FNMADD_D };
	unsigned fmt = field(b, 26, 25), which = field(b, 3, 2);

	if (fmt > 1 || !rm_ok(b))
		set_illegal(d, b);
	else
		set_fp(d, b, fmt ? dd[which] : s[which]);
}

/* funct7 with the format bit folded away: returns the op for S or D. */
static enum rv_op op_fp_kind(uint32_t b, bool dbl)
{
	unsigned f5 = field(b, 31, 27), f3 = field(b, 14, 12), rs2 = field(b, 24, 20);

#define SD(s_, d_) (dbl ? RV_OP_##d_ : RV_OP_##s_)
	switch (f5) {
	case 0x00: return rm_ok(b) ? SD(FADD_S, FADD_D) : RV_OP_ILLEGAL;
	case 0x01: return rm_ok(b) ? SD(FSUB_S, FSUB_D) : RV_OP_ILLEGAL;
	case 0x02: return rm_ok(b) ? SD(FMUL_S, FMUL_D) : RV_OP_ILLEGAL;
	case 0x03: return rm_ok(b) ? SD(FDIV_S, FDIV_D) : RV_OP_ILLEGAL;
	case 0x0b: return rs2 == 0 && rm_ok(b) ? SD(FSQRT_S, FSQRT_D) : RV_OP_ILLEGAL;
	case 0x04:
		return f3 == 0 ? SD(FSGNJ_S, FSGNJ_D) : f3 == 1 ? SD(FSGNJN_S, FSGNJN_D) :
		       f3 == 2 ? SD(FSGNJX_S, FSGNJX_D) : RV_OP_ILLEGAL;
	case 0x05:
		return f3 == 0 ? SD(FMIN_S, FMIN_D) : f3 == 1 ? SD(FMAX_S, FMAX_D) : RV_OP_ILLEGAL;
	case 0x08:  /* fcvt.s.d (fmt S, rs2 1) and fcvt.d.s (fmt D, rs2 0) */
		if (!rm_ok(b))
			return RV_OP_ILLEGAL;
		if (!dbl && rs2 == 1)
			return RV_OP_FCVT_S_D;
		if (dbl && rs2 == 0)
			return RV_OP_FCVT_D_S;
		return RV_OP_ILLEGAL;
	case 0x14:
		return f3 == 0 ? SD(FLE_S, FLE_D) : f3 == 1 ? SD(FLT_S, FLT_D) :
		       f3 == 2 ? SD(FEQ_S, FEQ_D) : RV_OP_ILLEGAL;
	case 0x18:
		if (!rm_ok(b) || rs2 > 3)
			return RV_OP_ILLEGAL;
		return rs2 == 0 ? SD(FCVT_W_S, FCVT_W_D) : rs2 == 1 ? SD(FCVT_WU_S, FCVT_WU_D) :
		       rs2 == 2 ? SD(FCVT_L_S, FCVT_L_D) : SD(FCVT_LU_S, FCVT_LU_D);
	case 0x1a:
		if (!rm_ok(b) || rs2 > 3)
			return RV_OP_ILLEGAL;
		return rs2 == 0 ? SD(FCVT_S_W, FCVT_D_W) : rs2 == 1 ? SD(FCVT_S_WU, FCVT_D_WU) :
		       rs2 == 2 ? SD(FCVT_S_L, FCVT_D_L) : SD(FCVT_S_LU, FCVT_D_LU);
	case 0x1c:
		if (rs2 != 0)
			return RV_OP_ILLEGAL;
		return f3 == 0 ? SD(FMV_X_W, FMV_X_D) : f3 == 1 ? SD(FCLASS_S, FCLASS_D) : RV_OP_ILLEGAL;
	case 0x1e:
		return rs2 == 0 && f3 == 0 ? SD(FMV_W_X, FMV_D_X) : RV_OP_ILLEGAL;
	}
#undef SD
	return RV_OP_ILLEGAL;
}

static void decode_op_fp(uint32_t b, struct rv_insn *d)
{
	unsigned fmt = field(b, 26, 25);
	enum rv_op op = fmt > 1 ? RV_OP_ILLEGAL : op_fp_kind(b, fmt == 1);

	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_fp(d, b, op);
}

void rv_decode_fp(uint32_t b, struct rv_insn *d)
{
	switch (field(b, 6, 0)) {
	case 0x07: decode_fp_mem(b, d, false); break;
	case 0x27: decode_fp_mem(b, d, true); break;
	case 0x53: decode_op_fp(b, d); break;
	default: decode_fma(b, d); break;
	}
}

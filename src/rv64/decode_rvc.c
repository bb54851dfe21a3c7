/*
 * Decoder for the RV64 compressed (C) extension, including the FP forms
 * c.fld/c.fsd/c.fldsp/c.fsdsp.  Each instruction is expanded to the base
 * operation it stands for.  Encodings the spec reserves (c.addi4spn with a
 * zero immediate, c.lui/c.addi16sp with zero, c.addiw/c.lwsp/c.ldsp with
 * rd = x0, c.jr with rs1 = x0, the Zcb space) are illegal; HINT encodings
 * execute as no-ops.
 */
#include "rv64/decode_internal.h"

/* The 3-bit register fields name x8..x15. */
static unsigned creg(uint32_t b, int lo) { return 8 + field(b, lo + 2, lo); }

/* Immediates, assembled from their scattered bits. */
static uint32_t imm_addi4spn(uint32_t b)
{
	return field(b, 12, 11) << 4 | field(b, 10, 7) << 6 | field(b, 6, 6) << 2 | field(b, 5, 5) << 3;
}
static uint32_t imm_ld(uint32_t b) { return field(b, 12, 10) << 3 | field(b, 6, 5) << 6; }
static uint32_t imm_lw(uint32_t b) { return field(b, 12, 10) << 3 | field(b, 6, 6) << 2 | field(b, 5, 5) << 6; }
static int32_t imm_ci(uint32_t b) { return sext(field(b, 12, 12) << 5 | field(b, 6, 2), 6); }

static int32_t imm_cj(uint32_t b)
{
	return sext(field(b, 12, 12) << 11 | field(b, 11, 11) << 4 | field(b, 10, 9) << 8 |
		    field(b, 8, 8) << 10 | field(b, 7, 7) << 6 | field(b, 6, 6) << 7 |
		    field(b, 5, 3) << 1 | field(b, 2, 2) << 5, 12);
}

static int32_t imm_cb(uint32_t b)
{
	return sext(field(b, 12, 12) << 8 | field(b, 11, 10) << 3 | field(b, 6, 5) << 6 |
		    field(b, 4, 3) << 1 | field(b, 2, 2) << 5, 9);
}

static int32_t imm_addi16sp(uint32_t b)
{
	return sext(field(b, 12, 12) << 9 | field(b, 6, 6) << 4 | field(b, 5, 5) << 6 |
		    field(b, 4, 3) << 7 | field(b, 2, 2) << 5, 10);
}

static void quadrant0(uint32_t b, struct rv_insn *d)
{
	unsigned rd = creg(b, 2), rs1 = creg(b, 7);

	switch (field(b, 15, 13)) {
	case 0: {
		uint32_t imm = imm_addi4spn(b);
		if (imm == 0)   /* includes the all-zero parcel */
			set_illegal(d, b);
		else
			set_op(d, RV_OP_ADDI, rd, 2, 0, (int32_t)imm);
		break;
	}
	case 1: set_op(d, RV_OP_FLD, rd, rs1, 0, (int32_t)imm_ld(b)); break;
	case 2: set_op(d, RV_OP_LW, rd, rs1, 0, (int32_t)imm_lw(b)); break;
	case 3: set_op(d, RV_OP_LD, rd, rs1, 0, (int32_t)imm_ld(b)); break;
	case 5: set_op(d, RV_OP_FSD, 0, rs1, rd, (int32_t)imm_ld(b)); break;
	case 6: set_op(d, RV_OP_SW, 0, rs1, rd, (int32_t)imm_lw(b)); break;
	case 7: set_op(d, RV_OP_SD, 0, rs1, rd, (int32_t)imm_ld(b)); break;
	default: set_illegal(d, b); break;
	}
}

/* c.srli, c.srai, c.andi and the register-register group. */
static void quadrant1_alu(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op rr[8] = {
		RV_OP_SUB, RV_OP_XOR, RV_OP_OR, RV_OP_AND,
		RV_OP_SUBW, RV_OP_ADDW, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
	};
	unsigned rd = creg(b, 7), rs2 = creg(b, 2);
	int32_t shamt = (int32_t)(field(b, 12, 12) << 5 | field(b, 6, 2));
	enum rv_op op;

	switch (field(b, 11, 10)) {
	case 0: set_op(d, RV_OP_SRLI, rd, rd, 0, shamt); return;
	case 1: set_op(d, RV_OP_SRAI, rd, rd, 0, shamt); return;
	case 2: set_op(d, RV_OP_ANDI, rd, rd, 0, imm_ci(b)); return;
	}
	op = rr[field(b, 12, 12) << 2 | field(b, 6, 5)];
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_op(d, op, rd, rd, rs2, 0);
}

static void quadrant1(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7);

	switch (field(b, 15, 13)) {
	case 0: set_pure(d, RV_OP_ADDI, rd, rd, 0, imm_ci(b)); break;
	case 1:
		if (rd == 0)
			set_illegal(d, b);
		else
			set_op(d, RV_OP_ADDIW, rd, rd, 0, imm_ci(b));
		break;
	case 2: set_pure(d, RV_OP_LI, rd, 0, 0, imm_ci(b)); break;
	case 3:
		if (rd == 2) {
			int32_t imm = imm_addi16sp(b);
			if (imm == 0)
				set_illegal(d, b);
			else
				set_op(d, RV_OP_ADDI, 2, 2, 0, imm);
		} else {
			int32_t imm = imm_ci(b);
			if (imm == 0)
				set_illegal(d, b);
			else   /* imm << 12 without shifting a negative value */
				set_pure(d, RV_OP_LUI, rd, 0, 0, (int32_t)((uint32_t)imm << 12));
		}
		break;
	case 4: quadrant1_alu(b, d); break;
	case 5: set_op(d, RV_OP_J, 0, 0, 0, imm_cj(b)); break;
	case 6: set_op(d, RV_OP_BEQ, 0, creg(b, 7), 0, imm_cb(b)); break;
	case 7: set_op(d, RV_OP_BNE, 0, creg(b, 7), 0, imm_cb(b)); break;
	}
}

/* c.jr, c.mv, c.ebreak, c.jalr, c.add */
static void quadrant2_jr_mv_add(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7), rs2 = field(b, 6, 2);

	if (field(b, 12, 12) == 0) {
		if (rs2 != 0)
			set_pure(d, RV_OP_MV, rd, rs2, 0, 0);
		else if (rd == 0)
			set_illegal(d, b);
		else
			set_op(d, RV_OP_JR, 0, rd, 0, 0);
	} else {
		if (rs2 != 0)
			set_pure(d, RV_OP_ADD, rd, rd, rs2, 0);
		else if (rd == 0)
			set_op(d, RV_OP_EBREAK, 0, 0, 0, 0);
		else
			set_op(d, RV_OP_JALR, 1, rd, 0, 0);
	}
}

static void quadrant2(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7), rs2 = field(b, 6, 2);
	uint32_t ldsp = field(b, 12, 12) << 5 | field(b, 6, 5) << 3 | field(b, 4, 2) << 6;
	uint32_t lwsp = field(b, 12, 12) << 5 | field(b, 6, 4) << 2 | field(b, 3, 2) << 6;
	uint32_t sdsp = field(b, 12, 10) << 3 | field(b, 9, 7) << 6;
	uint32_t swsp = field(b, 12, 9) << 2 | field(b, 8, 7) << 6;

	switch (field(b, 15, 13)) {
	case 0:
		set_pure(d, RV_OP_SLLI, rd, rd, 0, (int32_t)(field(b, 12, 12) << 5 | rs2));
		break;
	case 1: set_op(d, RV_OP_FLD, rd, 2, 0, (int32_t)ldsp); break;
	case 2:
		if (rd == 0)
			set_illegal(d, b);
		else
			set_op(d, RV_OP_LW, rd, 2, 0, (int32_t)lwsp);
		break;
	case 3:
		if (rd == 0)
			set_illegal(d, b);
		else
			set_op(d, RV_OP_LD, rd, 2, 0, (int32_t)ldsp);
		break;
	case 4: quadrant2_jr_mv_add(b, d); break;
	case 5: set_op(d, RV_OP_FSD, 0, 2, rs2, (int32_t)sdsp); break;
	case 6: set_op(d, RV_OP_SW, 0, 2, rs2, (int32_t)swsp); break;
	case 7: set_op(d, RV_OP_SD, 0, 2, rs2, (int32_t)sdsp); break;
	}
}

void rv_decode_rvc(uint32_t b, struct rv_insn *d)
{
	switch (b & 3) {
	case 0: quadrant0(b, d); break;
	case 1: quadrant1(b, d); break;
	case 2: quadrant2(b, d); break;
	default: set_illegal(d, b); break;
	}
}

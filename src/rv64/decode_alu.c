/*
 * Decoder for the integer arithmetic groups: OP, OP-32, OP-IMM and
 * OP-IMM-32, covering RV64I, M, Zba, Zbb and Zbs.  All of these only write
 * rd, so rd = x0 decodes to NOP; ADDI is further split into LI and MV, the
 * two forms compilers emit most.
 */
#include "rv64/decode_internal.h"

void rv_decode_op(uint32_t b, struct rv_insn *d)
{
	unsigned f7 = field(b, 31, 25), f3 = field(b, 14, 12);
	unsigned rd = field(b, 11, 7), rs1 = field(b, 19, 15), rs2 = field(b, 24, 20);
	enum rv_op op = RV_OP_ILLEGAL;

	switch (f7) {
	case 0x00: {
		static const enum rv_op t[8] = {
			RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
			RV_OP_XOR, RV_OP_SRL, RV_OP_OR, RV_OP_AND,
		};
		op = t[f3];
		break;
	}
	case 0x01: {
		static const enum rv_op t[8] = {
			RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
			RV_OP_DIV, RV_OP_DIVU, RV_OP_REM, RV_OP_REMU,
		};
		op = t[f3];
		break;
	}
	case 0x20: {
		static const enum rv_op t[8] = {
			RV_OP_SUB, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
			RV_OP_XNOR, RV_OP_SRA, RV_OP_ORN, RV_OP_ANDN,
		};
		op = t[f3];
		break;
	}
	case 0x10:  /* sh1add/sh2add/sh3add at funct3 2/4/6 */
		op = f3 == 2 ? RV_OP_SH1ADD : f3 == 4 ? RV_OP_SH2ADD : f3 == 6 ? RV_OP_SH3ADD : op;
		break;
	case 0x05: {
		static const enum rv_op t[8] = {
			RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
			RV_OP_MIN, RV_OP_MINU, RV_OP_MAX, RV_OP_MAXU,
		};
		op = t[f3];
		break;
	}
	case 0x30:
		op = f3 == 1 ? RV_OP_ROL : f3 == 5 ? RV_OP_ROR : op;
		break;
	case 0x24:
		op = f3 == 1 ? RV_OP_BCLR : f3 == 5 ? RV_OP_BEXT : op;
		break;
	case 0x14:
		op = f3 == 1 ? RV_OP_BSET : op;
		break;
	case 0x34:
		op = f3 == 1 ? RV_OP_BINV : op;
		break;
	}
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_pure(d, op, rd, rs1, rs2, 0);
}

void rv_decode_op32(uint32_t b, struct rv_insn *d)
{
	unsigned f7 = field(b, 31, 25), f3 = field(b, 14, 12);
	unsigned rd = field(b, 11, 7), rs1 = field(b, 19, 15), rs2 = field(b, 24, 20);
	enum rv_op op = RV_OP_ILLEGAL;

	switch (f7) {
	case 0x00:
		op = f3 == 0 ? RV_OP_ADDW : f3 == 1 ? RV_OP_SLLW : f3 == 5 ? RV_OP_SRLW : op;
		break;
	case 0x20:
		op = f3 == 0 ? RV_OP_SUBW : f3 == 5 ? RV_OP_SRAW : op;
		break;
	case 0x01: {
		static const enum rv_op t[8] = {
			RV_OP_MULW, RV_OP_ILLEGAL, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
			RV_OP_DIVW, RV_OP_DIVUW, RV_OP_REMW, RV_OP_REMUW,
		};
		op = t[f3];
		break;
	}
	case 0x04:
		if (f3 == 0)
			op = RV_OP_ADD_UW;
		else if (f3 == 4 && rs2 == 0)
			op = RV_OP_ZEXT_H;
		break;
	case 0x10:
		op = f3 == 2 ? RV_OP_SH1ADD_UW : f3 == 4 ? RV_OP_SH2ADD_UW :
		     f3 == 6 ? RV_OP_SH3ADD_UW : op;
		break;
	case 0x30:
		op = f3 == 1 ? RV_OP_ROLW : f3 == 5 ? RV_OP_RORW : op;
		break;
	}
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_pure(d, op, rd, rs1, rs2, 0);
}

/* OP-IMM funct3 = 1: slli, the single-bit immediates and the unary Zbb ops. */
static enum rv_op opimm_f3_1(uint32_t b)
{
	unsigned f6 = field(b, 31, 26), imm = field(b, 31, 20);

	switch (f6) {
	case 0x00: return RV_OP_SLLI;
	case 0x12: return RV_OP_BCLRI;
	case 0x0a: return RV_OP_BSETI;
	case 0x1a: return RV_OP_BINVI;
	case 0x18:
		switch (imm) {
		case 0x600: return RV_OP_CLZ;
		case 0x601: return RV_OP_CTZ;
		case 0x602: return RV_OP_CPOP;
		case 0x604: return RV_OP_SEXT_B;
		case 0x605: return RV_OP_SEXT_H;
		}
	}
	return RV_OP_ILLEGAL;
}

/* OP-IMM funct3 = 5: right shifts, bexti, rori, orc.b and rev8. */
static enum rv_op opimm_f3_5(uint32_t b)
{
	unsigned f6 = field(b, 31, 26), imm = field(b, 31, 20);

	if (imm == 0x287)
		return RV_OP_ORC_B;
	if (imm == 0x6b8)
		return RV_OP_REV8;
	switch (f6) {
	case 0x00: return RV_OP_SRLI;
	case 0x10: return RV_OP_SRAI;
	case 0x12: return RV_OP_BEXTI;
	case 0x18: return RV_OP_RORI;
	}
	return RV_OP_ILLEGAL;
}

void rv_decode_opimm(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op plain[8] = {
		RV_OP_ADDI, RV_OP_ILLEGAL, RV_OP_SLTI, RV_OP_SLTIU,
		RV_OP_XORI, RV_OP_ILLEGAL, RV_OP_ORI, RV_OP_ANDI,
	};
	unsigned f3 = field(b, 14, 12), rd = field(b, 11, 7), rs1 = field(b, 19, 15);
	int32_t imm = sext(field(b, 31, 20), 12);
	enum rv_op op = plain[f3];

	if (f3 == 1 || f3 == 5) {
		op = f3 == 1 ? opimm_f3_1(b) : opimm_f3_5(b);
		imm = (int32_t)field(b, 25, 20);  /* shift amount / bit index */
	} else if (op == RV_OP_ADDI && rs1 == 0) {
		op = RV_OP_LI;
	} else if (op == RV_OP_ADDI && imm == 0) {
		op = RV_OP_MV;
	}
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_pure(d, op, rd, rs1, 0, imm);
}

void rv_decode_opimm32(uint32_t b, struct rv_insn *d)
{
	unsigned f3 = field(b, 14, 12), f7 = field(b, 31, 25), imm12 = field(b, 31, 20);
	unsigned rd = field(b, 11, 7), rs1 = field(b, 19, 15);
	int32_t imm = (int32_t)field(b, 24, 20);
	enum rv_op op = RV_OP_ILLEGAL;

	if (f3 == 0) {
		op = RV_OP_ADDIW;
		imm = sext(imm12, 12);
	} else if (f3 == 1) {
		if (f7 == 0x00)
			op = RV_OP_SLLIW;
		else if (field(b, 31, 26) == 0x02) {
			op = RV_OP_SLLI_UW;
			imm = (int32_t)field(b, 25, 20);
		} else if (imm12 == 0x600)
			op = RV_OP_CLZW;
		else if (imm12 == 0x601)
			op = RV_OP_CTZW;
		else if (imm12 == 0x602)
			op = RV_OP_CPOPW;
	} else if (f3 == 5) {
		op = f7 == 0x00 ? RV_OP_SRLIW : f7 == 0x20 ? RV_OP_SRAIW :
		     f7 == 0x30 ? RV_OP_RORIW : op;
	}
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_pure(d, op, rd, rs1, 0, imm);
}

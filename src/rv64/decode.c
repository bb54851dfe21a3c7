/*
 * Decoder entry point and the 32-bit encodings that are not arithmetic:
 * control transfer, loads and stores, atomics, fences and SYSTEM.  The
 * arithmetic groups live in decode_alu.c, F/D in decode_fp.c and the
 * compressed set in decode_rvc.c.  See decode.h for the contract.
 */
#include <stddef.h>

#include "rv64/decode_internal.h"

static int32_t imm_i(uint32_t b) { return sext(field(b, 31, 20), 12); }
static int32_t imm_s(uint32_t b) { return sext(field(b, 31, 25) << 5 | field(b, 11, 7), 12); }

static int32_t imm_b(uint32_t b)
{
	return sext(field(b, 31, 31) << 12 | field(b, 7, 7) << 11 |
		    field(b, 30, 25) << 5 | field(b, 11, 8) << 1, 13);
}

static int32_t imm_j(uint32_t b)
{
	return sext(field(b, 31, 31) << 20 | field(b, 19, 12) << 12 |
		    field(b, 20, 20) << 11 | field(b, 30, 21) << 1, 21);
}

static void decode_load(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op ops[8] = {
		RV_OP_LB, RV_OP_LH, RV_OP_LW, RV_OP_LD, RV_OP_LBU, RV_OP_LHU, RV_OP_LWU, RV_OP_ILLEGAL,
	};
	enum rv_op op = ops[field(b, 14, 12)];

	/* A load into x0 still faults, so it is not a NOP (engines mask x0). */
	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_op(d, op, field(b, 11, 7), field(b, 19, 15), 0, imm_i(b));
}

static void decode_store(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op ops[4] = { RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_SD };
	unsigned f3 = field(b, 14, 12);

	if (f3 > 3)
		set_illegal(d, b);
	else
		set_op(d, ops[f3], 0, field(b, 19, 15), field(b, 24, 20), imm_s(b));
}

static void decode_branch(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op ops[8] = {
		RV_OP_BEQ, RV_OP_BNE, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
		RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU, RV_OP_BGEU,
	};
	enum rv_op op = ops[field(b, 14, 12)];

	if (op == RV_OP_ILLEGAL)
		set_illegal(d, b);
	else
		set_op(d, op, 0, field(b, 19, 15), field(b, 24, 20), imm_b(b));
}

static void decode_jalr(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7);

	if (field(b, 14, 12) != 0)
		set_illegal(d, b);
	else
		set_op(d, rd ? RV_OP_JALR : RV_OP_JR, rd, field(b, 19, 15), 0, imm_i(b));
}

static void decode_jal(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7);

	set_op(d, rd ? RV_OP_JAL : RV_OP_J, rd, 0, 0, imm_j(b));
}

static void decode_amo(uint32_t b, struct rv_insn *d)
{
	/* Indexed by funct5 >> 2 for funct5 values with low bits 00, plus the
	 * three special ones handled below. */
	static const enum rv_op amo_w[8] = {
		RV_OP_AMOADD_W, RV_OP_AMOXOR_W, RV_OP_AMOOR_W, RV_OP_AMOAND_W,
		RV_OP_AMOMIN_W, RV_OP_AMOMAX_W, RV_OP_AMOMINU_W, RV_OP_AMOMAXU_W,
	};
	static const enum rv_op amo_d[8] = {
		RV_OP_AMOADD_D, RV_OP_AMOXOR_D, RV_OP_AMOOR_D, RV_OP_AMOAND_D,
		RV_OP_AMOMIN_D, RV_OP_AMOMAX_D, RV_OP_AMOMINU_D, RV_OP_AMOMAXU_D,
	};
	unsigned f3 = field(b, 14, 12), f5 = field(b, 31, 27);
	unsigned rd = field(b, 11, 7), rs1 = field(b, 19, 15), rs2 = field(b, 24, 20);
	bool dbl = f3 == 3;
	enum rv_op op;

	if (f3 != 2 && f3 != 3) {
		set_illegal(d, b);
		return;
	}
	if (f5 == 2) {          /* lr: rs2 must be zero */
		if (rs2) {
			set_illegal(d, b);
			return;
		}
		op = dbl ? RV_OP_LR_D : RV_OP_LR_W;
	} else if (f5 == 3) {
		op = dbl ? RV_OP_SC_D : RV_OP_SC_W;
	} else if (f5 == 1) {
		op = dbl ? RV_OP_AMOSWAP_D : RV_OP_AMOSWAP_W;
	} else if ((f5 & 3) == 0) {
		op = dbl ? amo_d[f5 >> 2] : amo_w[f5 >> 2];
	} else {
		set_illegal(d, b);
		return;
	}
	set_op(d, op, rd, rs1, rs2, 0);
}

static void decode_misc_mem(uint32_t b, struct rv_insn *d)
{
	/* fence (any pred/succ/fm, including fence.tso and pause) and fence.i;
	 * their unused fields are reserved for hints and ignored. */
	switch (field(b, 14, 12)) {
	case 0:
		set_op(d, RV_OP_FENCE, 0, 0, 0, 0);
		break;
	case 1:
		set_op(d, RV_OP_FENCE_I, 0, 0, 0, 0);
		break;
	default:
		set_illegal(d, b);
	}
}

static void decode_system(uint32_t b, struct rv_insn *d)
{
	static const enum rv_op csr_ops[8] = {
		RV_OP_ILLEGAL, RV_OP_CSRRW, RV_OP_CSRRS, RV_OP_CSRRC,
		RV_OP_ILLEGAL, RV_OP_CSRRWI, RV_OP_CSRRSI, RV_OP_CSRRCI,
	};
	unsigned f3 = field(b, 14, 12);

	if (f3 == 0) {
		/* mret, sret, wfi and sfence.vma decode here; whether they are
		 * legal depends on the privilege level at run time (user-mode
		 * engines treat them as illegal). */
		if (b == 0x00000073)
			set_op(d, RV_OP_ECALL, 0, 0, 0, 0);
		else if (b == 0x00100073)
			set_op(d, RV_OP_EBREAK, 0, 0, 0, 0);
		else if (b == 0x30200073)
			set_op(d, RV_OP_MRET, 0, 0, 0, 0);
		else if (b == 0x10200073)
			set_op(d, RV_OP_SRET, 0, 0, 0, 0);
		else if (b == 0x10500073)
			set_op(d, RV_OP_WFI, 0, 0, 0, 0);
		else if ((b & 0xfe007fffu) == 0x12000073)
			set_op(d, RV_OP_SFENCE_VMA, 0, field(b, 19, 15), field(b, 24, 20), 0);
		else
			set_illegal(d, b);
		return;
	}
	if (csr_ops[f3] == RV_OP_ILLEGAL) {
		set_illegal(d, b);
		return;
	}
	set_op(d, csr_ops[f3], field(b, 11, 7), field(b, 19, 15), 0, (int32_t)field(b, 31, 20));
}

static void decode_32(uint32_t b, struct rv_insn *d)
{
	unsigned rd = field(b, 11, 7);

	switch (field(b, 6, 0)) {
	case 0x03: decode_load(b, d); break;
	case 0x0f: decode_misc_mem(b, d); break;
	case 0x13: rv_decode_opimm(b, d); break;
	case 0x17: set_pure(d, RV_OP_AUIPC, rd, 0, 0, (int32_t)(b & 0xfffff000u)); break;
	case 0x1b: rv_decode_opimm32(b, d); break;
	case 0x23: decode_store(b, d); break;
	case 0x2f: decode_amo(b, d); break;
	case 0x33: rv_decode_op(b, d); break;
	case 0x37: set_pure(d, RV_OP_LUI, rd, 0, 0, (int32_t)(b & 0xfffff000u)); break;
	case 0x3b: rv_decode_op32(b, d); break;
	case 0x63: decode_branch(b, d); break;
	case 0x67: decode_jalr(b, d); break;
	case 0x6f: decode_jal(b, d); break;
	case 0x73: decode_system(b, d); break;
	case 0x07: case 0x27: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
		rv_decode_fp(b, d);
		break;
	default:
		set_illegal(d, b);
	}
}

void rv_decode(uint32_t bits, uint64_t pc, struct rv_insn *out)
{
	unsigned len = rv_insn_length((uint16_t)bits);

	*out = (struct rv_insn){ .pc = pc, .len = 4, .raw = bits };
	if (len == 2) {
		out->len = 2;
		out->raw = bits & 0xffff;
		rv_decode_rvc(bits & 0xffff, out);
	} else if (len == 4) {
		decode_32(bits, out);
	} else {
		set_illegal(out, bits);
	}
}

bool rv_op_ends_block(enum rv_op op)
{
	switch (op) {
	case RV_OP_ILLEGAL: case RV_OP_END:
	case RV_OP_JAL: case RV_OP_JALR: case RV_OP_J: case RV_OP_JR:
	case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE:
	case RV_OP_BLTU: case RV_OP_BGEU:
	case RV_OP_ECALL: case RV_OP_EBREAK: case RV_OP_FENCE_I:
	case RV_OP_MRET: case RV_OP_SRET: case RV_OP_WFI: case RV_OP_SFENCE_VMA:
		return true;
	default:
		return false;
	}
}

const char *rv_op_name(enum rv_op op)
{
	static const char *const names[RV_OP_COUNT] = {
#define RV_OP_NAME(name) #name,
		RV_OP_LIST(RV_OP_NAME)
#undef RV_OP_NAME
	};

	return (unsigned)op < RV_OP_COUNT ? names[op] : "?";
}

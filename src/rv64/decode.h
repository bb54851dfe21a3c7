/*
 * The RV64GC decoder: turns one instruction (16 or 32 bits) into a compact
 * pre-decoded form that execution engines run without looking at the bits
 * again.  Compressed instructions are expanded to the base operation they
 * stand for (c.addi -> ADDI) with len = 2, so an engine implements each
 * operation once.  The decoder knows nothing about execution: the
 * interpreter and the (later) binary translator share it and therefore agree
 * on what every encoding means, including which encodings are illegal.
 *
 * Decoding is pure: the same bits always give the same rv_insn, except pc.
 */
#ifndef POPEK_RV64_DECODE_H
#define POPEK_RV64_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Every operation an engine implements.  X(name) is expanded to
 * RV_OP_name; engines build their dispatch tables from this one list.
 * NOP covers every instruction without effect (rd = x0 ALU forms, hints).
 * END is never decoded from bits: the block builder appends it to continue
 * at the next block (insn.pc holds that pc).
 */
#define RV_OP_LIST(X) \
	X(ILLEGAL) X(NOP) X(END) \
	X(LUI) X(AUIPC) X(JAL) X(JALR) \
	X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) \
	X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) \
	X(SB) X(SH) X(SW) X(SD) \
	X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) \
	X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) \
	X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) \
	X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW) \
	X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) \
	X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) \
	X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) \
	X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW) \
	X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) \
	X(AMOOR_W) X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W) \
	X(LR_D) X(SC_D) X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D) X(AMOAND_D) \
	X(AMOOR_D) X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D) \
	X(FLW) X(FSW) X(FLD) X(FSD) \
	X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S) \
	X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S) \
	X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S) X(FMIN_S) X(FMAX_S) \
	X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S) \
	X(FMV_X_W) X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S) \
	X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU) X(FMV_W_X) \
	X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D) \
	X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D) \
	X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_D) X(FMAX_D) \
	X(FCVT_S_D) X(FCVT_D_S) \
	X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D) \
	X(FMV_X_D) X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D) \
	X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU) X(FMV_D_X) \
	X(SH1ADD) X(SH2ADD) X(SH3ADD) X(ADD_UW) X(SH1ADD_UW) X(SH2ADD_UW) \
	X(SH3ADD_UW) X(SLLI_UW) \
	X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP) X(CPOPW) \
	X(MAX) X(MAXU) X(MIN) X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) \
	X(ROL) X(ROLW) X(ROR) X(RORI) X(RORIW) X(RORW) X(ORC_B) X(REV8) \
	X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET) X(BSETI) \
	X(LI) X(MV) X(J) X(JR) \
	X(MRET) X(SRET) X(WFI) X(SFENCE_VMA)

enum rv_op {
#define RV_OP_ENUM(name) RV_OP_##name,
	RV_OP_LIST(RV_OP_ENUM)
#undef RV_OP_ENUM
	RV_OP_COUNT
};

/*
 * One decoded instruction.  handler is engine-private (the interpreter
 * stores its dispatch label there); the decoder leaves it NULL.  raw keeps
 * the instruction bits (16 for a compressed one) so an engine can report
 * them as tval of an illegal instruction.  Shift amounts, CSR numbers and
 * CSR-immediates live in imm; rs1 holds the uimm of csrr*i.
 */
struct rv_insn {
	const void *handler;
	uint64_t pc;
	int32_t imm;
	uint32_t raw;         /* the instruction bits (tval of an illegal one) */
	uint16_t op;          /* enum rv_op */
	uint8_t rd, rs1, rs2, rs3;
	uint8_t len;          /* 2 or 4 */
	uint8_t rm;           /* FP rounding mode field (7 = dynamic) */
};

/* Length in bytes of the instruction whose first 16-bit parcel is lo:
 * 2 or 4; 0 for the reserved longer formats (decoded as illegal). */
static inline unsigned rv_insn_length(uint16_t lo)
{
	if ((lo & 3) != 3)
		return 2;
	if ((lo & 0x1c) != 0x1c)
		return 4;
	return 0;
}

/* Decode bits (a compressed instruction in the low 16 bits when
 * rv_insn_length says 2) at pc into *out.  Always succeeds: unknown and
 * reserved encodings become RV_OP_ILLEGAL. */
void rv_decode(uint32_t bits, uint64_t pc, struct rv_insn *out);

/* True for operations that end a basic block: anything that may change
 * the pc other than by falling through, or that leaves the engine. */
bool rv_op_ends_block(enum rv_op op);

/* The operation's name, for traces and tests ("ADDI"). */
const char *rv_op_name(enum rv_op op);

#endif

/*
 * Helpers shared by the decoder's files (decode.c for the 32-bit integer
 * encodings, decode_fp.c for F/D, decode_rvc.c for compressed): bit-field
 * extraction, sign extension and the way a decoded instruction is filled.
 * Not for engines: they only see decode.h.
 */
#ifndef POPEK_RV64_DECODE_INTERNAL_H
#define POPEK_RV64_DECODE_INTERNAL_H

#include "rv64/decode.h"

/* Bits hi..lo of x, right-aligned. */
static inline uint32_t field(uint32_t x, int hi, int lo)
{
	return (x >> lo) & (uint32_t)((1ull << (hi - lo + 1)) - 1);
}

/* Sign-extend the low width bits of x. */
static inline int32_t sext(uint32_t x, int width)
{
	return (int32_t)(x << (32 - width)) >> (32 - width);
}

static inline void set_op(struct rv_insn *d, enum rv_op op, unsigned rd, unsigned rs1,
			  unsigned rs2, int32_t imm)
{
	d->op = (uint16_t)op;
	d->rd = (uint8_t)rd;
	d->rs1 = (uint8_t)rs1;
	d->rs2 = (uint8_t)rs2;
	d->imm = imm;
}

static inline void set_illegal(struct rv_insn *d, uint32_t bits)
{
	set_op(d, RV_OP_ILLEGAL, 0, 0, 0, (int32_t)bits);
}

/* An operation whose only effect is writing rd: with rd = x0 it is a NOP,
 * which is how the engines keep x0 zero without checking at run time. */
static inline void set_pure(struct rv_insn *d, enum rv_op op, unsigned rd, unsigned rs1,
			    unsigned rs2, int32_t imm)
{
	set_op(d, rd ? op : RV_OP_NOP, rd, rs1, rs2, imm);
}

/* The 32-bit decoders, each for one major opcode group. */
void rv_decode_fp(uint32_t bits, struct rv_insn *d);
void rv_decode_rvc(uint32_t bits, struct rv_insn *d);
void rv_decode_op(uint32_t bits, struct rv_insn *d);
void rv_decode_op32(uint32_t bits, struct rv_insn *d);
void rv_decode_opimm(uint32_t bits, struct rv_insn *d);
void rv_decode_opimm32(uint32_t bits, struct rv_insn *d);

#endif

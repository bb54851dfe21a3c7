/*
 * A small x86-64 machine-code emitter for the binary translator: each
 * function appends one instruction to a byte buffer.  Only the forms the
 * translator needs exist, with the operand kinds spelled in the name
 * (_rr register-register, _ri register-immediate, _rm register-memory,
 * _mr memory-register, _mi memory-immediate).  Memory operands are
 * [base + index*scale + disp32]; index X86_NOREG means none.
 *
 * The emitter never fails while writing: when the buffer is full it stops
 * writing and sets overflow, and the caller throws the partial code away.
 */
#ifndef POPEK_RV64_DBT_EMIT_X86_H
#define POPEK_RV64_DBT_EMIT_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_gpr {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_NOREG = -1,
};

/* Group-1 ALU operations: the /digit of opcodes 0x81/0x83, and op*8 + 1/3
 * for the register forms. */
enum x86_alu { X86_ADD = 0, X86_OR = 1, X86_AND = 4, X86_SUB = 5, X86_XOR = 6, X86_CMP = 7 };

/* Group-2 shifts and rotates: the /digit of 0xC1/0xD3. */
enum x86_shift { X86_ROL = 0, X86_ROR = 1, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 };

/* Condition codes (low nibble of Jcc/SETcc/CMOVcc). */
enum x86_cc {
	X86_CC_O = 0, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
	X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
};

/* Operand sizes for loads with extension and for stores. */
enum x86_width { X86_W8 = 1, X86_W16 = 2, X86_W32 = 4, X86_W64 = 8 };

struct x86_buf {
	uint8_t *start;      /* first byte (in the writable view) */
	uint8_t *p;          /* next byte to write */
	uint8_t *end;        /* one past the last usable byte */
	bool overflow;       /* an instruction did not fit */
};

struct x86_mem {
	int base;            /* enum x86_gpr */
	int index;           /* enum x86_gpr or X86_NOREG */
	int scale;           /* 1, 2, 4, 8 */
	int32_t disp;
};

static inline struct x86_mem x86_m(int base, int32_t disp)
{
	return (struct x86_mem){ .base = base, .index = X86_NOREG, .scale = 1, .disp = disp };
}

static inline struct x86_mem x86_mi(int base, int index, int scale, int32_t disp)
{
	return (struct x86_mem){ .base = base, .index = index, .scale = scale, .disp = disp };
}

static inline size_t x86_size(const struct x86_buf *b) { return (size_t)(b->p - b->start); }

void x86_init(struct x86_buf *b, uint8_t *mem, size_t len);
void x86_byte(struct x86_buf *b, uint8_t v);
void x86_u32(struct x86_buf *b, uint32_t v);

/* Moves.  w64 = false selects the 32-bit form, which zero-extends into
 * the full register. */
void x86_mov_rr(struct x86_buf *b, bool w64, int dst, int src);
void x86_mov_rm(struct x86_buf *b, bool w64, int dst, struct x86_mem m);
void x86_mov_mr(struct x86_buf *b, bool w64, struct x86_mem m, int src);
/* mov [m], imm32 (sign-extended to 64 bits when w64) */
void x86_mov_mi(struct x86_buf *b, bool w64, struct x86_mem m, int32_t imm);
/* Load any 64-bit constant with the shortest encoding. */
void x86_mov_ri64(struct x86_buf *b, int dst, uint64_t imm);
/* Loads of 1/2/4/8 bytes, zero- or sign-extended to 64 bits. */
void x86_load(struct x86_buf *b, enum x86_width w, bool sign, int dst, struct x86_mem m);
/* Stores of the low 1/2/4/8 bytes of src. */
void x86_store(struct x86_buf *b, enum x86_width w, struct x86_mem m, int src);
void x86_movsxd_rr(struct x86_buf *b, int dst, int src);
void x86_movzx8_rr(struct x86_buf *b, int dst, int src);
void x86_lea(struct x86_buf *b, int dst, struct x86_mem m);

/* Arithmetic and logic. */
void x86_alu_rr(struct x86_buf *b, enum x86_alu op, bool w64, int dst, int src);
void x86_alu_rm(struct x86_buf *b, enum x86_alu op, bool w64, int dst, struct x86_mem m);
void x86_alu_ri(struct x86_buf *b, enum x86_alu op, bool w64, int dst, int32_t imm);
void x86_alu_mi(struct x86_buf *b, enum x86_alu op, bool w64, struct x86_mem m, int32_t imm);
void x86_test_rr(struct x86_buf *b, bool w64, int a, int c);
void x86_shift_ri(struct x86_buf *b, enum x86_shift op, bool w64, int dst, uint8_t imm);
void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, bool w64, int dst);
void x86_imul_rr(struct x86_buf *b, bool w64, int dst, int src);
void x86_imul_rm(struct x86_buf *b, bool w64, int dst, struct x86_mem m);
/* One-operand multiply rdx:rax = rax * [m], signed (imul) or not (mul). */
void x86_mul_m(struct x86_buf *b, bool is_signed, struct x86_mem m);
void x86_mul_r(struct x86_buf *b, bool is_signed, int reg);
void x86_not(struct x86_buf *b, bool w64, int reg);
void x86_neg(struct x86_buf *b, bool w64, int reg);
void x86_bswap(struct x86_buf *b, int reg);
void x86_setcc(struct x86_buf *b, enum x86_cc cc, int reg8);
void x86_cmovcc_rr(struct x86_buf *b, enum x86_cc cc, bool w64, int dst, int src);
void x86_mfence(struct x86_buf *b);

/* Scalar double SSE: movq xmm, [m]; movq r64, xmm; op xmm, [m]. */
enum x86_sse { X86_ADDSD = 0x58, X86_MULSD = 0x59, X86_SUBSD = 0x5c, X86_DIVSD = 0x5e };
void x86_movq_xm(struct x86_buf *b, int xmm, struct x86_mem m);
void x86_movq_rx(struct x86_buf *b, int dst, int xmm);
void x86_sse_sd(struct x86_buf *b, enum x86_sse op, int xmm, struct x86_mem m);

/* Control flow.  jcc/jmp with rel32 return the offset (from b->start) of
 * the rel32 field so it can be patched later; they start out jumping to
 * the next instruction. */
size_t x86_jcc_rel32(struct x86_buf *b, enum x86_cc cc);
size_t x86_jmp_rel32(struct x86_buf *b);
void x86_jmp_r(struct x86_buf *b, int reg);
void x86_jmp_m(struct x86_buf *b, struct x86_mem m);
void x86_call_r(struct x86_buf *b, int reg);
void x86_push(struct x86_buf *b, int reg);
void x86_pop(struct x86_buf *b, int reg);
void x86_ret(struct x86_buf *b);
/* Point the rel32 field at offset field_off of buffer b at offset target
 * of the same buffer. */
void x86_patch_rel32(struct x86_buf *b, size_t field_off, size_t target);

#endif

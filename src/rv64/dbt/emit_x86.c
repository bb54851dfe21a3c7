/*
 * x86-64 instruction encodings for the binary translator (see emit_x86.h).
 *
 * Every instruction is built from the same parts: an optional legacy
 * prefix (0x66 for 16-bit operands), a REX prefix when a 64-bit operand
 * size or a register above r7 needs it, the opcode bytes, and a ModRM
 * byte naming either a register or a memory operand (with SIB and
 * displacement as the addressing form requires).
 */
#include <string.h>

#include "rv64/dbt/emit_x86.h"

void x86_init(struct x86_buf *b, uint8_t *mem, size_t len)
{
	b->start = b->p = mem;
	b->end = mem + len;
	b->overflow = false;
}

void x86_byte(struct x86_buf *b, uint8_t v)
{
	if (b->p >= b->end) {
		b->overflow = true;
		return;
	}
	*b->p++ = v;
}

void x86_u32(struct x86_buf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(b, (uint8_t)(v >> (8 * i)));
}

static void u64(struct x86_buf *b, uint64_t v)
{
	x86_u32(b, (uint32_t)v);
	x86_u32(b, (uint32_t)(v >> 32));
}

static bool fits8(int64_t v) { return v >= -128 && v <= 127; }

static int hi(int reg) { return reg >= 0 ? (reg >> 3) & 1 : 0; }

/* force: a byte operand in spl/bpl/sil/dil needs a REX even when empty. */
static void rex(struct x86_buf *b, bool w, int reg, int index, int base, bool force)
{
	uint8_t r = (uint8_t)(0x40 | (w ? 8 : 0) | hi(reg) << 2 | hi(index) << 1 | hi(base));

	if (r != 0x40 || force)
		x86_byte(b, r);
}

static void modrm_mem(struct x86_buf *b, int reg, struct x86_mem m)
{
	bool sib = m.index != X86_NOREG || (m.base & 7) == X86_RSP;
	int mod = (m.disp == 0 && (m.base & 7) != X86_RBP) ? 0 : fits8(m.disp) ? 1 : 2;
	int ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;

	x86_byte(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : (m.base & 7))));
	if (sib)
		x86_byte(b, (uint8_t)(ss << 6 | (m.index == X86_NOREG ? 4 : (m.index & 7)) << 3 | (m.base & 7)));
	if (mod == 1)
		x86_byte(b, (uint8_t)(int8_t)m.disp);
	else if (mod == 2)
		x86_u32(b, (uint32_t)m.disp);
}

/* One instruction with a memory operand: [prefix] [REX] opcode... ModRM.
 * pfx is a mandatory or operand-size prefix (0x66, 0xf2, 0xf3) or 0. */
static void op_m(struct x86_buf *b, uint8_t pfx, bool w, bool force, const char *opc, int nopc,
		 int reg, struct x86_mem m)
{
	if (pfx)
		x86_byte(b, pfx);
	rex(b, w, reg, m.index, m.base, force);
	for (int i = 0; i < nopc; i++)
		x86_byte(b, (uint8_t)opc[i]);
	modrm_mem(b, reg, m);
}

/* One instruction with a register operand in ModRM.rm. */
static void op_r(struct x86_buf *b, bool w, bool force, const char *opc, int nopc, int reg, int rm)
{
	rex(b, w, reg, X86_NOREG, rm, force);
	for (int i = 0; i < nopc; i++)
		x86_byte(b, (uint8_t)opc[i]);
	x86_byte(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

static bool byte_reg_needs_rex(int reg) { return reg >= X86_RSP && reg <= X86_RDI; }

/* ---------------------------------------------------------------- moves */

void x86_mov_rr(struct x86_buf *b, bool w64, int dst, int src)
{
	op_r(b, w64, false, "\x89", 1, src, dst);
}

void x86_mov_rm(struct x86_buf *b, bool w64, int dst, struct x86_mem m)
{
	op_m(b, 0, w64, false, "\x8b", 1, dst, m);
}

void x86_mov_mr(struct x86_buf *b, bool w64, struct x86_mem m, int src)
{
	op_m(b, 0, w64, false, "\x89", 1, src, m);
}

void x86_mov_mi(struct x86_buf *b, bool w64, struct x86_mem m, int32_t imm)
{
	op_m(b, 0, w64, false, "\xc7", 1, 0, m);
	x86_u32(b, (uint32_t)imm);
}

void x86_mov_ri64(struct x86_buf *b, int dst, uint64_t imm)
{
	if (imm <= UINT32_MAX) {            /* mov r32, imm32 zero-extends */
		rex(b, false, 0, X86_NOREG, dst, false);
		x86_byte(b, (uint8_t)(0xb8 + (dst & 7)));
		x86_u32(b, (uint32_t)imm);
	} else if ((int64_t)imm == (int32_t)imm) {   /* sign-extended imm32 */
		op_r(b, true, false, "\xc7", 1, 0, dst);
		x86_u32(b, (uint32_t)imm);
	} else {
		rex(b, true, 0, X86_NOREG, dst, false);
		x86_byte(b, (uint8_t)(0xb8 + (dst & 7)));
		u64(b, imm);
	}
}

void x86_load(struct x86_buf *b, enum x86_width w, bool sign, int dst, struct x86_mem m)
{
	switch (w) {
	case X86_W8:
		op_m(b, 0, sign, false, sign ? "\x0f\xbe" : "\x0f\xb6", 2, dst, m);
		break;
	case X86_W16:
		op_m(b, 0, sign, false, sign ? "\x0f\xbf" : "\x0f\xb7", 2, dst, m);
		break;
	case X86_W32:
		op_m(b, 0, sign, false, sign ? "\x63" : "\x8b", 1, dst, m);
		break;
	case X86_W64:
		op_m(b, 0, true, false, "\x8b", 1, dst, m);
		break;
	}
}

void x86_store(struct x86_buf *b, enum x86_width w, struct x86_mem m, int src)
{
	if (w == X86_W8)
		op_m(b, 0, false, byte_reg_needs_rex(src), "\x88", 1, src, m);
	else
		op_m(b, w == X86_W16 ? 0x66 : 0, w == X86_W64, false, "\x89", 1, src, m);
}

void x86_movsxd_rr(struct x86_buf *b, int dst, int src)
{
	op_r(b, true, false, "\x63", 1, dst, src);
}

void x86_movzx8_rr(struct x86_buf *b, int dst, int src)
{
	op_r(b, false, byte_reg_needs_rex(src), "\x0f\xb6", 2, dst, src);
}

void x86_lea(struct x86_buf *b, int dst, struct x86_mem m)
{
	op_m(b, 0, true, false, "\x8d", 1, dst, m);
}

/* ------------------------------------------------------------ arithmetic */

void x86_alu_rr(struct x86_buf *b, enum x86_alu op, bool w64, int dst, int src)
{
	char opc = (char)(op * 8 + 1);

	op_r(b, w64, false, &opc, 1, src, dst);
}

void x86_alu_rm(struct x86_buf *b, enum x86_alu op, bool w64, int dst, struct x86_mem m)
{
	char opc = (char)(op * 8 + 3);

	op_m(b, 0, w64, false, &opc, 1, dst, m);
}

void x86_alu_ri(struct x86_buf *b, enum x86_alu op, bool w64, int dst, int32_t imm)
{
	bool small = fits8(imm);

	op_r(b, w64, false, small ? "\x83" : "\x81", 1, op, dst);
	if (small)
		x86_byte(b, (uint8_t)(int8_t)imm);
	else
		x86_u32(b, (uint32_t)imm);
}

void x86_alu_mi(struct x86_buf *b, enum x86_alu op, bool w64, struct x86_mem m, int32_t imm)
{
	bool small = fits8(imm);

	op_m(b, 0, w64, false, small ? "\x83" : "\x81", 1, op, m);
	if (small)
		x86_byte(b, (uint8_t)(int8_t)imm);
	else
		x86_u32(b, (uint32_t)imm);
}

void x86_test_rr(struct x86_buf *b, bool w64, int a, int c)
{
	op_r(b, w64, false, "\x85", 1, c, a);
}

void x86_shift_ri(struct x86_buf *b, enum x86_shift op, bool w64, int dst, uint8_t imm)
{
	op_r(b, w64, false, "\xc1", 1, op, dst);
	x86_byte(b, imm);
}

void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, bool w64, int dst)
{
	op_r(b, w64, false, "\xd3", 1, op, dst);
}

void x86_imul_rr(struct x86_buf *b, bool w64, int dst, int src)
{
	op_r(b, w64, false, "\x0f\xaf", 2, dst, src);
}

void x86_imul_rm(struct x86_buf *b, bool w64, int dst, struct x86_mem m)
{
	op_m(b, 0, w64, false, "\x0f\xaf", 2, dst, m);
}

void x86_mul_m(struct x86_buf *b, bool is_signed, struct x86_mem m)
{
	op_m(b, 0, true, false, "\xf7", 1, is_signed ? 5 : 4, m);
}

void x86_mul_r(struct x86_buf *b, bool is_signed, int reg)
{
	op_r(b, true, false, "\xf7", 1, is_signed ? 5 : 4, reg);
}

void x86_not(struct x86_buf *b, bool w64, int reg)
{
	op_r(b, w64, false, "\xf7", 1, 2, reg);
}

void x86_neg(struct x86_buf *b, bool w64, int reg)
{
	op_r(b, w64, false, "\xf7", 1, 3, reg);
}

void x86_bswap(struct x86_buf *b, int reg)
{
	rex(b, true, 0, X86_NOREG, reg, false);
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0xc8 + (reg & 7)));
}

void x86_setcc(struct x86_buf *b, enum x86_cc cc, int reg8)
{
	char opc[2] = { 0x0f, (char)(0x90 + cc) };

	op_r(b, false, byte_reg_needs_rex(reg8), opc, 2, 0, reg8);
}

void x86_cmovcc_rr(struct x86_buf *b, enum x86_cc cc, bool w64, int dst, int src)
{
	char opc[2] = { 0x0f, (char)(0x40 + cc) };

	op_r(b, w64, false, opc, 2, dst, src);
}

void x86_mfence(struct x86_buf *b)
{
	x86_byte(b, 0x0f);
	x86_byte(b, 0xae);
	x86_byte(b, 0xf0);
}

/* ------------------------------------------------------------------ SSE */

void x86_movq_xm(struct x86_buf *b, int xmm, struct x86_mem m)
{
	op_m(b, 0xf3, false, false, "\x0f\x7e", 2, xmm, m);
}

void x86_movq_rx(struct x86_buf *b, int dst, int xmm)
{
	x86_byte(b, 0x66);
	op_r(b, true, false, "\x0f\x7e", 2, xmm, dst);
}

void x86_sse_sd(struct x86_buf *b, enum x86_sse op, int xmm, struct x86_mem m)
{
	char opc[2] = { 0x0f, (char)op };

	op_m(b, 0xf2, false, false, opc, 2, xmm, m);
}

/* ---------------------------------------------------------- control flow */

size_t x86_jcc_rel32(struct x86_buf *b, enum x86_cc cc)
{
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0x80 + cc));
	x86_u32(b, 0);
	return x86_size(b) - 4;
}

size_t x86_jmp_rel32(struct x86_buf *b)
{
	x86_byte(b, 0xe9);
	x86_u32(b, 0);
	return x86_size(b) - 4;
}

void x86_jmp_r(struct x86_buf *b, int reg)
{
	op_r(b, false, false, "\xff", 1, 4, reg);
}

void x86_jmp_m(struct x86_buf *b, struct x86_mem m)
{
	op_m(b, 0, false, false, "\xff", 1, 4, m);
}

void x86_call_r(struct x86_buf *b, int reg)
{
	op_r(b, false, false, "\xff", 1, 2, reg);
}

void x86_push(struct x86_buf *b, int reg)
{
	rex(b, false, 0, X86_NOREG, reg, false);
	x86_byte(b, (uint8_t)(0x50 + (reg & 7)));
}

void x86_pop(struct x86_buf *b, int reg)
{
	rex(b, false, 0, X86_NOREG, reg, false);
	x86_byte(b, (uint8_t)(0x58 + (reg & 7)));
}

void x86_ret(struct x86_buf *b)
{
	x86_byte(b, 0xc3);
}

void x86_patch_rel32(struct x86_buf *b, size_t field_off, size_t target)
{
	int32_t rel = (int32_t)((int64_t)target - (int64_t)(field_off + 4));

	if (field_off + 4 <= (size_t)(b->end - b->start))
		memcpy(b->start + field_off, &rel, 4);
}

/*
 * Unit test of the translator's x86-64 emitter (src/rv64/dbt/emit_x86.c):
 * every instruction form, with the registers and memory operands that need
 * special encodings (REX.B/R/X, rsp/r12 bases needing a SIB byte, rbp/r13
 * bases needing a displacement, byte registers needing an empty REX), is
 * emitted and decoded back with Capstone; the text must be exactly what
 * was meant and the decoder must consume exactly the bytes written.
 *
 * Prints one line per mismatch and exits 1 if there was any.
 */
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "rv64/dbt/emit_x86.h"

static csh cs;
static int failures, checked;

static void check(struct x86_buf *b, const char *want, int line)
{
	cs_insn *insn;
	char got[512] = "";
	size_t len = x86_size(b), used = 0;
	size_t n = cs_disasm(cs, b->start, len, 0x1000, 0, &insn);

	for (size_t i = 0; i < n; i++) {
		size_t at = strlen(got);

		snprintf(got + at, sizeof(got) - at, "%s%s%s%s", i ? "; " : "", insn[i].mnemonic,
			 insn[i].op_str[0] ? " " : "", insn[i].op_str);
		used += insn[i].size;
	}
	if (n)
		cs_free(insn, n);
	checked++;
	if (strcmp(got, want) || used != len || b->overflow) {
		failures++;
		printf("line %d: want '%s'\n         got  '%s' (%zu of %zu bytes decoded)\n", line, want,
		       got, used, len);
	}
}

#define CASE(want, ...) do {                                  \
	uint8_t mem_[64];                                     \
	struct x86_buf b_;                                    \
	x86_init(&b_, mem_, sizeof(mem_));                    \
	struct x86_buf *b = &b_;                              \
	__VA_ARGS__;                                          \
	check(b, want, __LINE__);                             \
} while (0)

static void moves(void)
{
	CASE("mov rax, rbx", x86_mov_rr(b, true, X86_RAX, X86_RBX));
	CASE("mov r9d, r15d", x86_mov_rr(b, false, X86_R9, X86_R15));
	CASE("mov rax, qword ptr [rbx + 0x10]", x86_mov_rm(b, true, X86_RAX, x86_m(X86_RBX, 16)));
	CASE("mov rcx, qword ptr [rbx]", x86_mov_rm(b, true, X86_RCX, x86_m(X86_RBX, 0)));
	CASE("mov r13, qword ptr [rdi + 0x200]", x86_mov_rm(b, true, X86_R13, x86_m(X86_RDI, 0x200)));
	CASE("mov eax, dword ptr [rbx + 0xf8]", x86_mov_rm(b, false, X86_RAX, x86_m(X86_RBX, 0xf8)));
	CASE("mov rax, qword ptr [rsp + 8]", x86_mov_rm(b, true, X86_RAX, x86_m(X86_RSP, 8)));
	CASE("mov rax, qword ptr [r12]", x86_mov_rm(b, true, X86_RAX, x86_m(X86_R12, 0)));
	CASE("mov rax, qword ptr [rbp]", x86_mov_rm(b, true, X86_RAX, x86_m(X86_RBP, 0)));
	CASE("mov rdx, qword ptr [r13 - 8]", x86_mov_rm(b, true, X86_RDX, x86_m(X86_R13, -8)));
	CASE("mov qword ptr [rbx + 0x200], rcx", x86_mov_mr(b, true, x86_m(X86_RBX, 0x200), X86_RCX));
	CASE("mov qword ptr [rbx + 0x50], r8", x86_mov_mr(b, true, x86_m(X86_RBX, 0x50), X86_R8));
	CASE("mov qword ptr [rbx + 0xd8], 0", x86_mov_mi(b, true, x86_m(X86_RBX, 0xd8), 0));
	CASE("mov qword ptr [rbx + 0x50], -0x80000000",
	     x86_mov_mi(b, true, x86_m(X86_RBX, 0x50), INT32_MIN));
	CASE("mov dword ptr [rbx + 4], 0x12345", x86_mov_mi(b, false, x86_m(X86_RBX, 4), 0x12345));
	CASE("mov eax, 0x10144", x86_mov_ri64(b, X86_RAX, 0x10144));
	CASE("mov r10d, 0xffffffff", x86_mov_ri64(b, X86_R10, 0xffffffffull));
	CASE("mov rcx, -2", x86_mov_ri64(b, X86_RCX, (uint64_t)-2));
	CASE("movabs rsi, 0x2aaaaaa000", x86_mov_ri64(b, X86_RSI, 0x2aaaaaa000ull));
	CASE("movabs r11, 0x123456789abcdef0", x86_mov_ri64(b, X86_R11, 0x123456789abcdef0ull));
	CASE("movsxd rax, eax", x86_movsxd_rr(b, X86_RAX, X86_RAX));
	CASE("movsxd r8, r14d", x86_movsxd_rr(b, X86_R8, X86_R14));
	CASE("movzx eax, al", x86_movzx8_rr(b, X86_RAX, X86_RAX));
	CASE("movzx ecx, sil", x86_movzx8_rr(b, X86_RCX, X86_RSI));
	CASE("lea rcx, [r13 + 4]", x86_lea(b, X86_RCX, x86_m(X86_R13, 4)));
	CASE("lea rax, [rcx + rax*8]", x86_lea(b, X86_RAX, x86_mi(X86_RCX, X86_RAX, 8, 0)));
	CASE("lea r9, [r12 + r15*2 - 0x100]", x86_lea(b, X86_R9, x86_mi(X86_R12, X86_R15, 2, -0x100)));
}

static void loads_stores(void)
{
	struct x86_mem g = x86_mi(X86_R12, X86_RAX, 1, 0);

	CASE("movsx rcx, byte ptr [r12 + rax]", x86_load(b, X86_W8, true, X86_RCX, g));
	CASE("movzx ecx, byte ptr [r12 + rax]", x86_load(b, X86_W8, false, X86_RCX, g));
	CASE("movsx rcx, word ptr [r12 + rax]", x86_load(b, X86_W16, true, X86_RCX, g));
	CASE("movzx ecx, word ptr [r12 + rax]", x86_load(b, X86_W16, false, X86_RCX, g));
	CASE("movsxd rcx, dword ptr [r12 + rax]", x86_load(b, X86_W32, true, X86_RCX, g));
	CASE("mov ecx, dword ptr [r12 + rax]", x86_load(b, X86_W32, false, X86_RCX, g));
	CASE("mov rcx, qword ptr [r12 + rax]", x86_load(b, X86_W64, false, X86_RCX, g));
	CASE("mov r10, qword ptr [r12 + r9]",
	     x86_load(b, X86_W64, false, X86_R10, x86_mi(X86_R12, X86_R9, 1, 0)));
	CASE("mov byte ptr [r12 + rax], cl", x86_store(b, X86_W8, g, X86_RCX));
	CASE("mov byte ptr [r12 + rax], sil", x86_store(b, X86_W8, g, X86_RSI));
	CASE("mov byte ptr [r12 + rax], r8b", x86_store(b, X86_W8, g, X86_R8));
	CASE("mov word ptr [r12 + rax], cx", x86_store(b, X86_W16, g, X86_RCX));
	CASE("mov dword ptr [r12 + rax], ecx", x86_store(b, X86_W32, g, X86_RCX));
	CASE("mov qword ptr [r12 + rax], rcx", x86_store(b, X86_W64, g, X86_RCX));
	CASE("mov qword ptr [r13 + rax], r11",
	     x86_store(b, X86_W64, x86_mi(X86_R13, X86_RAX, 1, 0), X86_R11));
	CASE("movsx rax, byte ptr [rbx + 0x28]", x86_load(b, X86_W8, true, X86_RAX, x86_m(X86_RBX, 0x28)));
}

static void arithmetic(void)
{
	struct x86_mem m = x86_m(X86_RBX, 0x58);

	CASE("add rax, rcx", x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RCX));
	CASE("sub r8, r15", x86_alu_rr(b, X86_SUB, true, X86_R8, X86_R15));
	CASE("xor eax, eax", x86_alu_rr(b, X86_XOR, false, X86_RAX, X86_RAX));
	CASE("cmp rax, r13", x86_alu_rr(b, X86_CMP, true, X86_RAX, X86_R13));
	CASE("and rdx, rsi", x86_alu_rr(b, X86_AND, true, X86_RDX, X86_RSI));
	CASE("or r11d, ecx", x86_alu_rr(b, X86_OR, false, X86_R11, X86_RCX));
	CASE("add rax, qword ptr [rbx + 0x58]", x86_alu_rm(b, X86_ADD, true, X86_RAX, m));
	CASE("sub eax, dword ptr [rbx + 0x58]", x86_alu_rm(b, X86_SUB, false, X86_RAX, m));
	CASE("cmp rax, qword ptr [rdx + rcx*8]",
	     x86_alu_rm(b, X86_CMP, true, X86_RAX, x86_mi(X86_RDX, X86_RCX, 8, 0)));
	CASE("xor r9, qword ptr [rbx + 0x58]", x86_alu_rm(b, X86_XOR, true, X86_R9, m));
	CASE("add rax, 1", x86_alu_ri(b, X86_ADD, true, X86_RAX, 1));
	CASE("add rax, -0x800", x86_alu_ri(b, X86_ADD, true, X86_RAX, -2048));
	CASE("and rax, 0xfffffffffffffffe", x86_alu_ri(b, X86_AND, true, X86_RAX, -2));
	CASE("and ecx, 0x1ffe", x86_alu_ri(b, X86_AND, false, X86_RCX, 0x1ffe));
	CASE("cmp r14, 0x7f", x86_alu_ri(b, X86_CMP, true, X86_R14, 127));
	CASE("sub rsp, 8", x86_alu_ri(b, X86_SUB, true, X86_RSP, 8));
	CASE("cmp dword ptr [rbx + 0x248], 0",
	     x86_alu_mi(b, X86_CMP, false, x86_m(X86_RBX, 0x248), 0));
	CASE("add qword ptr [rbx + 0x228], 0x40",
	     x86_alu_mi(b, X86_ADD, true, x86_m(X86_RBX, 0x228), 64));
	CASE("add qword ptr [rbx + 0x228], 0x1000",
	     x86_alu_mi(b, X86_ADD, true, x86_m(X86_RBX, 0x228), 4096));
	CASE("test rax, rax", x86_test_rr(b, true, X86_RAX, X86_RAX));
	CASE("test r10d, edx", x86_test_rr(b, false, X86_R10, X86_RDX));
	CASE("shl rax, 0x3f", x86_shift_ri(b, X86_SHL, true, X86_RAX, 63));
	CASE("shr eax, 0x1f", x86_shift_ri(b, X86_SHR, false, X86_RAX, 31));
	CASE("sar r12, 3", x86_shift_ri(b, X86_SAR, true, X86_R12, 3));
	CASE("rol rdx, 7", x86_shift_ri(b, X86_ROL, true, X86_RDX, 7));
	CASE("ror r9d, 5", x86_shift_ri(b, X86_ROR, false, X86_R9, 5));
	CASE("shl rax, cl", x86_shift_rcl(b, X86_SHL, true, X86_RAX));
	CASE("sar eax, cl", x86_shift_rcl(b, X86_SAR, false, X86_RAX));
	CASE("shr r11, cl", x86_shift_rcl(b, X86_SHR, true, X86_R11));
	CASE("imul rax, rcx", x86_imul_rr(b, true, X86_RAX, X86_RCX));
	CASE("imul r8d, r9d", x86_imul_rr(b, false, X86_R8, X86_R9));
	CASE("imul rax, qword ptr [rbx + 0x58]", x86_imul_rm(b, true, X86_RAX, m));
	CASE("imul eax, dword ptr [rbx + 0x58]", x86_imul_rm(b, false, X86_RAX, m));
	CASE("imul qword ptr [rbx + 0x58]", x86_mul_m(b, true, m));
	CASE("mul qword ptr [rbx + 0x58]", x86_mul_m(b, false, m));
	CASE("imul rcx", x86_mul_r(b, true, X86_RCX));
	CASE("mul r14", x86_mul_r(b, false, X86_R14));
	CASE("not rax", x86_not(b, true, X86_RAX));
	CASE("neg r15d", x86_neg(b, false, X86_R15));
	CASE("bswap rax", x86_bswap(b, X86_RAX));
	CASE("bswap r13", x86_bswap(b, X86_R13));
	CASE("setl al", x86_setcc(b, X86_CC_L, X86_RAX));
	CASE("setb sil", x86_setcc(b, X86_CC_B, X86_RSI));
	CASE("sete r9b", x86_setcc(b, X86_CC_E, X86_R9));
	CASE("cmovl rax, rcx", x86_cmovcc_rr(b, X86_CC_L, true, X86_RAX, X86_RCX));
	CASE("cmova r10, r11", x86_cmovcc_rr(b, X86_CC_A, true, X86_R10, X86_R11));
	CASE("cmovge eax, edx", x86_cmovcc_rr(b, X86_CC_GE, false, X86_RAX, X86_RDX));
	CASE("mfence", x86_mfence(b));
}

static void sse(void)
{
	CASE("movq xmm0, qword ptr [rbx + 0x108]", x86_movq_xm(b, 0, x86_m(X86_RBX, 0x108)));
	CASE("movq xmm9, qword ptr [r12 + rax]", x86_movq_xm(b, 9, x86_mi(X86_R12, X86_RAX, 1, 0)));
	CASE("movq rax, xmm0", x86_movq_rx(b, X86_RAX, 0));
	CASE("movq r10, xmm3", x86_movq_rx(b, X86_R10, 3));
	CASE("addsd xmm0, qword ptr [rbx + 0x110]", x86_sse_sd(b, X86_ADDSD, 0, x86_m(X86_RBX, 0x110)));
	CASE("subsd xmm1, qword ptr [rbx + 8]", x86_sse_sd(b, X86_SUBSD, 1, x86_m(X86_RBX, 8)));
	CASE("mulsd xmm0, qword ptr [r13 - 8]", x86_sse_sd(b, X86_MULSD, 0, x86_m(X86_R13, -8)));
	CASE("divsd xmm12, qword ptr [rsp]", x86_sse_sd(b, X86_DIVSD, 12, x86_m(X86_RSP, 0)));
}

static void control(void)
{
	CASE("jne 0x1006", x86_jcc_rel32(b, X86_CC_NE));
	CASE("ja 0x1006", x86_jcc_rel32(b, X86_CC_A));
	CASE("jmp 0x1005", x86_jmp_rel32(b));
	CASE("jmp 0x1000", x86_patch_rel32(b, x86_jmp_rel32(b), 0));
	CASE("jge 0x1020", x86_patch_rel32(b, x86_jcc_rel32(b, X86_CC_GE), 0x20));
	CASE("jmp rsi", x86_jmp_r(b, X86_RSI));
	CASE("jmp r11", x86_jmp_r(b, X86_R11));
	CASE("jmp qword ptr [rdx + rcx*8 + 8]", x86_jmp_m(b, x86_mi(X86_RDX, X86_RCX, 8, 8)));
	CASE("call rax", x86_call_r(b, X86_RAX));
	CASE("call r10", x86_call_r(b, X86_R10));
	CASE("push rbx; push r15; pop r15; pop rbx; ret",
	     x86_push(b, X86_RBX); x86_push(b, X86_R15); x86_pop(b, X86_R15); x86_pop(b, X86_RBX);
	     x86_ret(b));
}

static void overflow(void)
{
	uint8_t mem[3];
	struct x86_buf b;

	x86_init(&b, mem, sizeof(mem));
	x86_mov_ri64(&b, X86_RAX, 0x123456789abcdef0ull);
	checked++;
	if (!b.overflow || x86_size(&b) != 3) {
		failures++;
		printf("overflow: not reported\n");
	}
}

int main(void)
{
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		printf("capstone: cannot open\n");
		return 2;
	}
	moves();
	loads_stores();
	arithmetic();
	sse();
	control();
	overflow();
	cs_close(&cs);
	printf("%d forms checked, %d failures\n", checked, failures);
	return failures ? 1 : 0;
}

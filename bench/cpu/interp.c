/*
 * A small stack-machine bytecode interpreter running a program that
 * computes primes by trial division and a Collatz walk: an unpredictable
 * indirect dispatch and branchy handlers, the shape of scripting-language
 * VMs (and of popek's own interpreter).
 */
#include <inttypes.h>
#include <stdio.h>

#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DIV2, LT, EQZ, JMP, JZ, JNZ, DUP, POP, HALT };

struct insn { uint8_t op; int32_t arg; };

static int64_t run(const struct insn *code, int64_t *vars)
{
	int64_t stack[64];
	int sp = 0;
	const struct insn *pc = code;
	for (;;) {
		const struct insn *i = pc++;
		switch (i->op) {
		case PUSH: stack[sp++] = i->arg; break;
		case LOAD: stack[sp++] = vars[i->arg]; break;
		case STORE: vars[i->arg] = stack[--sp]; break;
		case ADD: sp--; stack[sp - 1] += stack[sp]; break;
		case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
		case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
		case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
		case DIV2: stack[sp - 1] /= 2; break;
		case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
		case EQZ: stack[sp - 1] = stack[sp - 1] == 0; break;
		case JMP: pc = code + i->arg; break;
		case JZ: if (!stack[--sp]) pc = code + i->arg; break;
		case JNZ: if (stack[--sp]) pc = code + i->arg; break;
		case DUP: stack[sp] = stack[sp - 1]; sp++; break;
		case POP: sp--; break;
		case HALT: return stack[sp - 1];
		}
	}
}

/* A tiny assembler with forward labels, so the program reads top to bottom. */
static struct insn code[128];
static int ncode, label_at[16], fixup_insn[32], fixup_label[32], nfixups;

static void emit(enum op op, int32_t arg) { code[ncode++] = (struct insn){ (uint8_t)op, arg }; }
static void label(int l) { label_at[l] = ncode; }
static void emit_jump(enum op op, int l)
{
	fixup_insn[nfixups] = ncode;
	fixup_label[nfixups++] = l;
	emit(op, 0);
}

enum { N, LIMIT, D, COUNT, STEPS, X };                 /* variables */
enum { L_OUTER, L_TRIAL, L_PRIME, L_WALK, L_EVEN, L_STEP, L_NEXT, L_DONE }; /* labels */

/* count primes below LIMIT by trial division; sum Collatz steps of each n */
static void assemble(void)
{
	emit(PUSH, 2); emit(STORE, N);
	emit(PUSH, 0); emit(STORE, COUNT);
	emit(PUSH, 0); emit(STORE, STEPS);
	label(L_OUTER);
	emit(LOAD, N); emit(LOAD, LIMIT); emit(LT, 0); emit_jump(JZ, L_DONE);
	emit(PUSH, 2); emit(STORE, D);
	label(L_TRIAL);                                   /* while d*d <= n */
	emit(LOAD, D); emit(DUP, 0); emit(MUL, 0); emit(LOAD, N); emit(PUSH, 1); emit(ADD, 0);
	emit(LT, 0); emit_jump(JZ, L_PRIME);
	emit(LOAD, N); emit(LOAD, D); emit(MOD, 0); emit_jump(JZ, L_WALK);   /* composite */
	emit(LOAD, D); emit(PUSH, 1); emit(ADD, 0); emit(STORE, D); emit_jump(JMP, L_TRIAL);
	label(L_PRIME);
	emit(LOAD, COUNT); emit(PUSH, 1); emit(ADD, 0); emit(STORE, COUNT);
	label(L_WALK);                                    /* x = n; while x != 1 */
	emit(LOAD, N); emit(STORE, X);
	label(L_STEP);
	emit(LOAD, X); emit(PUSH, 1); emit(SUB, 0); emit_jump(JZ, L_NEXT);
	emit(LOAD, STEPS); emit(PUSH, 1); emit(ADD, 0); emit(STORE, STEPS);
	emit(LOAD, X); emit(PUSH, 2); emit(MOD, 0); emit_jump(JZ, L_EVEN);
	emit(LOAD, X); emit(PUSH, 3); emit(MUL, 0); emit(PUSH, 1); emit(ADD, 0); emit(STORE, X);
	emit_jump(JMP, L_STEP);
	label(L_EVEN);
	emit(LOAD, X); emit(DIV2, 0); emit(STORE, X); emit_jump(JMP, L_STEP);
	label(L_NEXT);
	emit(LOAD, N); emit(PUSH, 1); emit(ADD, 0); emit(STORE, N); emit_jump(JMP, L_OUTER);
	label(L_DONE);
	emit(LOAD, COUNT); emit(LOAD, STEPS); emit(ADD, 0); emit(HALT, 0);
	for (int i = 0; i < nfixups; i++)
		code[fixup_insn[i]].arg = label_at[fixup_label[i]];
}

int main(int argc, char **argv)
{
	assemble();
	int64_t vars[8] = { 0 };
	vars[1] = bench_scale(argc, argv, 350000);
	int64_t r = run(code, vars);
	printf("interp limit=%" PRId64 " primes=%" PRId64 " steps=%" PRId64 " result=%" PRId64 "\n",
	       vars[1], vars[3], vars[4], r);
	return 0;
}

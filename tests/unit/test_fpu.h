/*
 * Shared declarations of the FPU unit test (tests/unit/test_fpu*.c): the
 * independent slow reference and the case tables.
 */
#ifndef POPEK_TEST_FPU_H
#define POPEK_TEST_FPU_H

#include <stdbool.h>
#include <stdint.h>

enum ref_op {
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT,
	OP_FMADD, OP_FMSUB, OP_FNMSUB, OP_FNMADD,
	OP_ARITH_COUNT
};

/* Reference arithmetic: dbl selects double (else single, zero-extended). */
uint64_t ref_arith(bool dbl, int op, uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *ff);
/* integer (neg, magnitude) -> float */
uint64_t ref_from_int(bool dbl, bool neg, uint64_t mag, int rm, uint32_t *ff);
/* double -> single and single -> double */
uint64_t ref_cvt_s_d(uint64_t a, int rm, uint32_t *ff);
uint64_t ref_cvt_d_s(uint64_t a, int rm, uint32_t *ff);
/* float -> integer of `bits` bits; 32-bit results sign-extended */
uint64_t ref_to_int(bool dbl, uint64_t a, bool is_signed, int bits, int rm, uint32_t *ff);
/* comparisons, min/max, class */
uint64_t ref_cmp(bool dbl, int which, uint64_t a, uint64_t b, uint32_t *ff); /* 0 eq 1 lt 2 le */
uint64_t ref_minmax(bool dbl, bool want_max, uint64_t a, uint64_t b, uint32_t *ff);
uint64_t ref_class(bool dbl, uint64_t a);

/* test_fpu_cases.c */
int run_corner_cases(void);
void dump_corner_cases(void);

/* counts a failure and prints the first few */
void report_mismatch(const char *what, int rm, uint64_t a, uint64_t b, uint64_t c,
		     uint64_t got, uint32_t got_ff, uint64_t want, uint32_t want_ff);
extern long mismatches;

#endif

/*
 * Exact RISC-V F and D arithmetic on raw bit patterns.
 *
 * Every operation takes an already-resolved rounding mode (RV_RM_RNE..RMM;
 * the caller maps DYN to fcsr.frm and rejects reserved modes as illegal
 * instructions) and ORs the IEEE exception flags it raises into *fflags
 * (RV_FF_*).  Results follow the RISC-V rules, not the host's: canonical NaN
 * (0x7ff8000000000000 / 0x7fc00000) for any NaN result, tininess detected
 * after rounding, fcvt saturation (NaN -> max), fmin/fmax treating -0 < +0
 * and returning the other operand for a single quiet NaN, fused multiply-add
 * rounded once.
 *
 * Singles travel as uint32_t; NaN-boxing in registers is the caller's job.
 */
#ifndef POPEK_RV64_FPU_H
#define POPEK_RV64_FPU_H

#include <stdint.h>

/* double precision */
uint64_t fpu_add_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_sub_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_mul_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_div_d(uint64_t a, uint64_t b, int rm, uint32_t *fflags);
uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *fflags);
/* fmadd: a*b+c, fmsub: a*b-c, fnmsub: -(a*b)+c, fnmadd: -(a*b)-c */
uint64_t fpu_fmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_fmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_fnmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_fnmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *fflags);
uint64_t fpu_min_d(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t fpu_max_d(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t fpu_eq_d(uint64_t a, uint64_t b, uint32_t *fflags);  /* quiet: NV only for sNaN */
uint64_t fpu_lt_d(uint64_t a, uint64_t b, uint32_t *fflags);  /* signaling: NV for any NaN */
uint64_t fpu_le_d(uint64_t a, uint64_t b, uint32_t *fflags);
uint64_t fpu_class_d(uint64_t a);
int64_t  fpu_cvt_w_d(uint64_t a, int rm, uint32_t *fflags);   /* result sign-extended to 64 */
int64_t  fpu_cvt_wu_d(uint64_t a, int rm, uint32_t *fflags);  /* 32-bit result sign-extended */
int64_t  fpu_cvt_l_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_w(int32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_l(int64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_lu(uint64_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_d_s(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_d(uint64_t a, int rm, uint32_t *fflags);

/* single precision */
uint32_t fpu_add_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_sub_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_mul_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_div_s(uint32_t a, uint32_t b, int rm, uint32_t *fflags);
uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_fmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_fmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_fnmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_fnmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *fflags);
uint32_t fpu_min_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint32_t fpu_max_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t fpu_eq_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t fpu_lt_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t fpu_le_s(uint32_t a, uint32_t b, uint32_t *fflags);
uint64_t fpu_class_s(uint32_t a);
int64_t  fpu_cvt_w_s(uint32_t a, int rm, uint32_t *fflags);
int64_t  fpu_cvt_wu_s(uint32_t a, int rm, uint32_t *fflags);
int64_t  fpu_cvt_l_s(uint32_t a, int rm, uint32_t *fflags);
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_w(int32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_wu(uint32_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_l(int64_t a, int rm, uint32_t *fflags);
uint32_t fpu_cvt_s_lu(uint64_t a, int rm, uint32_t *fflags);

#endif

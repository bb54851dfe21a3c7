/*
 * NaN-boxing of single-precision values in the 64-bit f registers.  A
 * single is valid only when the upper 32 bits are all ones; reading any
 * other pattern as a single gives the canonical quiet NaN.  Transfers
 * (flw/fsw/fmv.x.w/fmv.w.x) move raw bits and do not use rv_unbox_s.
 */
#ifndef POPEK_RV64_FP_BOX_H
#define POPEK_RV64_FP_BOX_H

#include <stdint.h>

#define RV_CANONICAL_NAN_S 0x7fc00000u

static inline uint32_t rv_unbox_s(uint64_t reg)
{
	return (reg >> 32) == 0xffffffffu ? (uint32_t)reg : RV_CANONICAL_NAN_S;
}

static inline uint64_t rv_box_s(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

#endif

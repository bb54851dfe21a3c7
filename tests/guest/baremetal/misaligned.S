/*
 * Misaligned loads and stores.  popek performs them in hardware (the spec
 * also lets an implementation trap with cause 4 or 6); this test expects
 * the hardware behaviour: a misaligned trap during check n fails it with
 * number 100 + n, a wrong value with n.  Covered: ld/lw/lwu/lh/lhu/sd/sw/
 * sh and FP loads and stores in M, an access crossing a 4 KiB boundary,
 * and in S with Sv39 the same across two pages that are not physically
 * adjacent, and into a read-only or unmapped page (page fault).
 * Misaligned AMOs and LR/SC must trap: address misaligned or access
 * fault (both allowed).  Data layout: misaligned_layout.c.
 */
#include "bm.h"
#include "paging.h"

#define MIS_VA 0x40000000

	/* From here to the next CHECK a misaligned trap fails with 100 + n. */
	.macro HARDWARE_MISALIGNED
	la s10, misaligned_trapped
	.endm

	/* LOADS insn, offset, value: a load from mbuf + offset. */
	.macro LOADS insn, off, val
	la a0, mbuf
	\insn a1, \off(a0)
	EXPECT a1, \val
	.endm

	.text
	.globl test_main
test_main:
	CHECK 1   /* misaligned loads in M */
	call misaligned_setup
	mv s0, a0
	HARDWARE_MISALIGNED
	LOADS ld, 1, 0x8887868584838281
	LOADS ld, 7, 0x8e8d8c8b8a898887
	LOADS lw, 1, 0xffffffff84838281
	LOADS lw, 2, 0xffffffff85848382
	LOADS lwu, 3, 0x86858483
	LOADS lh, 1, 0xffffffffffff8281
	LOADS lhu, 5, 0x8685
	LOADS lw, 0x7d, 0x00fffefd    /* bytes 0xfd 0xfe 0xff 0x00 */

	CHECK 2   /* misaligned stores in M, read back aligned and by byte */
	HARDWARE_MISALIGNED
	la a0, mbuf + 0x100
	sd zero, 0(a0)
	sd zero, 8(a0)
	li a1, 0x1122334455667788
	sd a1, 3(a0)
	ld a2, 0(a0)
	EXPECT a2, 0x4455667788000000
	ld a2, 8(a0)
	EXPECT a2, 0x0000000000112233
	lbu a2, 3(a0)
	EXPECT a2, 0x88
	li a1, 0xcafef00d
	sw a1, 9(a0)
	ld a2, 8(a0)
	EXPECT a2, 0x000000cafef00d33
	li a1, 0xbeef
	sh a1, 15(a0)
	ld a2, 8(a0)
	EXPECT a2, 0xef0000cafef00d33
	lbu a2, 16(a0)
	EXPECT a2, 0xbe

	CHECK 3   /* accesses across a 4 KiB boundary in M */
	HARDWARE_MISALIGNED
	la a0, mbuf + 4096
	ld a1, -3(a0)                 /* offsets 4093..4100 */
	EXPECT a1, 0x84838281807f7e7d
	lw a1, -1(a0)
	EXPECT a1, 0xffffffff8281807f
	li a1, 0x0102030405060708
	sd a1, -5(a0)
	ld a2, -8(a0)
	EXPECT a2, 0x04050607087a7978
	ld a2, 0(a0)
	EXPECT a2, 0x8786858483010203

	CHECK 4   /* misaligned FP loads and stores */
	li a0, MSTATUS_FS
	csrs mstatus, a0
	HARDWARE_MISALIGNED
	la a0, mbuf + 0x200
	li a1, 0x3ff0000000000001
	sd a1, 0(a0)
	sd zero, 8(a0)
	fld fa0, 0(a0)
	fsd fa0, 5(a0)
	ld a2, 5(a0)
	EXPECT a2, 0x3ff0000000000001
	fld fa1, 5(a0)
	fmv.x.d a2, fa1
	EXPECT a2, 0x3ff0000000000001
	li a1, 0x40490fdb
	sw a1, 0x21(a0)
	flw fa2, 0x21(a0)
	fmv.x.w a2, fa2
	EXPECT a2, 0x40490fdb

	CHECK 5   /* in S with Sv39: within a page and across two pages */
	bnez s0, 1f
	j fail
1:	csrw satp, s0
	sfence.vma
	GOTO_MODE MODE_S, 1f
1:	HARDWARE_MISALIGNED
	li a0, MIS_VA
	ld a1, 0x101(a0)              /* mis_pages[1] bytes 0x101.. */
	EXPECT a1, 0x4847464544434241
	lh a1, 0x7f(a0)
	EXPECT a1, 0xffffffffffffc0bf
	li a0, MIS_VA + 0x1000
	ld a1, -4(a0)                 /* 3c 3d 3e 3f | 00 01 02 03 */
	EXPECT a1, 0x030201003f3e3d3c
	lw a1, -1(a0)
	EXPECT a1, 0x0201003f
	li a1, 0xa1a2a3a4a5a6a7a8
	sd a1, -2(a0)
	la a2, mis_pages + 4096 + 0xffe   /* the bytes land in both pages */
	lhu a3, 0(a2)
	EXPECT a3, 0xa7a8
	la a2, mis_pages
	lhu a3, 0(a2)
	EXPECT a3, 0xa5a6
	lwu a3, 2(a2)
	EXPECT a3, 0xa1a2a3a4

	CHECK 6   /* crossing into a page that faults: a page fault */
	li s10, 0
	li a0, MIS_VA + 0x2000
	la s10, 1f
	sd zero, -3(a0)               /* second half read-only */
	j fail
1:	EXPECT s8, CAUSE_STORE_PAGE
	EXPECT s4, MODE_M
	EXPECT_EITHER s9, MIS_VA + 0x2000 - 3, MIS_VA + 0x2000
	li a0, MIS_VA + 0x3000
	la s10, 1f
	lw a1, -2(a0)                 /* second half not mapped */
	j fail
1:	EXPECT s8, CAUSE_LOAD_PAGE
	EXPECT_EITHER s9, MIS_VA + 0x3000 - 2, MIS_VA + 0x3000
	BACK_TO_M 1f
1:	csrw satp, zero
	sfence.vma

	CHECK 7   /* misaligned AMOs and LR/SC trap: misaligned or access fault */
	la a0, mbuf + 0x300
	li a1, 0x1111111111111111
	sd a1, 0(a0)
	sd a1, 8(a0)
#ifndef QEMU_7_2   /* QEMU 7.2 reports load address misaligned for AMOs */
	addi a2, a0, 1
	la s10, 1f
	amoadd.w a3, a1, (a2)
	j fail
1:	EXPECT_EITHER s8, CAUSE_STORE_MISALIGNED, CAUSE_STORE_ACCESS
	EXPECT_SAME s9, a2
	addi a2, a0, 4
	la s10, 1f
	amoswap.d a3, a1, (a2)
	j fail
1:	EXPECT_EITHER s8, CAUSE_STORE_MISALIGNED, CAUSE_STORE_ACCESS
#endif
	addi a2, a0, 2
	la s10, 1f
	lr.w a3, (a2)
	j fail
1:	EXPECT_EITHER s8, CAUSE_LOAD_MISALIGNED, CAUSE_LOAD_ACCESS
#ifndef QEMU_7_2   /* QEMU 7.2 fails the SC without a trap */
	addi a2, a0, 6
	la s10, 1f
	sc.d a3, a1, (a2)
	j fail
1:	EXPECT_EITHER s8, CAUSE_STORE_MISALIGNED, CAUSE_STORE_ACCESS
#endif
	ld a3, 0(a0)                  /* memory untouched */
	EXPECT_SAME a3, a1
	ld a3, 8(a0)
	EXPECT_SAME a3, a1

	PASS

misaligned_trapped:
	addi s11, s11, 100
	j fail

/*
 * Baseline for the other tests: plain loads and stores in M-mode on RAM
 * pages touched for the first time (the soft TLB's miss path), every
 * width with sign and zero extension, a load right after a store to a
 * fresh page, and calls that keep the return address on the stack.  If
 * this fails, the failures of the privileged tests mean little.
 */
#include "bm.h"

	.text
	.globl test_main
test_main:
	CHECK 1   /* first load from a fresh page sees the loaded image */
	la a0, image_word
	ld a1, 0(a0)
	EXPECT a1, 0x0123456789abcdef

	CHECK 2   /* store then load on a page touched for the first time */
	la a0, fresh + 0x0000
	li a1, 0x1122334455667788
	sd a1, 0(a0)
	ld a2, 0(a0)
	EXPECT_SAME a2, a1
	la a0, fresh + 0x1000         /* a load miss first, then a store */
	ld a2, 8(a0)
	EXPECT a2, 0
	sd a1, 8(a0)
	ld a2, 8(a0)
	EXPECT_SAME a2, a1

	CHECK 3   /* every width, sign- and zero-extended, on a fresh page */
	la a0, fresh + 0x2000
	li a1, 0x8382818087868584
	sd a1, 0(a0)
	la a0, fresh + 0x2000         /* (same page, now cached) */
	lb a2, 7(a0)
	EXPECT a2, 0xffffffffffffff83
	lbu a2, 7(a0)
	EXPECT a2, 0x83
	lh a2, 6(a0)
	EXPECT a2, 0xffffffffffff8382
	lhu a2, 6(a0)
	EXPECT a2, 0x8382
	lw a2, 4(a0)
	EXPECT a2, 0xffffffff83828180
	lwu a2, 4(a0)
	EXPECT a2, 0x83828180
	la a0, fresh + 0x3000         /* the same through the miss path */
	sd a1, 0(a0)
	la a3, fresh + 0x4000
	sd a1, 0(a3)
	la a4, fresh + 0x5000
	sd a1, 0(a4)
	lb a2, 7(a0)
	EXPECT a2, 0xffffffffffffff83
	lh a2, 6(a3)
	EXPECT a2, 0xffffffffffff8382
	lw a2, 4(a4)
	EXPECT a2, 0xffffffff83828180

	CHECK 4   /* sb/sh/sw write only their bytes */
	la a0, fresh + 0x6000
	li a1, -1
	sd a1, 0(a0)
	sb zero, 1(a0)
	sh zero, 2(a0)
	sw zero, 4(a0)
	ld a2, 0(a0)
	EXPECT a2, 0x00000000000000ff

	CHECK 5   /* nested calls through the stack */
	li a0, 5
	call factorial
	EXPECT a0, 120

	PASS

factorial:                    /* recursive, so ra lives on the stack */
	li t0, 1
	bgt a0, t0, 1f
	li a0, 1
	ret
1:	addi sp, sp, -16
	sd ra, 8(sp)
	sd a0, 0(sp)
	addi a0, a0, -1
	call factorial
	ld t0, 0(sp)
	mul a0, a0, t0
	ld ra, 8(sp)
	addi sp, sp, 16
	ret

	.data
	.balign 4096
image_word: .dword 0x0123456789abcdef

	.bss
	.balign 4096
fresh:	.skip 7 * 4096

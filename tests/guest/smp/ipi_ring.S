/*
 * Software interrupts between harts through the CLINT (bare metal, all
 * harts start here with a0 = hartid): a token goes round a ring of NHARTS
 * harts ROUNDS times.  A hart sleeps in WFI (MSIE on, mstatus.MIE off, so
 * the pending MSIP wakes it without a trap), clears its own msip, and sets
 * the next hart's.  Every hand-over crosses host threads and wakes a
 * sleeping hart.  A lost wake-up hangs the ring (the test times out); WFI
 * may also return early, so each hart re-checks mip before going on.
 * Verdict through HTIF tohost: 1 = pass, 3 (check 1) = hart 0 finished but
 * the number of hand-overs counted by all harts is wrong.
 */
#ifndef NHARTS
#define NHARTS 4
#endif
#define ROUNDS 2000
#define CLINT_MSIP 0x02000000
#define MIP_MSIP (1 << 3)

	.section .text.init, "ax"
	.globl _start
_start:
	li t0, NHARTS
	bgeu a0, t0, park
	mv s0, a0
	csrw mstatus, zero              /* no traps: WFI only waits */
	li t0, MIP_MSIP
	csrw mie, t0
	li s1, CLINT_MSIP
	slli t0, s0, 2
	add s2, s1, t0                  /* my msip */
	addi t0, s0, 1
	li t1, NHARTS
	bltu t0, t1, 1f
	li t0, 0
1:	slli t0, t0, 2
	add s3, s1, t0                  /* the next hart's msip */
	la s4, tokens
	li s5, ROUNDS
	li t2, 1
	bnez s0, wait                   /* hart 0 starts the token */
	/* the token is held in msip until taken, so it does not matter
	 * whether the next hart is asleep yet */
	sw t2, 0(s3)

wait:
	wfi
	csrr t0, mip
	andi t0, t0, MIP_MSIP
	beqz t0, wait
	sw zero, 0(s2)                  /* take the token ... */
	amoadd.w zero, t2, (s4)
	addi s5, s5, -1
	bnez s0, pass_on
	beqz s5, finish                 /* hart 0: all rounds done */
pass_on:
	sw t2, 0(s3)                    /* ... and hand it on */
	bnez s5, wait
park:
	wfi
	j park

finish:
	fence rw, rw
	lw t0, 0(s4)
	li t1, NHARTS * ROUNDS
	li a1, 1
	bne t0, t1, fail
	li t0, 1
	la t1, tohost
	sd t0, 0(t1)
	j park

fail:	/* a1 = failing check */
	slli a1, a1, 1
	ori a1, a1, 1
	la t1, tohost
	sd a1, 0(t1)
	j park

	.section .tohost, "aw"
	.align 6
	.globl tohost, fromhost
tohost:	.dword 0
	.align 6
fromhost: .dword 0

	.data
	.align 6
tokens:	.word 0

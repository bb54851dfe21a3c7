/*
 * Atomics across harts, bare metal (`popek run --bios none --cpus N`): all
 * harts start here with a0 = hartid.  Each hart adds 1 to a shared word
 * ITERS times with amoadd.w, and ITERS times to another through an
 * lr.w/sc.w retry loop, then bumps the `done` word.  Hart 0 waits until
 * every started hart is done and checks the exact totals: a lost update
 * in either path shows up as a wrong count.
 *
 * Verdict through HTIF tohost: 1 = pass; (N << 1) | 1 = check N failed
 * (1: amoadd total, 2: lr/sc total, 3: a hart saw its own sc fail more
 * than RETRY_LIMIT times in a row, i.e. no forward progress).
 * The number of harts comes from NHARTS (default 4); hart ids >= NHARTS
 * park, and if fewer harts run, hart 0 waits forever (the test times out).
 */
#ifndef NHARTS
#define NHARTS 4
#endif
#define ITERS 1000000
#define RETRY_LIMIT 100000

	.section .text.init, "ax"
	.globl _start
_start:
	li t0, NHARTS
	bgeu a0, t0, park
	mv s0, a0                 /* hart id */
	la s1, amo_count
	la s2, lrsc_count
	la s3, done

	/* amoadd.w: ITERS increments */
	li t1, ITERS
	li t2, 1
1:	amoadd.w zero, t2, (s1)
	addi t1, t1, -1
	bnez t1, 1b

	/* lr.w/sc.w: ITERS increments, each retried until its sc succeeds */
	li t1, ITERS
2:	li t3, 0                  /* consecutive sc failures */
3:	lr.w t4, (s2)
	addi t4, t4, 1
	sc.w t5, t4, (s2)
	beqz t5, 4f
	addi t3, t3, 1
	li t6, RETRY_LIMIT
	bltu t3, t6, 3b
	li a1, 3
	j fail
4:	addi t1, t1, -1
	bnez t1, 2b

	li t2, 1
	amoadd.w.aqrl zero, t2, (s3)
	bnez s0, park

	/* hart 0: wait for everyone, then check the totals */
	li t0, NHARTS
5:	lw t1, (s3)
	bne t1, t0, 5b
	fence rw, rw
	li t2, NHARTS * ITERS
	lw t1, (s1)
	li a1, 1
	bne t1, t2, fail
	lw t1, (s2)
	li a1, 2
	bne t1, t2, fail
	li t0, 1
	la t1, tohost
	sd t0, 0(t1)
park:
	wfi
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
amo_count: .word 0
	.align 6
lrsc_count: .word 0
	.align 6
done:	.word 0

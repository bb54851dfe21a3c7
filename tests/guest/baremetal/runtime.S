/*
 * Runtime shared by the bare-metal tests: the reset entry, the M-mode and
 * S-mode trap handlers that implement the register conventions of bm.h,
 * an optional vector table for vectored mtvec/stvec, and the HTIF mailbox
 * (tohost/fromhost) through which pass and fail are reported.
 *
 * Failing always goes through an ecall with s10 = 0, so it works from any
 * mode: the handler that receives the unexpected trap (M, or S when ecall
 * from U is delegated) writes (s11 << 1) | 1 to tohost.  The handlers also
 * record the unexpected trap in bm_fail_info for a debugger.
 */
#include "bm.h"

	.section .text.init, "ax"
	.globl _start
_start:
	/* Only hart 0 runs the test; others (if any) park. */
	csrr t0, mhartid
	bnez t0, park
	la t0, boot_regs
	sd a0, 0(t0)
	sd a1, 8(t0)
	la sp, stack_top
	la t0, m_trap
	csrw mtvec, t0
	/* With PMP, S and U may touch nothing until an entry grants it:
	 * one NAPOT entry over the whole address space. */
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f
	csrw pmpcfg0, t0
	csrw mie, zero
	csrw mideleg, zero
	csrw medeleg, zero
	csrw satp, zero
	li s2, 0
	li s3, -1
	li s4, 0
	li s5, 0
	li s10, 0
	li s11, 0
	j test_main

park:
	wfi
	j park

	.text
	.globl pass, fail
pass:
	li t0, 1
	la t1, tohost
	sd t0, 0(t1)
#ifdef SIFIVE_TEST_EXIT
	/* Development builds for QEMU virt, which has no HTIF. */
	li t0, SIFIVE_TEST_PASS
	li t1, SIFIVE_TEST
	sw t0, 0(t1)
#endif
1:	j 1b

/* Fail the current check from any mode. */
fail:
	li s10, 0
	ecall
1:	j 1b

	.balign 4
	.globl m_trap
m_trap:
	csrr s8, mcause
	csrr s9, mtval
	csrr s7, mepc
	csrr s6, mstatus
	li s4, MODE_M
	beqz s10, m_unexpected
	csrw mepc, s10
	li s10, 0
	bgez s8, 1f
	li s2, MSTATUS_MPIE
	csrc mstatus, s2
1:	beqz s5, 2f
	li s2, MSTATUS_MPP
	csrs mstatus, s2
	li s2, MSTATUS_MPIE
	csrc mstatus, s2
	li s5, 0
2:	mret

m_unexpected:
	la s2, bm_fail_info
	sd s8, 0(s2)
	sd s7, 8(s2)
	sd s9, 16(s2)
	j report_failure

	.balign 4
	.globl s_trap
s_trap:
	csrr s8, scause
	csrr s9, stval
	csrr s7, sepc
	csrr s6, sstatus
	li s4, MODE_S
	beqz s10, s_unexpected
	csrw sepc, s10
	li s10, 0
	bgez s8, 1f
	li s2, MSTATUS_SPIE
	csrc sstatus, s2
1:	beqz s5, 2f
	li s2, MSTATUS_SPP
	csrs sstatus, s2
	li s2, MSTATUS_SPIE
	csrc sstatus, s2
	li s5, 0
2:	sret

/* In S-mode tohost is reachable: either satp is bare or the tests map
 * RAM one to one. */
s_unexpected:
	la s2, bm_fail_info
	sd s8, 0(s2)
	sd s7, 8(s2)
	sd s9, 16(s2)
	/* fall through */
report_failure:
	slli s2, s11, 1
	ori s2, s2, 1
	la s8, tohost
	sd s2, 0(s8)
#ifdef SIFIVE_TEST_EXIT
	slli s2, s11, 16
	li s8, SIFIVE_TEST_FAIL
	or s2, s2, s8
	li s8, SIFIVE_TEST
	sw s2, 0(s8)
#endif
1:	j 1b

/* Vector table for vectored mode (tvec = vec_table | 1): slot n sets
 * s3 = n and enters the handler of the mode given by its tvec; tests set
 * s3 = -1 before. Slots must be 4 bytes: no compressed jumps. */
	.balign 64
	.globl vec_table, vec_table_s
	.option push
	.option norvc
vec_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	j vec_m_\n
	.endr
vec_table_s:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	j vec_s_\n
	.endr
	.option pop
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
vec_m_\n:
	li s3, \n
	j m_trap
vec_s_\n:
	li s3, \n
	j s_trap
	.endr

	.section .tohost, "aw", @progbits
	.balign 64
	.globl tohost
	.type tohost, @object
	.size tohost, 8
tohost:	.dword 0
	.balign 64
	.globl fromhost
	.type fromhost, @object
	.size fromhost, 8
fromhost: .dword 0

	.data
	.balign 8
	.globl boot_regs, bm_fail_info
boot_regs:	.dword 0, 0     /* a0, a1 at entry */
bm_fail_info:	.dword 0, 0, 0  /* cause, epc, tval of an unexpected trap */

	.bss
	.balign 16
	.skip 8192
stack_top:

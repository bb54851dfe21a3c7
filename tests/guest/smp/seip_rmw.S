/*
 * mip.SEIP under csrrs/csrrc (bare metal, one hart, M-mode, no traps):
 * the privileged spec says a read-modify-write of mip uses only the
 * software-writable SEIP bit, not its OR with the PLIC's line.  OpenSBI
 * sets SSIP with csrs on every IPI; an emulator that writes back the ORed
 * value latches SEIP whenever the PLIC line happens to be high, and the
 * hart then takes supervisor external interrupts forever (the SMP hang this
 * test guards against).
 *
 * The PLIC line is driven by the UART's THR-empty interrupt (source 10,
 * enabled for hart 0's S-mode context 1).  Verdict through HTIF tohost:
 * 1 = pass, (N << 1) | 1 = check N failed.
 */
#define PLIC 0x0c000000
#define PLIC_PRIO_UART (PLIC + 4 * 10)
#define PLIC_ENABLE_CTX1 (PLIC + 0x2000 + 0x80)
#define PLIC_THRESHOLD_CTX1 (PLIC + 0x200000 + 0x1000)
#define UART 0x10000000
#define UART_IER 1
#define SEIP (1 << 9)
#define SSIP (1 << 1)

	.macro CHECK_MIP n, mask, want
	li a1, \n
	csrr t0, mip
	li t1, \mask
	and t0, t0, t1
	li t1, \want
	bne t0, t1, fail
	.endm

	.section .text.init, "ax"
	.globl _start
_start:
	bnez a0, park
	csrw mie, zero
	li t0, PLIC_PRIO_UART
	li t1, 1
	sw t1, 0(t0)
	li t0, PLIC_ENABLE_CTX1
	li t1, 1 << 10
	sw t1, 0(t0)
	li t0, PLIC_THRESHOLD_CTX1
	sw zero, 0(t0)
	li s0, UART

	/* 1: the UART's THR-empty interrupt raises SEIP through the PLIC */
	li t0, 2
	sb t0, UART_IER(s0)
	CHECK_MIP 1, SEIP, SEIP
	/* 2: csrs of SSIP while the line is high, then the line drops:
	 * SEIP must drop with it */
	csrsi mip, SSIP
	sb zero, UART_IER(s0)
	CHECK_MIP 2, SEIP | SSIP, SSIP
	/* 3: the same for csrc (clearing SSIP) */
	li t0, 2
	sb t0, UART_IER(s0)
	CHECK_MIP 3, SEIP | SSIP, SEIP | SSIP
	li t0, SSIP
	csrc mip, t0
	sb zero, UART_IER(s0)
	CHECK_MIP 4, SEIP | SSIP, 0
	/* 5: SEIP named in the operand is written: csrs sets the software
	 * bit, csrc clears it */
	li t0, SEIP
	csrs mip, t0
	CHECK_MIP 5, SEIP, SEIP
	li t0, SEIP
	csrc mip, t0
	CHECK_MIP 6, SEIP, 0
	/* 7: csrw writes exactly the value (software SEIP included) */
	li t0, SEIP
	csrw mip, t0
	CHECK_MIP 7, SEIP, SEIP
	csrw mip, zero
	CHECK_MIP 8, SEIP | SSIP, 0

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

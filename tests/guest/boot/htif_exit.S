/*
 * Smallest bare-metal riscv64 program with an HTIF mailbox: writes
 * (0 << 1) | 1 to tohost (exit code 0) and spins.  Linked at 0x80000000
 * with a BSS so tests/test_boot.py can check that the ELF loader places
 * segments by physical address, zeroes BSS and finds tohost/fromhost.
 */
	.section .text.init, "ax"
	.globl _start
_start:
	la	t0, tohost
	li	t1, 1
	sd	t1, 0(t0)
1:	j	1b

	.section .tohost, "aw", @progbits
	.align 6
	.globl tohost
tohost:	.dword 0
	.align 6
	.globl fromhost
fromhost: .dword 0

	.bss
	.globl scratch
scratch: .space 8192

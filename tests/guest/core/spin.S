/*
 * Loops forever in one self-chained block: the core must still notice
 * exit_request (core_harness --interrupt) and return RV_EXIT_INTERRUPT.
 */
	.text
	.globl _start
_start:
	li a0, 0
1:	addi a0, a0, 1
	j 1b

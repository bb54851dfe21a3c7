/*
 * A test that must fail: checks 1 and 2 pass, check 3 compares 2 with 3.
 * It proves the failure path end to end: the VMM has to exit non-zero
 * and name test 3 (tohost = (3 << 1) | 1).
 */
#include "bm.h"

	.text
	.globl test_main
test_main:
	CHECK 1
	li a0, 1
	EXPECT a0, 1
	CHECK 2
	NO_TRAP addi a0, a0, 1
	EXPECT a0, 2
	CHECK 3
	EXPECT a0, 3
	PASS

/*
 * Everything that makes the core return to its caller other than ecall:
 * reserved and illegal encodings (tval = the instruction bits, 16 of them
 * for compressed ones), ebreak, load/store/fetch faults beyond the window
 * and on unmapped pages (tval = address, pc = the instruction), misaligned
 * atomics, CSR access rules and the FP rounding-mode rules.  Also checks
 * that instructions before a fault in the same block took effect.
 * Layout assumed (core_harness): 4 GiB window, 0x80000000 unmapped, stack
 * mapped up to 0xf0000000 with nothing above.
 */
#include "core_test.h"

#define ILL16(h) TRAP(RV_EXIT_ILLEGAL, .hword h); EXPECT(a1, h)
#define ILL32(w) TRAP(RV_EXIT_ILLEGAL, .word w); EXPECT(a1, w)
#define UNMAPPED 0x80000000
#define BEYOND 0x100000000

	TEST_BEGIN
	.option push
	.option norvc
	/* reserved compressed encodings */
	ILL16(0x0000)          /* all zeros: c.addi4spn imm 0 */
	ILL16(0x0004)          /* c.addi4spn rd'=x9 imm 0 */
	ILL16(0x6281)          /* c.lui x5, 0 */
	ILL16(0x6101)          /* c.addi16sp 0 */
	ILL16(0x2001)          /* c.addiw x0, 0 */
	ILL16(0x2005)          /* c.addiw x0, 1 */
	ILL16(0x8002)          /* c.jr x0 */
	ILL16(0x4002)          /* c.lwsp x0 */
	ILL16(0x6002)          /* c.ldsp x0 */
	ILL16(0x8000)          /* quadrant 0 funct3 4 (Zcb, not implemented) */
	ILL16(0x9c41)          /* reserved slots after c.subw/c.addw */
	ILL16(0x9c61)
	/* illegal 32-bit encodings */
	ILL32(0xffffffff)      /* >32-bit length prefix */
	ILL32(0x30200073)      /* mret */
	ILL32(0x10500073)      /* wfi */
	ILL32(0x10200073)      /* sret */
	ILL32(0x00200073)      /* reserved SYSTEM */
	ILL32(0x30002573)      /* csrr a0, mstatus */
	ILL32(0xc0001073)      /* csrw cycle, zero: write to a read-only CSR */
	ILL32(0xc025a073)      /* csrs instret, a1: rs1 != x0 writes */
	ILL32(0xc020f573)      /* csrrci a0, instret, 1 */
	ILL32(0xc1f02573)      /* csrr a0, hpmcounter31: not provided */
	ILL32(0x1015a52f)      /* lr.w a0, (a1) with rs2 = 1 */
	ILL32(0x0205151b)      /* slliw a0, a0, 32 */
	ILL32(0x00005053)      /* fadd.s rm = 5 */
	ILL32(0x02006053)      /* fadd.d rm = 6 */
	ILL32(0x0000700f | 0x2000)  /* misc-mem funct3 2 */
	ILL32(0x00003063)      /* branch funct3 3 */
	ILL32(0x00001067)      /* jalr funct3 1 */
	ILL32(0x0000701b)      /* op-imm-32 funct3 7 */
	ILL32(0x04000053 | 0x06000000)  /* fadd with fmt 3 (Q) */
	.option pop

	/* legal CSR accesses */
	csrr a0, cycle
	csrr a0, time
	csrr a0, instret
	csrrs x0, cycle, x0
	csrrsi a0, instret, 0
	csrrci a0, cycle, 0
	/* fcsr packing */
	li a0, 0xff
	csrw fcsr, a0
	csrr a1, fcsr
	EXPECT(a1, 0xff)
	csrr a1, frm
	EXPECT(a1, 7)
	csrr a1, fflags
	EXPECT(a1, 0x1f)
	csrwi fflags, 0
	csrr a1, fcsr
	EXPECT(a1, 0xe0)
	/* dynamic rounding with an invalid frm is illegal; valid frm is not */
	csrwi frm, 5
	TRAP(RV_EXIT_ILLEGAL, fadd.d f0, f0, f0, dyn)
	EXPECT(a1, 0x02007053)
	csrwi frm, 7
	TRAP(RV_EXIT_ILLEGAL, fcvt.w.s a0, f0, dyn)
	csrwi frm, 0
	fadd.d f0, f0, f0, dyn
	fadd.d f0, f0, f0, rtz     /* static modes ignore frm */
	csrwi frm, 6
	fadd.d f0, f0, f0, rtz
	csrwi frm, 0

	/* ebreak, c.ebreak */
	TRAP(RV_EXIT_EBREAK, ebreak)
	TRAP(RV_EXIT_EBREAK, c.ebreak)

	/* loads and stores beyond the window (explicit check) */
	li s1, BEYOND
	TRAP(RV_EXIT_LOAD_FAULT, ld a0, 0(s1))
	EXPECT(a1, BEYOND)
	TRAP(RV_EXIT_STORE_FAULT, sb a0, 16(s1))
	EXPECT(a1, BEYOND + 16)
	li s1, 0xfffffffc      /* in the window, but 8 bytes do not fit */
	TRAP(RV_EXIT_LOAD_FAULT, ld a0, 0(s1))
	EXPECT(a1, 0xfffffffc)
	li s1, -8
	TRAP(RV_EXIT_LOAD_FAULT, lbu a0, 0(s1))
	EXPECT(a1, -8)
	/* unmapped pages inside the window (host SIGSEGV) */
	li s1, UNMAPPED
	TRAP(RV_EXIT_LOAD_FAULT, lw a0, 8(s1))
	EXPECT(a1, UNMAPPED + 8)
	TRAP(RV_EXIT_STORE_FAULT, sd a0, 0(s1))
	EXPECT(a1, UNMAPPED)
	TRAP(RV_EXIT_LOAD_FAULT, fld f1, 0(s1))
	TRAP(RV_EXIT_STORE_FAULT, fsw f1, 0(s1))
	TRAP(RV_EXIT_STORE_FAULT, amoadd.w a0, a1, (s1))
	EXPECT(a1, UNMAPPED)
	TRAP(RV_EXIT_STORE_FAULT, amomaxu.d a0, a1, (s1))
	TRAP(RV_EXIT_STORE_FAULT, amoswap.d a0, a1, (s1))
	TRAP(RV_EXIT_LOAD_FAULT, lr.d a0, (s1))
	TRAP(RV_EXIT_STORE_FAULT, amoadd.d a0, a1, (s1))
	li s1, BEYOND
	TRAP(RV_EXIT_STORE_FAULT, amoor.w a0, a1, (s1))
	TRAP(RV_EXIT_LOAD_FAULT, lr.w a0, (s1))

	/* misaligned atomics; misaligned plain accesses are fine */
	la s1, scratch
	addi s2, s1, 2
	TRAP(RV_EXIT_MISALIGNED, amoadd.w a0, a1, (s2))
	EXPECT_SAME(a1, s2)
	addi s2, s1, 4
	TRAP(RV_EXIT_MISALIGNED, lr.d a0, (s2))
	TRAP(RV_EXIT_MISALIGNED, sc.d a0, a1, (s2))
	TRAP(RV_EXIT_MISALIGNED, amoswap.d a0, a1, (s2))
	li a0, 0x1122334455667788
	sd a0, 3(s1)
	ld a1, 3(s1)
	EXPECT_SAME(a0, a1)
	li t0, 4094
	add s2, s1, t0
	lw a1, 0(s2)           /* crosses into the next (mapped) page */

	/* instructions before a fault in the same block are committed */
	la tp, 1f
	li s1, UNMAPPED
	li s0, 0
	addi s0, s0, 5
2:	ld s0, 0(s1)
	j fail
1:	EXPECT(a0, RV_EXIT_LOAD_FAULT)
	la t0, 2b
	EXPECT_SAME(a2, t0)
	EXPECT(s0, 5)

	/* fetch faults: pc and tval are the target */
	la tp, 1f
	li s1, UNMAPPED
	jalr ra, s1
	j fail
1:	EXPECT(a0, RV_EXIT_FETCH_FAULT)
	EXPECT(a1, UNMAPPED)
	EXPECT(a2, UNMAPPED)
	la tp, 1f
	li s1, BEYOND + 0x1000
	jr s1
	j fail
1:	EXPECT(a0, RV_EXIT_FETCH_FAULT)
	EXPECT(a1, BEYOND + 0x1000)

	/* A 4-byte instruction straddling into an unmapped page: the c.addi
	 * before it runs, then fetch faults with pc at the instruction and
	 * tval at the second half. */
	li s1, 0xeffffffc
	li t0, 0x0685          /* c.addi a3, 1 */
	sh t0, 0(s1)
	li t0, 0x0513          /* low half of addi a0, a0, ... */
	sh t0, 2(s1)
	fence.i
	li a3, 0
	la tp, 1f
	jr s1
	j fail
1:	EXPECT(a0, RV_EXIT_FETCH_FAULT)
	EXPECT(a1, 0xf0000000)
	EXPECT(a2, 0xeffffffe)
	EXPECT(a3, 1)
	TEST_END

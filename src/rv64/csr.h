/*
 * CSR numbers (RISC-V privileged spec 1.12, table 2.2-2.5) and the helpers
 * csr.c shares with trap.c.  Bits [11:10] of a number = 3 mean read-only;
 * bits [9:8] are the lowest privilege that may access it.  csrrs/csrrc with
 * rs1 = x0 (and csrrsi/csrrci with uimm 0) do not write, so they are legal
 * on read-only CSRs: the caller must then skip rv_csr_write.
 */
#ifndef POPEK_RV64_CSR_H
#define POPEK_RV64_CSR_H

#include <stdint.h>

#include "rv64/priv.h"

enum {
	CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
	CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02, CSR_HPMCOUNTER31 = 0xc1f,

	CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_STIMECMP = 0x14d, CSR_SATP = 0x180,

	CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320, CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f,
	CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343,
	CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0,
	CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02, CSR_MHPMCOUNTER3 = 0xb03,
	CSR_MHPMCOUNTER31 = 0xb1f,
};

/* mstatus as software reads it (SD, UXL, SXL filled in). */
uint64_t rv_mstatus_read(const struct rv_priv *p);

/* The value a csrrs/csrrc (or the immediate forms) writes back: combined is
 * what the instruction computed from the value it read, src its operand.
 * For mip the read-modify-write must use the software-writable SEIP bit,
 * not the OR with the interrupt controller's line that a read returns. */
uint64_t rv_csr_rmw_value(const struct rv_cpu *cpu, unsigned csr, uint64_t combined, uint64_t src);

#endif

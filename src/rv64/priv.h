/*
 * Privileged architecture state of a hart (RISC-V privileged spec 1.12):
 * M/S/U modes, the machine and supervisor CSRs, trap delegation, Sv39/Sv48
 * translation and the soft TLB that makes translation cheap.
 *
 * Only the full-system machine uses this; the user-mode process VM leaves
 * it zeroed.  csr.c owns CSR reads and writes (WARL rules), trap.c trap
 * entry/return and interrupt selection, mmu.c page walks and the TLB.
 */
#ifndef POPEK_RV64_PRIV_H
#define POPEK_RV64_PRIV_H

#include <stdbool.h>
#include <stdint.h>

struct rv_cpu;
struct bus;

enum rv_mode { RV_MODE_U = 0, RV_MODE_S = 1, RV_MODE_M = 3 };
enum rv_access { RV_ACC_READ = 0, RV_ACC_WRITE = 1, RV_ACC_EXEC = 2 };

/* Exception causes */
enum {
	RV_EXC_INSN_MISALIGNED = 0, RV_EXC_INSN_ACCESS = 1, RV_EXC_ILLEGAL = 2,
	RV_EXC_BREAKPOINT = 3, RV_EXC_LOAD_MISALIGNED = 4, RV_EXC_LOAD_ACCESS = 5,
	RV_EXC_STORE_MISALIGNED = 6, RV_EXC_STORE_ACCESS = 7, RV_EXC_ECALL_U = 8,
	RV_EXC_ECALL_S = 9, RV_EXC_ECALL_M = 11, RV_EXC_INSN_PAGE = 12,
	RV_EXC_LOAD_PAGE = 13, RV_EXC_STORE_PAGE = 15,
};
/* Interrupt numbers (bit positions in mip/mie) */
enum { RV_IRQ_SSI = 1, RV_IRQ_MSI = 3, RV_IRQ_STI = 5, RV_IRQ_MTI = 7, RV_IRQ_SEI = 9, RV_IRQ_MEI = 11 };
#define RV_CAUSE_INTERRUPT (1ULL << 63)

/* mstatus fields */
#define MSTATUS_SIE   (1ULL << 1)
#define MSTATUS_MIE   (1ULL << 3)
#define MSTATUS_SPIE  (1ULL << 5)
#define MSTATUS_UBE   (1ULL << 6)
#define MSTATUS_MPIE  (1ULL << 7)
#define MSTATUS_SPP   (1ULL << 8)
#define MSTATUS_VS    (3ULL << 9)
#define MSTATUS_MPP   (3ULL << 11)
#define MSTATUS_FS    (3ULL << 13)
#define MSTATUS_XS    (3ULL << 15)
#define MSTATUS_MPRV  (1ULL << 17)
#define MSTATUS_SUM   (1ULL << 18)
#define MSTATUS_MXR   (1ULL << 19)
#define MSTATUS_TVM   (1ULL << 20)
#define MSTATUS_TW    (1ULL << 21)
#define MSTATUS_TSR   (1ULL << 22)
#define MSTATUS_UXL   (3ULL << 32)
#define MSTATUS_SXL   (3ULL << 34)
#define MSTATUS_SD    (1ULL << 63)

/* One soft-TLB entry: a page of guest virtual address space that maps to
 * host memory (RAM).  tag is the page-aligned virtual address, or ~0 when
 * invalid; host address = va + addend.  MMIO pages are never cached. */
struct rv_tlb_entry {
	uint64_t tag;
	uint64_t addend;
};

#define RV_TLB_BITS 8
#define RV_TLB_SIZE (1u << RV_TLB_BITS)

/* What a hart needs from the machine it sits in. */
struct rv_platform {
	uint8_t *ram_host;      /* host address of guest physical ram_base */
	uint64_t ram_base, ram_size;
	struct bus *bus;        /* everything that is not RAM */
	/* mtime in 10 MHz ticks (the CLINT's clock, shared by all harts) */
	uint64_t (*read_time)(void *opaque);
	void *time_opaque;
	/* One byte per RAM page: non-zero while decoded code exists for that
	 * page.  Stores to such a page are never cached in a write TLB entry;
	 * the fill calls rv_code_page_written first, which drops decoded code
	 * and bumps code_generation so every hart drops its own. */
	uint8_t *code_pages;
	uint64_t code_generation;
	/* SMP: every hart of the machine, so a hart can drop the others'
	 * write TLB entries to a page that just became a code page, and make
	 * them notice a code flush (kick_all sets their exit_request). */
	struct rv_cpu **harts;
	int nharts;
	void (*kick_all)(void *opaque);
	void *kick_opaque;
};

struct rv_priv {
	int mode;               /* enum rv_mode */
	uint64_t mhartid;
	uint64_t mstatus;
	uint64_t misa;
	uint64_t medeleg, mideleg;
	uint64_t mie;
	/* mip is split: bits software may write (SSIP, STIP when !Sstc, SEIP)
	 * and bits driven by the CLINT and PLIC from other threads (MSIP, MTIP,
	 * MEIP, the SEIP line).  The architectural mip is their OR, with STIP
	 * computed from stimecmp when Sstc is on. */
	uint64_t mip_sw;
	volatile uint64_t mip_hw;   /* updated with __atomic ops */
	uint64_t mtvec, mscratch, mepc, mcause, mtval;
	uint64_t mcounteren, mcountinhibit, menvcfg;
	uint64_t stvec, sscratch, sepc, scause, stval, satp;
	uint64_t scounteren, senvcfg;
	uint64_t stimecmp;
	uint64_t pmpcfg[16];        /* only the even ones exist on RV64 */
	uint64_t pmpaddr[64];
	uint64_t mcycle_base;       /* cycle = instret - mcycle_base after writes */
	uint64_t minstret_base;

	bool wfi;                   /* parked in WFI until an interrupt is pending */
	bool code_flushed;          /* a store just invalidated decoded code */
	uint64_t code_seen_generation;
	volatile int irq_kick;      /* another thread raised an interrupt */

	/* Soft TLB, one table per access kind; flushed on satp writes,
	 * sfence.vma, privilege changes and mstatus MPRV/SUM/MXR changes. */
	struct rv_tlb_entry tlb[3][RV_TLB_SIZE];

	struct rv_platform *plat;
};

/* CSR access from an instruction at the current privilege level.  Returns
 * 0, or -1 when the access is illegal (the caller raises an illegal
 * instruction exception).  rv_csr_write may change the privilege-relevant
 * state (satp, mstatus): the caller must end the current block after it. */
int rv_csr_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val);
int rv_csr_write(struct rv_cpu *cpu, unsigned csr, uint64_t val);
/* True when the CSR may be read/written at the current mode (for csrrs/c
 * with rs1 = x0, no write happens and read-only CSRs are legal). */

/* Reset to the state a hart has after power-on: M-mode, pc is the caller's. */
void rv_priv_reset(struct rv_cpu *cpu, uint64_t hartid, struct rv_platform *plat);

/* Trap entry: set the relevant CSRs and cpu->pc to the handler. */
void rv_trap_take(struct rv_cpu *cpu, uint64_t cause, uint64_t tval);
/* The interrupt to take now (cause with RV_CAUSE_INTERRUPT), or 0. */
uint64_t rv_interrupt_pending(struct rv_cpu *cpu);
/* The architectural mip value (all sources merged). */
uint64_t rv_mip_read(struct rv_cpu *cpu);
/* Raise or lower a device-driven mip bit; safe from any thread. */
void rv_mip_set_hw(struct rv_cpu *cpu, int irq, int level);
/* mret / sret: returns 0, or -1 if illegal at the current mode. */
int rv_mret(struct rv_cpu *cpu);
int rv_sret(struct rv_cpu *cpu);

/* Translate va for an access of the given kind at the effective privilege.
 * Returns 0 with *pa set, or the exception cause (page fault or access
 * fault) to raise. */
int rv_mmu_translate(struct rv_cpu *cpu, uint64_t va, enum rv_access acc, uint64_t *pa);
/* Slow path of a load/store/fetch: translate, and for RAM fill the TLB and
 * return the host pointer; for MMIO return NULL with *pa set.  On a fault
 * returns NULL with *cause set (non-zero). */
void *rv_tlb_fill(struct rv_cpu *cpu, uint64_t va, enum rv_access acc, uint64_t *pa, int *cause);
void rv_tlb_flush(struct rv_cpu *cpu);
/* A store is about to reach a RAM page holding decoded code (engine). */
void rv_code_page_written(struct rv_cpu *cpu, uint64_t paddr);
/* Drop write entries that reach the RAM page holding paddr (the page just
 * became a code page). */
void rv_tlb_flush_write_page(struct rv_cpu *cpu, uint64_t paddr);

/* The effective privilege for data accesses (MPRV makes M-mode loads and
 * stores use MPP). */
static inline int rv_data_mode(const struct rv_priv *p)
{
	if (p->mode == RV_MODE_M && (p->mstatus & MSTATUS_MPRV))
		return (int)((p->mstatus & MSTATUS_MPP) >> 11);
	return p->mode;
}

#endif

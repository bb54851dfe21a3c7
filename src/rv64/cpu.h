/*
 * The RV64GC hart: architectural state and the contract between the
 * execution core (interpreter now, translator later) and whoever runs it
 * (the user-mode process VM, the full-system machine).
 *
 * The core never makes policy: in user mode every ECALL, fault or illegal
 * instruction comes back to the caller as an rv_exit code with cpu->pc at
 * the instruction that caused it, and the process VM turns it into a system
 * call or a guest signal.  In system mode (later) traps are taken inside the
 * core and only host-level events (WFI, halt, budget) come back.
 */
#ifndef POPEK_RV64_CPU_H
#define POPEK_RV64_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "rv64/priv.h"

enum rv_exit {
	RV_EXIT_NONE = 0,
	RV_EXIT_ECALL,        /* pc = the ecall; caller advances pc by 4 */
	RV_EXIT_EBREAK,       /* pc = the ebreak (or c.ebreak) */
	RV_EXIT_ILLEGAL,      /* pc = the instruction; tval = its bits */
	RV_EXIT_FETCH_FAULT,  /* tval = faulting guest address */
	RV_EXIT_LOAD_FAULT,   /* tval = faulting guest address */
	RV_EXIT_STORE_FAULT,  /* tval = faulting guest address (stores, AMOs, SC) */
	RV_EXIT_MISALIGNED,   /* misaligned AMO/LR/SC: tval = address (SIGBUS) */
	RV_EXIT_INTERRUPT,    /* cpu->exit_request was set (signal pending, stop) */
	RV_EXIT_WFI,          /* system mode: WFI with nothing pending; pc is past it */
};

/* fcsr.frm / instruction rm field values */
enum { RV_RM_RNE = 0, RV_RM_RTZ = 1, RV_RM_RDN = 2, RV_RM_RUP = 3, RV_RM_RMM = 4, RV_RM_DYN = 7 };
/* fflags bits */
enum { RV_FF_NX = 1, RV_FF_UF = 2, RV_FF_OF = 4, RV_FF_DZ = 8, RV_FF_NV = 16 };

struct rv_code_cache;
struct rv_dbt;

struct rv_cpu {
	uint64_t x[32];         /* x[0] reads as zero: the core never leaves it non-zero */
	uint64_t f[32];         /* raw bits; singles are NaN-boxed (upper 32 bits all ones) */
	uint64_t pc;
	uint32_t fflags;        /* accrued exceptions, RV_FF_* */
	uint32_t frm;           /* dynamic rounding mode */

	/* LR/SC reservation (address of the reserved doubleword/word, and the
	 * value loaded, so SC can be implemented with a host compare-exchange). */
	uint64_t res_addr;
	uint64_t res_value;
	bool res_valid;

	uint64_t instret;       /* retired instructions (approximate at block grain) */

	/* User mode: guest virtual address A lives at host address guest_base + A
	 * for A < guest_limit.  Any access with A >= guest_limit is a fault; an
	 * access to an unmapped page inside the window raises a host SIGSEGV that
	 * the process VM turns back into a guest fault via rv_cpu_host_fault(). */
	uint8_t *guest_base;
	uint64_t guest_limit;

	/* Exit details for the caller. */
	uint64_t tval;

	/* Set asynchronously (another thread, a signal handler) to make the run
	 * loop return RV_EXIT_INTERRUPT at the next block boundary. */
	volatile int exit_request;

	/* Full-system only: privilege level, CSRs, soft TLB (zero in user mode). */
	struct rv_priv priv;

	struct rv_code_cache *cache;  /* decoded-block cache, private to this hart */
	struct rv_dbt *dbt;           /* binary translator state (rv64/dbt), or NULL */
	sigjmp_buf fault_jmp;         /* where rv_cpu_host_fault() lands */
	void *opaque;                 /* owner's back pointer (process thread, hart) */
};

/* Set up a hart with an empty code cache.  Returns 0 or -errno. */
int rv_cpu_init(struct rv_cpu *cpu);
void rv_cpu_destroy(struct rv_cpu *cpu);

/* Run user-mode code until something needs the caller.  Returns an rv_exit. */
enum rv_exit rv_run_user(struct rv_cpu *cpu);

/* Execute exactly one instruction (a debug and differential-testing hook).
 * Returns RV_EXIT_NONE with pc at the next instruction, or the exit that
 * instruction caused, exactly as rv_run_user() would report it.  Ignores
 * exit_request. */
enum rv_exit rv_step_user(struct rv_cpu *cpu);

/* Run full-system code (M/S/U, traps taken inside) until exit_request is
 * set (RV_EXIT_INTERRUPT) or the hart waits for an interrupt (RV_EXIT_WFI).
 * Pending interrupts are taken on entry and at block boundaries after a
 * kick; the caller clears exit_request before calling. */
enum rv_exit rv_run_system(struct rv_cpu *cpu);

/* Forget decoded code for guest addresses [start, start+len): fence.i,
 * riscv_flush_icache, munmap/mmap/mprotect over code.  len == UINT64_MAX
 * flushes everything. */
void rv_code_flush(struct rv_cpu *cpu, uint64_t start, uint64_t len);

/* Called from the process VM's SIGSEGV/SIGBUS handler when a host fault hit
 * the guest window while this thread was running guest code.  Does not
 * return: it unwinds to rv_run_user(), which returns LOAD/STORE/FETCH_FAULT
 * with pc at the faulting instruction and tval = guest_addr. */
_Noreturn void rv_cpu_host_fault(struct rv_cpu *cpu, uint64_t guest_addr, bool is_write);

/* The hart running guest code on this host thread, or NULL. */
extern __thread struct rv_cpu *rv_current_cpu;
/* True while this thread is inside guest code (between sigsetjmp and return);
 * the fault handler must only unwind when it is set. */
extern __thread volatile int rv_in_guest;

#endif

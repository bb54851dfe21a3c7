/*
 * Illegal instructions must raise SIGILL with si_code ILL_ILLOPC and
 * si_addr at the instruction, and the handler must be able to resume after
 * it by advancing the pc in the ucontext.  Each case is an exported label
 * on a raw encoding; the program prints one line per case and exits with
 * the number of failed cases.  Also checks that ebreak raises SIGTRAP,
 * that legal neighbours (csrr of cycle, fence.i) do not trap, and that data
 * faults report the data address: misaligned AMO/LR (SIGBUS BUS_ADRALN),
 * a load from page zero (SEGV_MAPERR), stores and AMOs to read-only code
 * (SEGV_ACCERR, and the code must be left unchanged).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ucontext.h>

static volatile int caught_sig, caught_code;
static volatile uintptr_t caught_addr, caught_pc;
static volatile int traps;

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t pc = uc->uc_mcontext.__gregs[REG_PC];
	uint16_t low;
	memcpy(&low, (const void *)pc, sizeof(low));
	traps++;
	caught_sig = sig;
	caught_code = si->si_code;
	caught_addr = (uintptr_t)si->si_addr;
	caught_pc = pc;
	/* skip the instruction: 16-bit unless its low two bits are 11 */
	uc->uc_mcontext.__gregs[REG_PC] = pc + ((low & 3) == 3 ? 4 : 2);
}

/* Each case: a global label on the instruction, then a return. */
#define CASE(name, insn)						\
	extern char name[];						\
	static void run_##name(void)					\
	{								\
		__asm__ volatile(".globl " #name "\n" #name ":\n\t" insn \
				 ::: "memory", "t0", "ft0");		\
	}
/* A case whose setup instructions come first and define the label themselves. */
#define CASE_SETUP(name, setup_and_insn)				\
	extern char name[];						\
	static void run_##name(void)					\
	{								\
		__asm__ volatile(setup_and_insn ::: "memory", "t0", "ft0"); \
	}

CASE(ill_zero16, ".2byte 0x0000")                  /* defined illegal */
CASE(ill_ones32, ".4byte 0xffffffff")              /* all ones */
CASE(ill_opcode, ".4byte 0x0000006b")              /* reserved major opcode */
CASE(ill_write_cycle, ".4byte 0xc0029073")         /* csrrw x0, cycle, t0: read-only CSR */
CASE_SETUP(ill_set_time, "li t0, 1\n.globl ill_set_time\nill_set_time: .4byte 0xc012a073")
/* csrrs x0, time, t0 with t0 = 0: still an attempted write, still illegal */
CASE_SETUP(ill_set_time0, "li t0, 0\n.globl ill_set_time0\nill_set_time0: .4byte 0xc012a073")
CASE(ill_mstatus, ".4byte 0x300022f3")             /* csrr t0, mstatus from user mode */
CASE(ill_sret, ".4byte 0x10200073")                /* sret from user mode */
CASE(ill_rm5, ".4byte 0x0220d053")                 /* fadd.d ft0, ft1, ft2 with rm=5 */
CASE(ill_rm6, ".4byte 0x0220e053")                 /* ... with rm=6 */
CASE(ill_c_addi4spn0, ".2byte 0x0004")             /* c.addi4spn with nzuimm = 0 */
CASE(ill_c_lui0, ".2byte 0x6081")                  /* c.lui ra, 0 */
CASE(ill_c_addi16sp0, ".2byte 0x6101")             /* c.addi16sp sp, 0 */
CASE(ill_funct7, ".4byte 0xfe000033")              /* OP with an unknown funct7 */
CASE(ill_shamt_w, ".4byte 0x0200159b")             /* slliw with shamt[5] set */
CASE(trap_ebreak, "ebreak")
CASE(legal_rdcycle, ".4byte 0xc00022f3")           /* csrr t0, cycle */
CASE(legal_fencei, "fence.i")

/* Data faults: t0 holds the address the instruction touches. */
char fault_buf[64] __attribute__((aligned(16)));
CASE_SETUP(fault_amo_misaligned, "lla t0, fault_buf + 2\n"
	   ".globl fault_amo_misaligned\nfault_amo_misaligned: amoadd.w zero, zero, (t0)")
CASE_SETUP(fault_lr_misaligned, "lla t0, fault_buf + 4\n"
	   ".globl fault_lr_misaligned\nfault_lr_misaligned: lr.d t0, (t0)")
/* 4-byte aligned: the AMO case below writes to this instruction */
CASE_SETUP(fault_load_page0, "li t0, 16\n"
	   ".balign 4\n.globl fault_load_page0\nfault_load_page0: ld t0, 0(t0)")
CASE_SETUP(fault_store_code, "lla t0, fault_load_page0\n"
	   ".globl fault_store_code\nfault_store_code: sw zero, 0(t0)")
CASE_SETUP(fault_amo_code, "lla t0, fault_load_page0\n"
	   ".globl fault_amo_code\nfault_amo_code: amoswap.w zero, zero, (t0)")

/* fadd.d with rm=dyn while frm holds the invalid value 5 */
extern char ill_dyn_frm5[];
static void run_ill_dyn_frm5(void)
{
	__asm__ volatile("csrwi frm, 5\n"
			 ".globl ill_dyn_frm5\nill_dyn_frm5:\n\t.4byte 0x0220f053\n\t"
			 "csrwi frm, 0" ::: "memory", "ft0");
}

struct illcase {
	const char *name;
	void (*run)(void);
	const char *addr;
	int sig, code;   /* sig 0: must not trap */
	uintptr_t data;  /* expected si_addr when it is not the instruction */
};

static const struct illcase cases[] = {
#define ILL(n) { #n, run_##n, n, SIGILL, ILL_ILLOPC, 0 }
	ILL(ill_zero16), ILL(ill_ones32), ILL(ill_opcode), ILL(ill_write_cycle),
	ILL(ill_set_time), ILL(ill_set_time0), ILL(ill_mstatus), ILL(ill_sret), ILL(ill_rm5), ILL(ill_rm6),
	ILL(ill_dyn_frm5), ILL(ill_c_addi4spn0), ILL(ill_c_lui0), ILL(ill_c_addi16sp0),
	ILL(ill_funct7), ILL(ill_shamt_w),
	{ "trap_ebreak", run_trap_ebreak, trap_ebreak, SIGTRAP, TRAP_BRKPT, 0 },
	{ "legal_rdcycle", run_legal_rdcycle, legal_rdcycle, 0, 0, 0 },
	{ "legal_fencei", run_legal_fencei, legal_fencei, 0, 0, 0 },
#define FAULT(n, sig, code, data) { #n, run_##n, n, sig, code, (uintptr_t)(data) }
	FAULT(fault_amo_misaligned, SIGBUS, BUS_ADRALN, fault_buf + 2),
	FAULT(fault_lr_misaligned, SIGBUS, BUS_ADRALN, fault_buf + 4),
	FAULT(fault_load_page0, SIGSEGV, SEGV_MAPERR, 16),
	FAULT(fault_store_code, SIGSEGV, SEGV_ACCERR, fault_load_page0),
	FAULT(fault_amo_code, SIGSEGV, SEGV_ACCERR, fault_load_page0),
};

static int check_case(const struct illcase *c)
{
	int before = traps;
	caught_sig = caught_code = 0;
	caught_addr = caught_pc = 0;
	c->run();
	int n = traps - before;
	int ok;
	uintptr_t want_addr = c->data ? c->data : (uintptr_t)c->addr;
	if (c->sig == 0)
		ok = n == 0;
	else
		ok = n == 1 && caught_sig == c->sig && caught_code == c->code &&
		     caught_pc == (uintptr_t)c->addr &&
		     (c->sig == SIGTRAP || caught_addr == want_addr);
	printf("%-20s %s (traps=%d sig=%d code=%d addr%s pc%s)\n", c->name, ok ? "ok" : "FAIL", n,
	       caught_sig, caught_code, caught_addr == want_addr ? "=want" : "!=want",
	       caught_pc == (uintptr_t)c->addr ? "=insn" : "!=insn");
	return ok;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGTRAP, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int failed = 0;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += !check_case(&cases[i]);
	uint32_t code_word;
	memcpy(&code_word, fault_load_page0, sizeof(code_word));
	int code_intact = code_word == 0x0002b283;   /* ld t0, 0(t0) */
	printf("code unchanged after faulting stores: %s\n", code_intact ? "ok" : "FAIL");
	failed += !code_intact;
	printf("%d failed\n", failed);
	return failed;
}

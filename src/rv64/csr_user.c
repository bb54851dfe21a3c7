/*
 * User-level CSR access (Zicsr, Zicntr) for the user-mode engine.  The
 * counters are derived, not stored: cycle and instret both report retired
 * instructions (a deterministic stand-in for cycles), time reports the
 * host's monotonic clock at 10 MHz, the timebase Linux guests assume.
 */
#include <time.h>

#include "rv64/csr_user.h"
#include "rv64/fpu_fast.h"

enum {
	CSR_U_FFLAGS = 0x001, CSR_U_FRM = 0x002, CSR_U_FCSR = 0x003,
	CSR_U_CYCLE = 0xc00, CSR_U_TIME = 0xc01, CSR_U_INSTRET = 0xc02,
};

static uint64_t time_10mhz(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

/* The engines' fast FP path leaves accrued flags in the host MXCSR
 * (fpu_fast.h): fold them in before fflags is looked at or replaced. */
static void sync_fflags(struct rv_cpu *cpu, unsigned csr)
{
	if (csr == CSR_U_FFLAGS || csr == CSR_U_FCSR)
		cpu->fflags |= fpu_engine_collect();
}

int rv_csr_user_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val)
{
	sync_fflags(cpu, csr);
	switch (csr) {
	case CSR_U_FFLAGS: *val = cpu->fflags & 0x1f; return 0;
	case CSR_U_FRM: *val = cpu->frm & 7; return 0;
	case CSR_U_FCSR: *val = (cpu->frm & 7) << 5 | (cpu->fflags & 0x1f); return 0;
	case CSR_U_CYCLE: case CSR_U_INSTRET: *val = cpu->instret; return 0;
	case CSR_U_TIME: *val = time_10mhz(); return 0;
	}
	return -1;
}

int rv_csr_user_write(struct rv_cpu *cpu, unsigned csr, uint64_t val)
{
	sync_fflags(cpu, csr);
	switch (csr) {
	case CSR_U_FFLAGS: cpu->fflags = val & 0x1f; return 0;
	case CSR_U_FRM: cpu->frm = val & 7; return 0;
	case CSR_U_FCSR:
		cpu->fflags = val & 0x1f;
		cpu->frm = (val >> 5) & 7;
		return 0;
	}
	return -1;
}

/*
 * The CSRs a user-mode hart can reach: the FP control/status registers
 * (fflags, frm, fcsr) and the read-only counters (cycle, time, instret).
 * Everything else, and any write to a counter, is an illegal instruction.
 */
#ifndef POPEK_RV64_CSR_USER_H
#define POPEK_RV64_CSR_USER_H

#include <stdint.h>

#include "rv64/cpu.h"

/* Returns 0 with *val set, or -1 when csr does not exist in user mode. */
int rv_csr_user_read(struct rv_cpu *cpu, unsigned csr, uint64_t *val);
/* Returns 0, or -1 when csr does not exist or is read-only. */
int rv_csr_user_write(struct rv_cpu *cpu, unsigned csr, uint64_t val);

#endif

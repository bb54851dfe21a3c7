/*
 * The dynamic binary translator engine for user mode: translates RV64GC
 * basic blocks into x86-64 code and runs them.  It honours the same
 * contract as rv_run_user() (cpu.h): it returns on every ECALL, fault,
 * illegal instruction or exit_request with cpu->pc at the instruction
 * concerned, and keeps every architectural register in *cpu at every
 * guest memory access so that host faults unwind precisely.
 *
 * Translator state hangs off cpu->dbt, created on the first run and freed
 * by rv_dbt_destroy() (called from rv_cpu_destroy()).
 */
#ifndef POPEK_RV64_DBT_DBT_H
#define POPEK_RV64_DBT_DBT_H

#include <stdbool.h>

#include "rv64/cpu.h"

/* The process-wide engine choice of the user-mode VM: when true, the run
 * loop calls rv_run_user_dbt() instead of rv_run_user().  Default: true. */
extern bool rv_user_engine_dbt;

/* Parse an engine name ("interp" or "dbt") into rv_user_engine_dbt.
 * Returns 0, or -EINVAL for anything else. */
int rv_user_engine_select(const char *name);

/* Run translated user-mode code until something needs the caller. */
enum rv_exit rv_run_user_dbt(struct rv_cpu *cpu);

/* Free the translator state of cpu (no-op when it has none). */
void rv_dbt_destroy(struct rv_cpu *cpu);

/* Test hook: with single = true, rv_run_user_dbt() returns RV_EXIT_NONE
 * after every translated block instead of chaining to the next, so a
 * differential test can compare state block by block.  Creates the
 * translator state if needed; returns 0 or -errno. */
int rv_dbt_set_single_block(struct rv_cpu *cpu, bool single);

#endif

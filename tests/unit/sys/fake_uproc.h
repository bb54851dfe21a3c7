/*
 * A stand-in for the process VM, enough to call the system-call
 * translation handlers (src/user/sys_*.c) directly from a host test: a
 * reserved guest window with one mapped region [G_BASE, G_BASE+G_SIZE),
 * fault-safe copies limited to that region, and recorders for the hooks the
 * handlers call into (signals, code flushes).
 */
#ifndef POPEK_TESTS_FAKE_UPROC_H
#define POPEK_TESTS_FAKE_UPROC_H

#include <stdbool.h>
#include <stdint.h>

#include "user/syscall.h"
#include "user/uproc.h"

#define G_BASE 0x10000ULL      /* the one mapped guest region */
#define G_SIZE (1ULL << 20)

extern struct uproc *P;
extern struct uthread *T;
extern struct sys_entry tbl[SYS_TABLE_SIZE];
extern int deliverable;                  /* what usig_have_deliverable answers */
extern uint64_t flushed_start, flushed_len;

/* Reserve the window, fill the table; exe is the guest program path.
 * Returns 0, or -1 after printing why. */
int fake_uproc_init(const char *exe);

#endif

/*
 * State of one block translation, shared by the translator's files: the
 * output buffer, the pending exits, and the block's guest-register cache.
 *
 * Register cache: the guest registers a block uses most live in host
 * registers for the block's duration (loaded at block entry).  A write
 * makes the host copy dirty; dirty registers are stored back to cpu->x
 * ("synced") before anything that may look at cpu->x: a guest memory
 * access (so a host fault finds *cpu exact), a helper call, and every
 * exit.  After a call, host copies the call may have clobbered or that
 * the helper may have changed are reloaded.
 */
#ifndef POPEK_RV64_DBT_TX_H
#define POPEK_RV64_DBT_TX_H

#include <stddef.h>

#include "rv64/dbt/dbt_internal.h"

#define TX_MAX_EXITS 4
#define TX_MAX_FAULTS (RV_BLOCK_MAX_INSNS + 1)
#define TX_SLOTS 9

struct tx_exit {
	size_t field;                /* rel32 to point at the stub, later at the target */
	uint64_t target;
};

struct tx {
	struct rv_dbt *d;
	struct x86_buf *b;
	const struct rv_block *blk;
	struct tx_exit exits[TX_MAX_EXITS];
	unsigned nexits;
	size_t load_faults[TX_MAX_FAULTS], store_faults[TX_MAX_FAULTS];
	unsigned nload_faults, nstore_faults;
	size_t interrupt;
	int8_t slot[32];             /* host register caching guest x[r], or -1 */
	uint32_t cached, dirty;      /* bit r: x[r] cached / host copy newer */
};

/* dbt_regcache.c */
void tx_regs_plan(struct tx *t);           /* choose cached registers for blk */
void tx_regs_enter(struct tx *t);          /* load them (block entry) */
void tx_regs_sync(struct tx *t);           /* store dirty ones to cpu->x */
void tx_regs_reload(struct tx *t, bool all); /* after a call: caller-saved, or all */
/* host = x[r] */
void tx_read(struct tx *t, unsigned r, int host);
/* Where to compute a result for rd: its host register when cached (and
 * rd is not avoid_rs, a source read after the destination is written),
 * else rax. */
int tx_dst(struct tx *t, unsigned rd, int avoid_rs);
/* x[r] = host (x0: dropped) */
void tx_write(struct tx *t, unsigned r, int host);
/* x[r] = constant */
void tx_write_const(struct tx *t, unsigned r, uint64_t v);
/* dst = dst op x[r] (64- or 32-bit) */
void tx_alu_src(struct tx *t, enum x86_alu op, bool w64, int dst, unsigned r);
void tx_imul_src(struct tx *t, bool w64, int dst, unsigned r);

static inline struct x86_mem tx_xreg(unsigned r) { return x86_m(X86_RBX, (int32_t)(8 * r)); }
#define TX_CPU_FIELD(f) x86_m(X86_RBX, (int32_t)offsetof(struct rv_cpu, f))

/* dbt_translate.c */
/* rax = the guest address of i's access of size bytes, checked against
 * guest_limit (leaving with a fault); cpu->pc = i->pc and *cpu exact. */
void tx_guest_address(struct tx *t, const struct rv_insn *i, unsigned size, bool store);
/* i run by a C helper; true when it ended the block. */
bool tx_helper(struct tx *t, const struct rv_insn *i);

/* dbt_translate_fp.c: true when i was an F/D operation translated inline. */
bool tx_fp_inline(struct tx *t, const struct rv_insn *i);

#endif

/*
 * Shared internals of the binary translator: the per-hart state (code
 * cache, block table, indirect-jump table), the protocol between
 * translated code and the dispatcher, and the entry points of each part.
 *
 * Translated code runs with rbx = cpu, r12 = guest_base and
 * r13 = guest_limit - 8, entered through a trampoline at the start of the
 * code cache and left through its epilogue.  It returns a 64-bit value:
 * the low byte is an rv_exit code or one of the DBT_EXIT_* codes below;
 * for DBT_EXIT_CHAIN the upper bits hold the offset of the jump to patch.
 */
#ifndef POPEK_RV64_DBT_INTERNAL_H
#define POPEK_RV64_DBT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rv64/code_cache.h"
#include "rv64/cpu.h"
#include "rv64/dbt/emit_x86.h"

enum {
	/* cpu->pc holds the next block's pc: look it up, then patch the
	 * rel32 at (ret >> 8) to jump straight there next time. */
	DBT_EXIT_CHAIN = 0xf0,
	/* cpu->pc holds the next block's pc; nothing to patch. */
	DBT_EXIT_LOOKUP = 0xf1,
};

struct dbt_block {
	uint64_t pc;
	uint32_t host_off;           /* entry, offset in the code cache */
	uint32_t host_len;
	struct dbt_block *hnext;
};

/* Direct-mapped guest pc -> host code table for indirect jumps, probed
 * by translated code itself.  An empty slot holds an odd pc. */
struct dbt_ijmp {
	uint64_t pc;
	const uint8_t *host;
};

#define DBT_IJMP_BITS 12
#define DBT_EMPTY_PC 1ull

typedef uint64_t (*dbt_enter_fn)(struct rv_cpu *cpu, const uint8_t *host);

struct rv_dbt {
	/* The code cache: one memfd mapped twice, never writable and
	 * executable at once. */
	int memfd;
	uint8_t *rw, *rx;
	size_t size;
	struct x86_buf buf;          /* over rw; buf.p is the next free byte */
	size_t code_start;           /* first byte after trampoline and epilogue */
	size_t epilogue;             /* offset of the shared exit path */
	dbt_enter_fn enter;

	struct dbt_block **hash;
	uint32_t hash_mask;
	struct dbt_block *blocks;    /* pool, reset on flush */
	uint32_t nblocks, max_blocks;
	/* Copies of the instructions helpers execute, so translated code never
	 * points into the decoded-block arena. */
	struct rv_insn *insns;
	uint32_t ninsns, max_insns;

	struct dbt_ijmp *ijmp;

	uint64_t gen;                /* cpu->cache->flushes we are in sync with */
	uint64_t flushes;
	bool single_block;
	bool disasm;                 /* POPEK_DBT_DISASM: print translated blocks */
	unsigned fork_gen;           /* created in this process (see dbt_inherited) */
};

/* dbt_cache.c */
int dbt_create(struct rv_dbt **out);
void dbt_free(struct rv_dbt *d);
/* True in the child of a fork: the state belongs to the parent's cache. */
bool dbt_inherited(const struct rv_dbt *d);
void dbt_flush(struct rv_dbt *d);
struct dbt_block *dbt_find(const struct rv_dbt *d, uint64_t pc);
/* Room for one more block (code, block record and helper instructions);
 * flushes first when the cache is nearly full. */
void dbt_reserve(struct rv_dbt *d, size_t code_bytes, uint32_t insns);
struct rv_insn *dbt_keep_insn(struct rv_dbt *d, const struct rv_insn *in);
struct dbt_block *dbt_insert(struct rv_dbt *d, uint64_t pc, size_t host_off, size_t host_len);
void dbt_chain(struct rv_dbt *d, size_t field_off, const struct dbt_block *to);
static inline const uint8_t *dbt_host(const struct rv_dbt *d, const struct dbt_block *b)
{
	return d->rx + b->host_off;
}

/* dbt_translate.c: translate blk at the free end of the code cache.
 * Returns the new block, or NULL if the code did not fit. */
struct dbt_block *dbt_translate(struct rv_dbt *d, const struct rv_block *blk);

/* dbt_helpers.c: C code called from translated code.  An exec helper runs
 * one instruction and returns RV_EXIT_NONE or the exit it caused. */
typedef uint64_t (*dbt_exec_fn)(struct rv_cpu *cpu, const struct rv_insn *insn);
uint64_t dbt_helper_exec(struct rv_cpu *cpu, const struct rv_insn *insn);
/* dbt_fp.c: a direct helper for an F/D operation, or NULL. */
dbt_exec_fn dbt_fp_helper(enum rv_op op);
typedef uint64_t (*dbt_pure_fn)(uint64_t a, uint64_t b);
/* The pure two-operand function computing op, or NULL. */
dbt_pure_fn dbt_pure_helper(enum rv_op op);
/* pc of the last AMO/SC a helper started: a host fault there is a store
 * fault even when the host reports a read. */
extern __thread uint64_t dbt_amo_pc;

/* dbt_disasm.c */
void dbt_disasm_block(const struct rv_dbt *d, const struct rv_block *blk,
		      const struct dbt_block *tb);

#endif

/*
 * The decoded-code cache of one hart: basic blocks of pre-decoded
 * instructions, found by guest pc through a hash table, allocated from one
 * arena that is thrown away as a whole when it fills up or when code is
 * invalidated.  Dropping everything at once keeps block chaining trivially
 * safe: no block can point at a freed block, because they die together.
 *
 * Blocks never cross a 4 KiB guest page, so a block lies in the 2 MiB chunk
 * of its start address; the set of chunks holding code lets flushes that
 * touch no code (munmap of data) cost nothing.
 */
#ifndef POPEK_RV64_CODE_CACHE_H
#define POPEK_RV64_CODE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rv64/decode.h"

#define RV_BLOCK_MAX_INSNS 64
#define RV_PAGE_SIZE 4096u
#define RV_CODE_CHUNK_SHIFT 21
#define RV_CODE_CHUNKS 32

struct rv_block {
	uint64_t pc;                 /* guest pc of the first instruction (the key) */
	uint64_t end;                /* guest pc just after the last instruction */
	uint64_t ppc;                /* system mode: physical pc it was decoded from */
	struct rv_block *hnext;      /* hash chain */
	/* Successor cache used by the engine: [0] the taken/jump target,
	 * [1] the fall-through.  Checked against the target pc before use. */
	struct rv_block *chain[2];
	uint32_t ninsns;             /* guest instructions, not counting END */
	struct rv_insn insns[];      /* ninsns instructions, then END if needed */
};

struct rv_code_cache {
	struct rv_block **hash;
	uint64_t hash_mask;
	uint8_t *arena;
	size_t arena_size, arena_used;
	uint64_t lo, hi;             /* guest range spanned by cached blocks */
	/* The 2 MiB chunks of guest address space holding cached blocks, so a
	 * range flush between two code areas (munmap of a heap chunk that lies
	 * between the program and its libraries) drops nothing.  Past
	 * RV_CODE_CHUNKS distinct chunks only [lo, hi) is used. */
	uint64_t chunks[RV_CODE_CHUNKS];
	unsigned nchunks;
	bool chunks_overflow;
	uint64_t flushes;            /* how many times everything was dropped */
	struct rv_block *scratch;    /* a one-instruction block for single steps */
};

int rv_cache_create(struct rv_code_cache **out);
void rv_cache_destroy(struct rv_code_cache *c);

static inline struct rv_block *rv_cache_find(const struct rv_code_cache *c, uint64_t pc)
{
	struct rv_block *b = c->hash[(pc >> 1) & c->hash_mask];

	while (b && b->pc != pc)
		b = b->hnext;
	return b;
}

/* Room for a block of up to max_insns instructions (+ END), or NULL when
 * the arena is full (the caller flushes and retries). */
struct rv_block *rv_cache_alloc(struct rv_code_cache *c, unsigned max_insns);
/* Make a block built in memory from rv_cache_alloc findable and give back
 * the unused tail of its allocation. */
void rv_cache_commit(struct rv_code_cache *c, struct rv_block *b, unsigned max_insns);
void rv_cache_flush_all(struct rv_code_cache *c);
/* Drop all code if any cached block may overlap [start, start+len). */
void rv_cache_flush_range(struct rv_code_cache *c, uint64_t start, uint64_t len);

/* Reads one 16-bit instruction parcel at guest address addr.  Returns 0,
 * or -EFAULT when addr is outside what the engine can fetch. */
typedef int (*rv_fetch_fn)(void *ctx, uint64_t addr, uint16_t *parcel);

/* Decode the block starting at pc into b (from rv_cache_alloc with
 * max_insns), filling each instruction's handler from handlers[op].  Stops
 * at a block-ending instruction, max_insns, or the end of pc's page; an
 * instruction straddling the page end is only decoded as the first of a
 * block, so a fetch fault on its second half happens when it is executed.
 * Returns 0, or the fetch error (only possible for the first instruction,
 * with *fault_addr set). */
int rv_block_decode(struct rv_block *b, uint64_t pc, unsigned max_insns, rv_fetch_fn fetch,
		    void *ctx, const void *const *handlers, uint64_t *fault_addr);

#endif

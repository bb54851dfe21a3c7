/*
 * Decoded-code cache: arena allocation, the pc hash table and flushing.
 * See code_cache.h for why everything is dropped at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rv64/code_cache.h"

#define ARENA_BYTES (64u << 20)
#define HASH_BITS 16

static size_t block_bytes(unsigned ninsns)
{
	/* + 1 for the END the builder may append */
	return sizeof(struct rv_block) + (ninsns + 1) * sizeof(struct rv_insn);
}

int rv_cache_create(struct rv_code_cache **out)
{
	struct rv_code_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->hash_mask = (1u << HASH_BITS) - 1;
	c->hash = calloc(c->hash_mask + 1, sizeof(*c->hash));
	c->scratch = calloc(1, block_bytes(1));
	/* MAP_NORESERVE: a hart that runs little code costs little memory. */
	c->arena = mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!c->hash || !c->scratch || c->arena == MAP_FAILED) {
		if (c->arena == MAP_FAILED)
			c->arena = NULL;
		rv_cache_destroy(c);
		return -ENOMEM;
	}
	c->arena_size = ARENA_BYTES;
	c->lo = UINT64_MAX;
	c->hi = 0;
	*out = c;
	return 0;
}

void rv_cache_destroy(struct rv_code_cache *c)
{
	if (!c)
		return;
	if (c->arena)
		munmap(c->arena, c->arena_size);
	free(c->scratch);
	free(c->hash);
	free(c);
}

struct rv_block *rv_cache_alloc(struct rv_code_cache *c, unsigned max_insns)
{
	size_t need = block_bytes(max_insns);
	struct rv_block *b;

	if (c->arena_size - c->arena_used < need)
		return NULL;
	b = (struct rv_block *)(c->arena + c->arena_used);
	memset(b, 0, sizeof(*b));
	return b;
}

static void note_chunk(struct rv_code_cache *c, uint64_t chunk)
{
	/* Most blocks land in the chunk of the previous one: check it first. */
	if (c->nchunks && c->chunks[c->nchunks - 1] == chunk)
		return;
	for (unsigned i = 0; i < c->nchunks; i++) {
		if (c->chunks[i] == chunk) {
			c->chunks[i] = c->chunks[c->nchunks - 1];
			c->chunks[c->nchunks - 1] = chunk;
			return;
		}
	}
	if (c->nchunks < RV_CODE_CHUNKS)
		c->chunks[c->nchunks++] = chunk;
	else
		c->chunks_overflow = true;
}

void rv_cache_commit(struct rv_code_cache *c, struct rv_block *b, unsigned max_insns)
{
	struct rv_block **slot = &c->hash[(b->pc >> 1) & c->hash_mask];
	size_t used = block_bytes(b->ninsns);

	(void)max_insns;
	/* Keep blocks 16-byte aligned so instruction records stay aligned. */
	c->arena_used += (used + 15) & ~(size_t)15;
	b->hnext = *slot;
	*slot = b;
	if (b->pc < c->lo)
		c->lo = b->pc;
	if (b->end > c->hi)
		c->hi = b->end;
	note_chunk(c, b->pc >> RV_CODE_CHUNK_SHIFT);
}

void rv_cache_flush_all(struct rv_code_cache *c)
{
	memset(c->hash, 0, (c->hash_mask + 1) * sizeof(*c->hash));
	/* Give the touched arena pages back; the next fill faults in zeroes. */
	if (c->arena_used > (1u << 20))
		madvise(c->arena, c->arena_size, MADV_DONTNEED);
	c->arena_used = 0;
	c->lo = UINT64_MAX;
	c->hi = 0;
	c->nchunks = 0;
	c->chunks_overflow = false;
	c->flushes++;
}

void rv_cache_flush_range(struct rv_code_cache *c, uint64_t start, uint64_t len)
{
	uint64_t end = len > UINT64_MAX - start ? UINT64_MAX : start + len;

	if (len == 0 || c->lo >= c->hi || start >= c->hi || end <= c->lo)
		return;
	if (!c->chunks_overflow) {
		uint64_t first = start >> RV_CODE_CHUNK_SHIFT, last = (end - 1) >> RV_CODE_CHUNK_SHIFT;
		bool hit = false;

		for (unsigned i = 0; i < c->nchunks && !hit; i++)
			hit = c->chunks[i] >= first && c->chunks[i] <= last;
		if (!hit)
			return;
	}
	rv_cache_flush_all(c);
}

/* Decode the instruction at pc; *ok is false when it must start a block of
 * its own (it straddles the page end and is not first). */
static int decode_one(uint64_t pc, bool first, rv_fetch_fn fetch, void *ctx,
		      struct rv_insn *d, bool *ok, uint64_t *fault_addr)
{
	uint16_t lo, hi = 0;
	int err;

	*ok = true;
	err = fetch(ctx, pc, &lo);
	if (err) {
		*fault_addr = pc;
		return err;
	}
	if (rv_insn_length(lo) != 2) {
		if ((pc & (RV_PAGE_SIZE - 1)) == RV_PAGE_SIZE - 2 && !first) {
			*ok = false;
			return 0;
		}
		err = fetch(ctx, pc + 2, &hi);
		if (err) {
			*fault_addr = pc + 2;
			return err;
		}
	}
	rv_decode((uint32_t)hi << 16 | lo, pc, d);
	return 0;
}

int rv_block_decode(struct rv_block *b, uint64_t pc, unsigned max_insns, rv_fetch_fn fetch,
		    void *ctx, const void *const *handlers, uint64_t *fault_addr)
{
	uint64_t page = pc & ~(uint64_t)(RV_PAGE_SIZE - 1);
	unsigned n = 0;
	bool ended = false;

	b->pc = pc;
	while (n < max_insns && (pc & ~(uint64_t)(RV_PAGE_SIZE - 1)) == page) {
		struct rv_insn *d = &b->insns[n];
		bool ok;
		int err = decode_one(pc, n == 0, fetch, ctx, d, &ok, fault_addr);

		if (err)
			return err;   /* only the first can fail: later ones share its page */
		if (!ok)
			break;
		d->handler = handlers[d->op];
		n++;
		pc += d->len;
		if (rv_op_ends_block(d->op)) {
			ended = true;
			break;
		}
	}
	if (!ended) {
		/* Continue at pc in the next block. */
		b->insns[n] = (struct rv_insn){ .pc = pc, .op = RV_OP_END, .handler = handlers[RV_OP_END] };
	}
	b->ninsns = n;
	b->end = pc;
	return 0;
}

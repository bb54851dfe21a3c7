/*
 * The translator's code cache: where translated blocks live and how they
 * are found.
 *
 * W^X: the code lives in a memfd mapped twice, once read+write (where the
 * translator writes and patches) and once read+execute (what runs); no page
 * is ever writable and executable at the same time.  Blocks are found by
 * guest pc through a hash table and chained by patching their exit jumps.
 * Invalidation drops everything at once (like the decoded-block cache), so
 * no chained jump can ever point at a dropped block: they die together.
 *
 * The first bytes of the cache hold the trampoline that enters translated
 * code from C and the shared epilogue every exit jumps to; they survive
 * flushes.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rv64/dbt/dbt_internal.h"

#define CACHE_BYTES (32u << 20)
#define HASH_BITS 16
#define MAX_BLOCKS (1u << 17)
#define MAX_HELPER_INSNS (1u << 18)
/* Flush and start afresh when less than this is left for one block. */
#define BLOCK_RESERVE (64u << 10)

/* Bumped in the child of every fork: the code cache views are not
 * inherited (MADV_DONTFORK, or a forked child would write into its
 * parent's shared memfd), so state created before a fork is dead. */
static unsigned fork_generation;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void after_fork_child(void) { fork_generation++; }
static void register_atfork(void) { pthread_atfork(NULL, NULL, after_fork_child); }

/* enter(cpu, host): save the callee-saved registers, set up the fixed
 * registers and jump into translated code; the epilogue undoes it. */
static void emit_trampoline(struct rv_dbt *d)
{
	static const int saved[] = { X86_RBX, X86_RBP, X86_R12, X86_R13, X86_R14, X86_R15 };
	struct x86_buf *b = &d->buf;

	for (unsigned i = 0; i < 6; i++)
		x86_push(b, saved[i]);
	/* 6 pushes + return address: 8 more keep calls 16-byte aligned. */
	x86_alu_ri(b, X86_SUB, true, X86_RSP, 8);
	x86_mov_rr(b, true, X86_RBX, X86_RDI);
	x86_mov_rm(b, true, X86_R12, x86_m(X86_RDI, offsetof(struct rv_cpu, guest_base)));
	x86_mov_rm(b, true, X86_R13, x86_m(X86_RDI, offsetof(struct rv_cpu, guest_limit)));
	x86_alu_ri(b, X86_SUB, true, X86_R13, 8);
	x86_jmp_r(b, X86_RSI);

	d->epilogue = x86_size(b);
	x86_alu_ri(b, X86_ADD, true, X86_RSP, 8);
	for (int i = 5; i >= 0; i--)
		x86_pop(b, saved[i]);
	x86_ret(b);
	d->code_start = (x86_size(b) + 63) & ~(size_t)63;
	b->p = b->start + d->code_start;
	d->enter = (dbt_enter_fn)(void *)d->rx;
}

static int map_views(struct rv_dbt *d)
{
	d->memfd = memfd_create("popek-dbt", MFD_CLOEXEC);
	if (d->memfd < 0)
		return -errno;
	if (ftruncate(d->memfd, (off_t)d->size))
		return -errno;
	d->rw = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->memfd, 0);
	if (d->rw == MAP_FAILED) {
		d->rw = NULL;
		return -errno;
	}
	d->rx = mmap(NULL, d->size, PROT_READ | PROT_EXEC, MAP_SHARED, d->memfd, 0);
	if (d->rx == MAP_FAILED) {
		d->rx = NULL;
		return -errno;
	}
	madvise(d->rw, d->size, MADV_DONTFORK);
	madvise(d->rx, d->size, MADV_DONTFORK);
	return 0;
}

/* POPEK_DBT_CACHE_KB shrinks (or grows) the code cache: tests use a tiny
 * one to exercise flushing when full. */
static size_t cache_bytes(void)
{
	const char *env = getenv("POPEK_DBT_CACHE_KB");
	unsigned long kb = env ? strtoul(env, NULL, 10) : 0;

	if (kb < 256 || kb > (1ul << 20))
		return CACHE_BYTES;
	return kb << 10;
}

int dbt_create(struct rv_dbt **out)
{
	struct rv_dbt *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	pthread_once(&atfork_once, register_atfork);
	d->fork_gen = fork_generation;
	d->memfd = -1;
	d->size = cache_bytes();
	d->hash_mask = (1u << HASH_BITS) - 1;
	d->max_blocks = MAX_BLOCKS;
	d->max_insns = MAX_HELPER_INSNS;
	d->hash = calloc((size_t)d->hash_mask + 1, sizeof(*d->hash));
	d->blocks = calloc(d->max_blocks, sizeof(*d->blocks));
	d->insns = calloc(d->max_insns, sizeof(*d->insns));
	d->ijmp = calloc(1u << DBT_IJMP_BITS, sizeof(*d->ijmp));
	err = (d->hash && d->blocks && d->insns && d->ijmp) ? map_views(d) : -ENOMEM;
	if (err) {
		dbt_free(d);
		return err;
	}
	x86_init(&d->buf, d->rw, d->size);
	emit_trampoline(d);
	const char *env = getenv("POPEK_DBT_DISASM");
	d->disasm = env && env[0] && env[0] != '0';
	dbt_flush(d);
	d->flushes = 0;
	*out = d;
	return 0;
}

bool dbt_inherited(const struct rv_dbt *d)
{
	return d->fork_gen != fork_generation;
}

void dbt_free(struct rv_dbt *d)
{
	if (!d)
		return;
	if (dbt_inherited(d))
		d->rw = d->rx = NULL;   /* the views stayed with the parent */
	if (d->rw)
		munmap(d->rw, d->size);
	if (d->rx)
		munmap(d->rx, d->size);
	if (d->memfd >= 0)
		close(d->memfd);
	free(d->hash);
	free(d->blocks);
	free(d->insns);
	free(d->ijmp);
	free(d);
}

void dbt_flush(struct rv_dbt *d)
{
	size_t used = x86_size(&d->buf);

	memset(d->hash, 0, ((size_t)d->hash_mask + 1) * sizeof(*d->hash));
	for (unsigned i = 0; i < 1u << DBT_IJMP_BITS; i++)
		d->ijmp[i] = (struct dbt_ijmp){ .pc = DBT_EMPTY_PC, .host = NULL };
	/* Give a large used area back to the host: the memfd pages go away. */
	if (used > d->code_start + (4u << 20))
		madvise(d->rw + d->code_start, d->size - d->code_start, MADV_REMOVE);
	d->buf.p = d->buf.start + d->code_start;
	d->buf.overflow = false;
	d->nblocks = 0;
	d->ninsns = 0;
	d->flushes++;
}

struct dbt_block *dbt_find(const struct rv_dbt *d, uint64_t pc)
{
	struct dbt_block *b = d->hash[(pc >> 1) & d->hash_mask];

	while (b && b->pc != pc)
		b = b->hnext;
	return b;
}

void dbt_reserve(struct rv_dbt *d, size_t code_bytes, uint32_t insns)
{
	size_t room = (size_t)(d->buf.end - d->buf.p);

	if (room < code_bytes + BLOCK_RESERVE || d->nblocks >= d->max_blocks ||
	    d->max_insns - d->ninsns < insns)
		dbt_flush(d);
}

struct rv_insn *dbt_keep_insn(struct rv_dbt *d, const struct rv_insn *in)
{
	struct rv_insn *k;

	if (d->ninsns >= d->max_insns)
		return NULL;      /* dbt_reserve makes this unreachable */
	k = &d->insns[d->ninsns++];
	*k = *in;
	return k;
}

struct dbt_block *dbt_insert(struct rv_dbt *d, uint64_t pc, size_t host_off, size_t host_len)
{
	struct dbt_block **slot = &d->hash[(pc >> 1) & d->hash_mask];
	struct dbt_block *b;

	if (d->nblocks >= d->max_blocks)
		return NULL;
	b = &d->blocks[d->nblocks++];
	*b = (struct dbt_block){ .pc = pc, .host_off = (uint32_t)host_off,
				 .host_len = (uint32_t)host_len, .hnext = *slot };
	*slot = b;
	return b;
}

void dbt_chain(struct rv_dbt *d, size_t field_off, const struct dbt_block *to)
{
	if (field_off < d->code_start || field_off + 4 > x86_size(&d->buf))
		return;   /* not a jump of a live block */
	x86_patch_rel32(&d->buf, field_off, to->host_off);
}

/*
 * The translator's dispatcher: rv_run_user_dbt(), the C loop that finds
 * or translates the block at cpu->pc, patches the exit that led there so
 * the next time it jumps straight to it, and runs translated code until an
 * exit needs the caller.  Also the host-fault landing pad, which mirrors
 * the interpreter's: a fault while decoding is a fetch fault and a fault
 * inside an AMO/SC is a store fault.
 *
 * Blocks are decoded into the hart's decoded-block cache (cpu->cache)
 * before translation, so that rv_code_flush() (fence.i, munmap, mprotect,
 * riscv_flush_icache) sees which guest ranges hold code; whenever that
 * cache's flush count moves, every translated block is dropped too.
 */
#include <errno.h>
#include <string.h>

#include "rv64/dbt/dbt.h"
#include "rv64/dbt/dbt_internal.h"
#include "rv64/fpu_fast.h"

#define BARRIER() __asm__ volatile("" ::: "memory")

/* The translator passes the whole user-mode corpus: it is the default. */
bool rv_user_engine_dbt = true;

/* While decoding, host faults are instruction-fetch faults. */
static __thread int dbt_fetching;

int rv_user_engine_select(const char *name)
{
	if (!strcmp(name, "interp"))
		rv_user_engine_dbt = false;
	else if (!strcmp(name, "dbt"))
		rv_user_engine_dbt = true;
	else
		return -EINVAL;
	return 0;
}

static int dbt_fetch(void *ctx, uint64_t addr, uint16_t *parcel)
{
	const struct rv_cpu *cpu = ctx;

	if (addr > cpu->guest_limit - 2)
		return -EFAULT;
	memcpy(parcel, cpu->guest_base + addr, 2);
	return 0;
}

/* The decoded block at cpu->pc, or NULL with *ret = FETCH_FAULT. */
static const struct rv_block *decoded_block(struct rv_cpu *cpu, enum rv_exit *ret)
{
	static const void *const no_handlers[RV_OP_COUNT];
	struct rv_code_cache *c = cpu->cache;
	struct rv_block *blk = rv_cache_find(c, cpu->pc);
	uint64_t fault_addr = 0;
	int err;

	if (blk)
		return blk;
	blk = rv_cache_alloc(c, RV_BLOCK_MAX_INSNS);
	if (!blk) {
		rv_cache_flush_all(c);
		blk = rv_cache_alloc(c, RV_BLOCK_MAX_INSNS);
	}
	memset(blk, 0, sizeof(*blk));
	dbt_fetching = 1;
	BARRIER();
	err = rv_block_decode(blk, cpu->pc, RV_BLOCK_MAX_INSNS, dbt_fetch, cpu, no_handlers,
			      &fault_addr);
	BARRIER();
	dbt_fetching = 0;
	if (err) {
		cpu->tval = fault_addr;
		*ret = RV_EXIT_FETCH_FAULT;
		return NULL;
	}
	rv_cache_commit(c, blk, RV_BLOCK_MAX_INSNS);
	return blk;
}

static void sync_with_decoded_cache(struct rv_cpu *cpu, struct rv_dbt *d)
{
	if (cpu->cache->flushes != d->gen) {
		dbt_flush(d);
		d->gen = cpu->cache->flushes;
	}
}

/* The translated block at cpu->pc, or NULL with *ret set. */
static struct dbt_block *find_or_translate(struct rv_cpu *cpu, struct rv_dbt *d, enum rv_exit *ret)
{
	struct dbt_block *tb = dbt_find(d, cpu->pc);
	const struct rv_block *blk;

	if (tb)
		return tb;
	blk = decoded_block(cpu, ret);
	if (!blk)
		return NULL;
	sync_with_decoded_cache(cpu, d);
	tb = dbt_translate(d, blk);
	if (!tb)
		tb = dbt_translate(d, blk);   /* after the flush it made */
	if (!tb) {
		/* A block never needs more than a fresh cache holds. */
		cpu->tval = cpu->pc;
		*ret = RV_EXIT_FETCH_FAULT;
		return NULL;
	}
	if (d->disasm)
		dbt_disasm_block(d, blk, tb);
	return tb;
}

static enum rv_exit dbt_loop(struct rv_cpu *cpu, struct rv_dbt *d)
{
	size_t patch = 0;     /* rel32 of the exit that brought us here, or 0 */

	for (;;) {
		enum rv_exit ret = RV_EXIT_NONE;
		uint64_t flushes, r;
		struct dbt_block *tb;

		if (cpu->cache->flushes != d->gen) {
			sync_with_decoded_cache(cpu, d);
			patch = 0;
		}
		if (cpu->exit_request)
			return RV_EXIT_INTERRUPT;
		flushes = d->flushes;
		tb = find_or_translate(cpu, d, &ret);
		if (!tb)
			return ret;
		if (patch && flushes == d->flushes && !d->single_block)
			dbt_chain(d, patch, tb);
		d->ijmp[(cpu->pc >> 1) & ((1u << DBT_IJMP_BITS) - 1)] =
			(struct dbt_ijmp){ .pc = cpu->pc, .host = dbt_host(d, tb) };
		r = d->enter(cpu, dbt_host(d, tb));
		switch (r & 0xff) {
		case DBT_EXIT_CHAIN:
			patch = (size_t)(r >> 8);
			break;
		case DBT_EXIT_LOOKUP:
			patch = 0;
			break;
		default:
			return (enum rv_exit)(r & 0xff);
		}
		if (d->single_block)
			return RV_EXIT_NONE;
	}
}

enum rv_exit rv_run_user_dbt(struct rv_cpu *cpu)
{
	enum rv_exit ret;

	if (cpu->guest_limit < 16 || !cpu->cache) {
		cpu->tval = cpu->pc;
		return RV_EXIT_FETCH_FAULT;
	}
	if (cpu->dbt && dbt_inherited(cpu->dbt))
		rv_dbt_destroy(cpu);       /* a forked child starts its own cache */
	if (!cpu->dbt && dbt_create(&cpu->dbt))
		return rv_run_user(cpu);   /* no code cache: the interpreter still works */
	rv_current_cpu = cpu;
	dbt_amo_pc = UINT64_MAX;
	/* savemask = 1: we arrive here from a signal handler, whose blocked
	 * mask must not outlive it. */
	ret = (enum rv_exit)sigsetjmp(cpu->fault_jmp, 1);
	if (ret != RV_EXIT_NONE) {
		/* The fault handler folded the interrupted MXCSR's flags. */
		if (dbt_fetching)
			ret = RV_EXIT_FETCH_FAULT;
		else if (ret == RV_EXIT_LOAD_FAULT && cpu->pc == dbt_amo_pc)
			ret = RV_EXIT_STORE_FAULT;
		dbt_fetching = 0;
		return ret;
	}
	/* F/D helpers accrue flags in MXCSR (fpu_fast.h). */
	fpu_engine_enter();
	rv_in_guest = 1;
	ret = dbt_loop(cpu, cpu->dbt);
	rv_in_guest = 0;
	cpu->fflags |= fpu_engine_collect();
	return ret;
}

void rv_dbt_destroy(struct rv_cpu *cpu)
{
	dbt_free(cpu->dbt);
	cpu->dbt = NULL;
}

int rv_dbt_set_single_block(struct rv_cpu *cpu, bool single)
{
	int err;

	if (!cpu->dbt && (err = dbt_create(&cpu->dbt)))
		return err;
	cpu->dbt->single_block = single;
	dbt_flush(cpu->dbt);
	return 0;
}

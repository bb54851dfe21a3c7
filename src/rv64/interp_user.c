/*
 * The user-mode interpreter engine: rv_run_user(), rv_step_user() and the
 * host-fault unwinding behind rv_cpu_host_fault().
 *
 * Memory layer: guest address A is host address guest_base + A for
 * A + size <= guest_limit; anything beyond is a guest fault reported
 * directly.  Pages inside the window that the guest has not mapped raise a
 * host SIGSEGV; the process VM's handler calls rv_cpu_host_fault(), which
 * siglongjmps back into rv_run_user().  That works because every handler
 * stores the instruction's pc into cpu->pc before touching guest memory and
 * keeps all architectural state in *cpu, never in host registers alone.
 *
 * Instruction handlers come from interp_body.h, shared with a later
 * system-mode engine that will supply its own memory layer.
 */
#include <errno.h>
#include <string.h>

#include "rv64/alu.h"
#include "rv64/code_cache.h"
#include "rv64/cpu.h"
#include "rv64/csr_user.h"
#include "rv64/decode.h"
#include "rv64/fp_box.h"
#include "rv64/fpu.h"
#include "rv64/fpu_fast.h"

/* While decoding, host faults are instruction-fetch faults. */
static __thread int fetching;
/* pc of the last AMO/SC that touched memory: a host fault there is a store
 * fault even when the host reports a read (a locked RMW may fault as one). */
static __thread uint64_t amo_pc = UINT64_MAX;

/* ------------------------------------------------------- memory layer */

/* Compiler barrier: cpu->pc and register writes must be in memory before
 * an access that may fault and unwind. */
#define BARRIER() __asm__ volatile("" ::: "memory")

#define USER_CHECK(a, size, code) do {                                    \
	if (__builtin_expect((a) > mem_limit - (size), 0)) {              \
		cpu->tval = (a);                                          \
		EXIT_AT(code);                                            \
	}                                                                 \
	cpu->pc = ip->pc;                                                 \
	BARRIER();                                                        \
} while (0)

#define LOAD(type, addr, dst) do {                                        \
	uint64_t a_ = (addr);                                             \
	USER_CHECK(a_, sizeof(type), RV_EXIT_LOAD_FAULT);                 \
	memcpy(&(dst), mem_base + a_, sizeof(type));                      \
} while (0)

#define STORE(type, addr, val) do {                                       \
	uint64_t a_ = (addr);                                             \
	type sv_ = (val);                                                 \
	USER_CHECK(a_, sizeof(type), RV_EXIT_STORE_FAULT);                \
	memcpy(mem_base + a_, &sv_, sizeof(type));                        \
} while (0)

#define AMO_PTR(type, addr, ptr, is_lr) do {                              \
	uint64_t a_ = (addr);                                             \
	if (a_ & (sizeof(type) - 1)) {                                    \
		cpu->tval = a_;                                           \
		EXIT_AT(RV_EXIT_MISALIGNED);                              \
	}                                                                 \
	USER_CHECK(a_, sizeof(type), (is_lr) ? RV_EXIT_LOAD_FAULT : RV_EXIT_STORE_FAULT); \
	if (!(is_lr))                                                     \
		amo_pc = ip->pc;                                          \
	(ptr) = (type *)(void *)(mem_base + a_);                          \
} while (0)

#define FENCE_I_FLUSH() rv_cache_flush_all(cache)

/* ------------------------------------------------------- block lookup */

static int user_fetch(void *ctx, uint64_t addr, uint16_t *parcel)
{
	const struct rv_cpu *cpu = ctx;

	if (addr > cpu->guest_limit - 2)
		return -EFAULT;
	memcpy(parcel, cpu->guest_base + addr, 2);
	return 0;
}

/* Decode the block at cpu->pc (into the cache, or into the scratch block
 * for a single step).  Returns NULL with *ret set on a fetch fault. */
static struct rv_block *build_block(struct rv_cpu *cpu, const void *const *handlers,
				    bool step, enum rv_exit *ret)
{
	struct rv_code_cache *cache = cpu->cache;
	unsigned max = step ? 1 : RV_BLOCK_MAX_INSNS;
	struct rv_block *b = step ? cache->scratch : rv_cache_alloc(cache, max);
	uint64_t fault_addr = 0;
	int err;

	if (!b) {
		rv_cache_flush_all(cache);
		b = rv_cache_alloc(cache, max);
	}
	memset(b, 0, sizeof(*b));
	fetching = 1;
	BARRIER();
	err = rv_block_decode(b, cpu->pc, max, user_fetch, cpu, handlers, &fault_addr);
	BARRIER();
	fetching = 0;
	if (err) {
		cpu->tval = fault_addr;
		*ret = RV_EXIT_FETCH_FAULT;
		return NULL;
	}
	if (!step)
		rv_cache_commit(cache, b, max);
	return b;
}

/* ------------------------------------------------------------ the loop */

#define RV_HANDLER_ADDR(name) [RV_OP_##name] = &&op_##name,

static enum rv_exit interp_user(struct rv_cpu *cpu, bool step)
{
	static const void *const handlers[RV_OP_COUNT] = { RV_OP_LIST(RV_HANDLER_ADDR) };
	uint64_t *const X = cpu->x;
	uint8_t *const mem_base = cpu->guest_base;
	const uint64_t mem_limit = cpu->guest_limit;
	struct rv_code_cache *const cache = cpu->cache;
	struct rv_block *blk, **link = NULL;
	const struct rv_insn *ip;
	enum rv_exit ret = RV_EXIT_NONE;
	uint64_t icount = 0;
	bool stepped = false;

lookup:
	cpu->instret += icount;
	icount = 0;
	if (step) {
		if (stepped)
			goto leave;
		stepped = true;
	} else if (cpu->exit_request) {
		ret = RV_EXIT_INTERRUPT;
		goto leave;
	}
	blk = step ? NULL : rv_cache_find(cache, cpu->pc);
	if (!blk) {
		uint64_t flushes = cache->flushes;

		blk = build_block(cpu, handlers, step, &ret);
		if (!blk)
			goto leave;
		if (cache->flushes != flushes)
			link = NULL;    /* the block we came from is gone */
	}
	if (link && !step)
		*link = blk;
	link = NULL;
	icount = blk->ninsns;
	ip = blk->insns;
	goto *ip->handler;

#include "rv64/interp_body.h"

leave:
	cpu->instret += icount;
	return ret;
}

/* ------------------------------------------------------- entry points */

/* The host-fault landing pad is shared by both entry points. */
static enum rv_exit run_guarded(struct rv_cpu *cpu, bool step)
{
	enum rv_exit ret;

	if (cpu->guest_limit < 16 || !cpu->cache) {
		cpu->tval = cpu->pc;
		return RV_EXIT_FETCH_FAULT;
	}
	rv_current_cpu = cpu;
	amo_pc = UINT64_MAX;
	/* savemask = 1: we arrive here from a signal handler, whose blocked
	 * mask must not outlive it. */
	ret = (enum rv_exit)sigsetjmp(cpu->fault_jmp, 1);
	if (ret != RV_EXIT_NONE) {
		/* The fault handler folded the interrupted MXCSR's flags. */
		fetching = 0;
		return ret;
	}
	fpu_engine_enter();
	rv_in_guest = 1;
	ret = interp_user(cpu, step);
	rv_in_guest = 0;
	cpu->fflags |= fpu_engine_collect();
	return ret;
}

enum rv_exit rv_run_user(struct rv_cpu *cpu)
{
	return run_guarded(cpu, false);
}

enum rv_exit rv_step_user(struct rv_cpu *cpu)
{
	return run_guarded(cpu, true);
}

_Noreturn void rv_cpu_host_fault(struct rv_cpu *cpu, uint64_t guest_addr, bool is_write)
{
	enum rv_exit kind;

	rv_in_guest = 0;
	if (fetching)
		kind = RV_EXIT_FETCH_FAULT;
	else if (is_write || cpu->pc == amo_pc)
		kind = RV_EXIT_STORE_FAULT;
	else
		kind = RV_EXIT_LOAD_FAULT;
	cpu->tval = guest_addr;
	siglongjmp(cpu->fault_jmp, (int)kind);
}

/*
 * The full-system interpreter engine: the same instruction handlers as the
 * user-mode engine (interp_body.h) over a different memory layer and trap
 * model.
 *
 * Memory: every load, store and fetch goes through the hart's soft TLB
 * (priv.h); a hit is a tag compare and an add, a miss walks the page
 * tables (mmu.c) and either caches a RAM page or goes to the MMIO bus.
 * Faults never leave the engine: they become RISC-V traps (trap.c) and
 * execution continues at the handler.
 *
 * Decoded blocks are keyed by virtual pc and checked against the physical
 * pc the current translation gives, so a block stays valid across address
 * space switches and is never used for a different mapping.  Chaining is
 * only followed within one virtual page: a page's mapping cannot change
 * without an sfence.vma or satp write, both of which end the block and go
 * through a full lookup.
 *
 * Self-modifying code: building a block marks its physical page in
 * plat->code_pages; a store that reaches a marked page (the TLB never
 * caches write access to one) invalidates all decoded code, and the store
 * ends its block so nothing stale runs after it.
 */
#include <errno.h>
#include <string.h>

#include "rv64/alu.h"
#include "rv64/code_cache.h"
#include "rv64/cpu.h"
#include "rv64/csr.h"
#include "rv64/decode.h"
#include "rv64/fp_box.h"
#include "rv64/fpu.h"
#include "rv64/fpu_fast.h"
#include "vm/bus.h"

#define PAGE_MASK 0xfffULL

/* ------------------------------------------------------- slow paths */

static int access_fault(enum rv_access acc)
{
	return acc == RV_ACC_WRITE ? RV_EXC_STORE_ACCESS :
	       acc == RV_ACC_EXEC ? RV_EXC_INSN_ACCESS : RV_EXC_LOAD_ACCESS;
}

/* Host pointer for [a, a+size) within one page, or NULL for MMIO (with
 * *pa set), or NULL with *cause set on a fault. */
static void *translate(struct rv_cpu *cpu, uint64_t a, enum rv_access acc, uint64_t *pa, int *cause)
{
	struct rv_tlb_entry *e = &cpu->priv.tlb[acc][(a >> 12) & (RV_TLB_SIZE - 1)];
	*cause = 0;
	if (e->tag == (a & ~PAGE_MASK))
		return (void *)(uintptr_t)(a + e->addend);
	return rv_tlb_fill(cpu, a, acc, pa, cause);
}

static int load_slow(struct rv_cpu *cpu, uint64_t a, unsigned size, uint64_t *val)
{
	uint64_t pa;
	int cause;
	if ((a & PAGE_MASK) + size > 4096) {
		/* Crosses a page: assemble bytes, each translated (and faulting)
		 * on its own page. */
		uint64_t v = 0;
		for (unsigned i = 0; i < size; i++) {
			uint64_t b;
			int c = load_slow(cpu, a + i, 1, &b);
			if (c)
				return c;
			v |= b << (8 * i);
		}
		*val = v;
		return 0;
	}
	void *host = translate(cpu, a, RV_ACC_READ, &pa, &cause);
	if (cause)
		return cause;
	if (host) {
		uint64_t v = 0;
		memcpy(&v, host, size);
		*val = v;
		return 0;
	}
	bool hit;
	*val = bus_read(cpu->priv.plat->bus, pa, size, &hit);
	return hit ? 0 : RV_EXC_LOAD_ACCESS;
}

static int store_slow(struct rv_cpu *cpu, uint64_t a, unsigned size, uint64_t val)
{
	uint64_t pa;
	int cause;
	if ((a & PAGE_MASK) + size > 4096) {
		/* Check both pages before writing anything: a store that faults
		 * on its second page must leave memory untouched. */
		uint64_t split = 4096 - (a & PAGE_MASK);
		if (!translate(cpu, a, RV_ACC_WRITE, &pa, &cause) && cause)
			return cause;
		if (!translate(cpu, a + split, RV_ACC_WRITE, &pa, &cause) && cause)
			return cause;
		for (unsigned i = 0; i < size; i++) {
			int c = store_slow(cpu, a + i, 1, val >> (8 * i));
			if (c)
				return c;
		}
		return 0;
	}
	void *host = translate(cpu, a, RV_ACC_WRITE, &pa, &cause);
	if (cause)
		return cause;
	if (host) {
		memcpy(host, &val, size);
		return 0;
	}
	bool hit;
	bus_write(cpu->priv.plat->bus, pa, val, size, &hit);
	return hit ? 0 : RV_EXC_STORE_ACCESS;
}

/* Aligned host pointer for an LR/SC/AMO, or NULL with *cause set. */
static void *amo_pointer(struct rv_cpu *cpu, uint64_t a, unsigned size, bool is_lr, int *cause)
{
	uint64_t pa;
	if (a & (size - 1)) {
		*cause = is_lr ? RV_EXC_LOAD_MISALIGNED : RV_EXC_STORE_MISALIGNED;
		return NULL;
	}
	enum rv_access acc = is_lr ? RV_ACC_READ : RV_ACC_WRITE;
	void *host = translate(cpu, a, acc, &pa, cause);
	if (!host && !*cause)
		*cause = access_fault(acc);   /* atomics on MMIO are not supported */
	return host;
}

/* Called by rv_tlb_fill (mmu.c) when a store reaches a page that holds
 * decoded code: all decoded code of every hart must go.  The flush itself
 * happens at the next lookup (sync_code_generation), because the current
 * instruction still runs from its decoded block; exit_request stops
 * chained blocks from running stale code until then. */
void rv_code_page_written(struct rv_cpu *cpu, uint64_t paddr)
{
	struct rv_platform *plat = cpu->priv.plat;
	/* All code goes (blocks are not indexed by page), so with one hart
	 * every mark can go too.  With several, another hart may be decoding
	 * right now and its fresh marks must survive: only this page's mark
	 * is cleared, the others stay (at worst a later write flushes again). */
	if (plat->nharts <= 1)
		memset(plat->code_pages, 0, plat->ram_size >> 12);
	else
		__atomic_store_n(&plat->code_pages[(paddr - plat->ram_base) >> 12], 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&plat->code_generation, 1, __ATOMIC_ACQ_REL);
	cpu->priv.code_flushed = true;
	cpu->exit_request = 1;
	if (plat->kick_all)
		plat->kick_all(plat->kick_opaque);   /* the other harts flush too */
}

/* ------------------------------------------------------- memory layer */

#define TRAP_AT(cause, tval) do {                                          \
	cpu->pc = ip->pc;                                                 \
	rv_trap_take(cpu, (cause), (tval));                               \
	link = NULL;                                                      \
	goto lookup;                                                      \
} while (0)

/* After a store that invalidated decoded code, continue afresh. */
#define AFTER_STORE() do {                                                 \
	if (__builtin_expect(cpu->priv.code_flushed, 0)) {                 \
		cpu->priv.code_flushed = false;                            \
		cpu->pc = NEXT_PC();                                       \
		link = NULL;                                               \
		goto lookup;                                               \
	}                                                                  \
} while (0)

#define LOAD(type, addr, dst) do {                                        \
	uint64_t a_ = (addr);                                             \
	const struct rv_tlb_entry *e_ =                                   \
		&cpu->priv.tlb[RV_ACC_READ][(a_ >> 12) & (RV_TLB_SIZE - 1)]; \
	if (__builtin_expect(e_->tag == (a_ & ~PAGE_MASK) &&              \
			     (a_ & PAGE_MASK) <= 4096 - sizeof(type), 1)) { \
		memcpy(&(dst), (void *)(uintptr_t)(a_ + e_->addend), sizeof(type)); \
	} else {                                                          \
		uint64_t lv_ = 0;                                         \
		int c_ = load_slow(cpu, a_, sizeof(type), &lv_);          \
		if (c_)                                                   \
			TRAP_AT(c_, a_);                                  \
		(dst) = (type)lv_;                                        \
	}                                                                 \
} while (0)

#define STORE(type, addr, val) do {                                       \
	uint64_t a_ = (addr);                                             \
	type sv_ = (val);                                                 \
	const struct rv_tlb_entry *e_ =                                   \
		&cpu->priv.tlb[RV_ACC_WRITE][(a_ >> 12) & (RV_TLB_SIZE - 1)]; \
	if (__builtin_expect(e_->tag == (a_ & ~PAGE_MASK) &&              \
			     (a_ & PAGE_MASK) <= 4096 - sizeof(type), 1)) { \
		memcpy((void *)(uintptr_t)(a_ + e_->addend), &sv_, sizeof(type)); \
	} else {                                                          \
		int c_ = store_slow(cpu, a_, sizeof(type), (uint64_t)sv_); \
		if (c_)                                                   \
			TRAP_AT(c_, a_);                                  \
		AFTER_STORE();                                            \
	}                                                                 \
} while (0)

#define AMO_PTR(type, addr, ptr, is_lr) do {                              \
	uint64_t a_ = (addr);                                             \
	int c_;                                                           \
	(ptr) = (type *)amo_pointer(cpu, a_, sizeof(type), (is_lr), &c_); \
	if (!(ptr))                                                       \
		TRAP_AT(c_, a_);                                          \
} while (0)

/* Stores are tracked page by page, which is enough on one hart.  With
 * several, a store racing past another hart's TLB check can escape that
 * tracking, so fence.i (which Linux issues on every hart after writing
 * code) also drops this hart's decoded code. */
#define FENCE_I_FLUSH() do {                                               \
	if (cpu->priv.plat->nharts > 1)                                    \
		rv_cache_flush_all(cache);                                 \
} while (0)

/* Chained successors must stay on the current virtual page (see top). */
#define CHAIN_OK(n_, t_) ((n_)->pc == (t_) && (((t_) ^ blk->pc) & ~PAGE_MASK) == 0)

#define ILLEGAL() TRAP_AT(RV_EXC_ILLEGAL, ip->raw)
#define ECALL_ACTION() TRAP_AT(RV_EXC_ECALL_U + (uint64_t)cpu->priv.mode, 0)
#define EBREAK_ACTION() TRAP_AT(RV_EXC_BREAKPOINT, ip->pc)

#define CSR_READ(csr, pv) rv_csr_read(cpu, (csr), (pv))
#define CSR_WRITE(csr, v) csr_write_insn(cpu, ip, (csr), (v))
/* Writes that change translation, interrupt enables or pending bits end
 * the block, and the next lookup looks at interrupts. */
#define CSR_WRITTEN(csr) do {                                             \
	if (csr_ends_block(csr)) {                                        \
		cpu->pc = NEXT_PC();                                      \
		irq_check = true;                                         \
		link = NULL;                                              \
		goto lookup;                                              \
	}                                                                 \
} while (0)

#define SYS_MRET() do {                                                   \
	cpu->pc = ip->pc;                                                 \
	if (rv_mret(cpu))                                                 \
		ILLEGAL();                                                \
	irq_check = true;                                                 \
	link = NULL;                                                      \
	goto lookup;                                                      \
} while (0)

#define SYS_SRET() do {                                                   \
	cpu->pc = ip->pc;                                                 \
	if (rv_sret(cpu))                                                 \
		ILLEGAL();                                                \
	irq_check = true;                                                 \
	link = NULL;                                                      \
	goto lookup;                                                      \
} while (0)

#define SYS_WFI() do {                                                    \
	if (cpu->priv.mode == RV_MODE_U ||                                \
	    (cpu->priv.mode == RV_MODE_S && (cpu->priv.mstatus & MSTATUS_TW))) \
		ILLEGAL();                                                \
	cpu->pc = NEXT_PC();                                              \
	if (rv_mip_read(cpu) & cpu->priv.mie) {                           \
		irq_check = true;                                         \
		link = NULL;                                              \
		goto lookup;                                              \
	}                                                                 \
	ret = RV_EXIT_WFI;                                                \
	goto leave;                                                       \
} while (0)

#define SYS_SFENCE_VMA() do {                                             \
	if (cpu->priv.mode == RV_MODE_U ||                                \
	    (cpu->priv.mode == RV_MODE_S && (cpu->priv.mstatus & MSTATUS_TVM))) \
		ILLEGAL();                                                \
	rv_tlb_flush(cpu);                                                \
	cpu->pc = NEXT_PC();                                              \
	link = NULL;                                                      \
	goto lookup;                                                      \
} while (0)

/* A CSR instruction's write: csrrs/csrrc and their immediate forms are
 * read-modify-writes, which for mip differ from a plain write of the value
 * computed (rv_csr_rmw_value). */
static int csr_write_insn(struct rv_cpu *cpu, const struct rv_insn *ip, unsigned csr, uint64_t v)
{
	switch (ip->op) {
	case RV_OP_CSRRS: case RV_OP_CSRRC:
		v = rv_csr_rmw_value(cpu, csr, v, cpu->x[ip->rs1]);
		break;
	case RV_OP_CSRRSI: case RV_OP_CSRRCI:
		v = rv_csr_rmw_value(cpu, csr, v, ip->rs1);
		break;
	default:
		break;
	}
	return rv_csr_write(cpu, csr, v);
}

static bool csr_ends_block(unsigned csr)
{
	switch (csr) {
	case CSR_SATP: case CSR_MSTATUS: case CSR_SSTATUS: case CSR_MIE: case CSR_SIE:
	case CSR_MIP: case CSR_SIP: case CSR_MIDELEG: case CSR_MENVCFG: case CSR_STIMECMP:
		return true;
	}
	return false;
}

/* ------------------------------------------------------- block lookup */

struct fetch_ctx {
	struct rv_cpu *cpu;
};

static int system_fetch(void *ctx, uint64_t addr, uint16_t *parcel)
{
	struct rv_cpu *cpu = ((struct fetch_ctx *)ctx)->cpu;
	uint64_t pa;
	int cause;
	void *host = translate(cpu, addr, RV_ACC_EXEC, &pa, &cause);
	if (!host)
		return -EFAULT;
	memcpy(parcel, host, 2);
	return 0;
}

/* Find the decoded block for (vpc, ppc). */
static struct rv_block *find_block(const struct rv_code_cache *c, uint64_t vpc, uint64_t ppc)
{
	struct rv_block *b = c->hash[(vpc >> 1) & c->hash_mask];
	while (b && !(b->pc == vpc && b->ppc == ppc))
		b = b->hnext;
	return b;
}

static void mark_code_page(struct rv_cpu *cpu, uint64_t ppc)
{
	struct rv_platform *plat = cpu->priv.plat;
	uint64_t page = (ppc - plat->ram_base) >> 12;
	if (!plat->code_pages[page]) {
		__atomic_store_n(&plat->code_pages[page], 1, __ATOMIC_RELEASE);
		rv_tlb_flush_write_page(cpu, ppc);
	}
}

/* Translate pc for execution: 0 with *ppc set, or an exception cause. */
static int fetch_translate(struct rv_cpu *cpu, uint64_t pc, uint64_t *ppc)
{
	uint64_t pa = 0;
	int cause;
	void *host = translate(cpu, pc, RV_ACC_EXEC, &pa, &cause);
	if (cause)
		return cause;
	if (!host)
		return RV_EXC_INSN_ACCESS;   /* executing MMIO */
	const struct rv_platform *plat = cpu->priv.plat;
	*ppc = (uint64_t)((uint8_t *)host - plat->ram_host) + plat->ram_base;
	return 0;
}

/* Decode the block at cpu->pc / ppc into the cache.  On a fetch fault
 * returns NULL with *cause and *tval set. */
static struct rv_block *build_block(struct rv_cpu *cpu, const void *const *handlers,
				    uint64_t ppc, int *cause, uint64_t *tval)
{
	struct rv_code_cache *cache = cpu->cache;
	struct rv_block *b = rv_cache_alloc(cache, RV_BLOCK_MAX_INSNS);
	if (!b) {
		rv_cache_flush_all(cache);
		b = rv_cache_alloc(cache, RV_BLOCK_MAX_INSNS);
	}
	memset(b, 0, sizeof(*b));
	/* Mark the page before reading it, so a store by another hart either
	 * lands before our reads (we decode the new bytes) or, once the mark
	 * has dropped its write TLB entries, refills and flushes.  A store
	 * already past its TLB check can still slip in between, and fence.i
	 * does not drop decoded code: truly concurrent cross-modifying code
	 * is not handled yet. */
	mark_code_page(cpu, ppc);
	struct fetch_ctx ctx = { cpu };
	uint64_t fault_addr = 0;
	if (rv_block_decode(b, cpu->pc, RV_BLOCK_MAX_INSNS, system_fetch, &ctx, handlers,
			    &fault_addr)) {
		uint64_t pa;
		int c = 0;
		translate(cpu, fault_addr, RV_ACC_EXEC, &pa, &c);
		*cause = c ? c : RV_EXC_INSN_ACCESS;
		*tval = fault_addr;
		return NULL;
	}
	b->ppc = ppc;
	rv_cache_commit(cache, b, RV_BLOCK_MAX_INSNS);
	return b;
}

/* Another hart invalidated code: drop ours too. */
static void sync_code_generation(struct rv_cpu *cpu)
{
	uint64_t g = __atomic_load_n(&cpu->priv.plat->code_generation, __ATOMIC_ACQUIRE);
	if (g != cpu->priv.code_seen_generation) {
		cpu->priv.code_seen_generation = g;
		rv_cache_flush_all(cpu->cache);
	}
}

/* ------------------------------------------------------------ the loop */

#define RV_HANDLER_ADDR(name) [RV_OP_##name] = &&op_##name,

enum rv_exit rv_run_system(struct rv_cpu *cpu)
{
	static const void *const handlers[RV_OP_COUNT] = { RV_OP_LIST(RV_HANDLER_ADDR) };
	uint64_t *const X = cpu->x;
	struct rv_code_cache *const cache = cpu->cache;
	struct rv_block *blk = NULL, **link = NULL;
	const struct rv_insn *ip;
	enum rv_exit ret = RV_EXIT_NONE;
	uint64_t icount = 0;
	bool irq_check = true;

	fpu_engine_enter();
lookup:
	cpu->instret += icount;
	icount = 0;
	if (irq_check || cpu->priv.irq_kick) {
		irq_check = false;
		cpu->priv.irq_kick = 0;
		uint64_t cause = rv_interrupt_pending(cpu);
		if (cause) {
			rv_trap_take(cpu, cause, 0);
			link = NULL;
		}
	}
	if (cpu->exit_request) {
		ret = RV_EXIT_INTERRUPT;
		goto leave;
	}
	{
		uint64_t ppc;
		int cause = fetch_translate(cpu, cpu->pc, &ppc);
		if (cause) {
			rv_trap_take(cpu, (uint64_t)cause, cpu->pc);
			link = NULL;
			goto lookup;
		}
		uint64_t flushes = cache->flushes;
		sync_code_generation(cpu);
		uint64_t from_pc = link ? blk->pc : 0;
		blk = find_block(cache, cpu->pc, ppc);
		if (!blk) {
			uint64_t tval = 0;
			blk = build_block(cpu, handlers, ppc, &cause, &tval);
			if (!blk) {
				rv_trap_take(cpu, (uint64_t)cause, tval);
				link = NULL;
				goto lookup;
			}
		}
		if (cache->flushes != flushes)
			link = NULL;    /* the block we came from is gone */
		/* Only same-page successors are chained (CHAIN_OK). */
		if (link && ((blk->pc ^ from_pc) & ~PAGE_MASK) == 0)
			*link = blk;
	}
	link = NULL;
	icount = blk->ninsns;
	ip = blk->insns;
	goto *ip->handler;

#include "rv64/interp_body.h"

leave:
	cpu->instret += icount;
	cpu->fflags |= fpu_engine_collect();
	return ret;
}

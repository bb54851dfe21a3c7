/*
 * Address translation for the full-system hart: Sv39 and Sv48 page walks
 * with hardware A/D updates, the SUM/MXR/U-bit permission rules, and the
 * soft TLB (one direct-mapped table per access kind) that caches
 * virtual-page -> host-address translations for RAM.
 *
 * PTEs live in guest RAM, which other harts and devices may write at the
 * same time: they are read once per level and A/D bits are set with a
 * compare-and-swap, redoing the walk if the PTE changed under us.
 */
#include <string.h>

#include "rv64/cpu.h"
#include "rv64/pmp.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK ((1ULL << 44) - 1)
#define PTE_RESERVED (~0ULL << 54)   /* N, PBMT and reserved bits: unsupported */

static int page_fault(enum rv_access acc)
{
	return acc == RV_ACC_EXEC ? RV_EXC_INSN_PAGE :
	       acc == RV_ACC_WRITE ? RV_EXC_STORE_PAGE : RV_EXC_LOAD_PAGE;
}

static int access_fault(enum rv_access acc)
{
	return acc == RV_ACC_EXEC ? RV_EXC_INSN_ACCESS :
	       acc == RV_ACC_WRITE ? RV_EXC_STORE_ACCESS : RV_EXC_LOAD_ACCESS;
}

static uint64_t *ram_word(const struct rv_platform *plat, uint64_t pa)
{
	if (pa < plat->ram_base || pa - plat->ram_base > plat->ram_size - 8 || (pa & 7))
		return NULL;
	return (uint64_t *)(plat->ram_host + (pa - plat->ram_base));
}

static bool leaf_allows(const struct rv_priv *p, uint64_t pte, enum rv_access acc, int mode)
{
	if (mode == RV_MODE_U && !(pte & PTE_U))
		return false;
	if (mode == RV_MODE_S && (pte & PTE_U) &&
	    (acc == RV_ACC_EXEC || !(p->mstatus & MSTATUS_SUM)))
		return false;
	if (acc == RV_ACC_EXEC)
		return pte & PTE_X;
	if (acc == RV_ACC_WRITE)
		return pte & PTE_W;
	return (pte & PTE_R) || ((p->mstatus & MSTATUS_MXR) && (pte & PTE_X));
}

/* Set A (and D for writes) atomically.  Returns false if the PTE changed
 * meanwhile and the walk must be redone. */
static bool update_ad(uint64_t *slot, uint64_t pte, enum rv_access acc)
{
	uint64_t want = pte | PTE_A | (acc == RV_ACC_WRITE ? PTE_D : 0);
	if (want == pte)
		return true;
	return __atomic_compare_exchange_n(slot, &pte, want, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static int walk(struct rv_cpu *cpu, uint64_t va, enum rv_access acc, int mode,
		int levels, uint64_t *pa)
{
	const struct rv_priv *p = &cpu->priv;
	for (;;) {
		uint64_t table = (p->satp & PTE_PPN_MASK) << PAGE_SHIFT;
		int level;
		uint64_t pte = 0, *slot = NULL;
		for (level = levels - 1; level >= 0; level--) {
			uint64_t idx = (va >> (PAGE_SHIFT + 9 * level)) & 511;
			slot = ram_word(p->plat, table + idx * 8);
			/* Page-table reads are S-mode accesses for PMP. */
			if (!slot || !rv_pmp_allows(p, table + idx * 8, 8, RV_ACC_READ, RV_MODE_S))
				return access_fault(acc);
			pte = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
			if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED))
				return page_fault(acc);
			if (pte & (PTE_R | PTE_X))
				break;
			if (pte & (PTE_U | PTE_A | PTE_D))
				return page_fault(acc);   /* reserved for non-leaf PTEs */
			table = ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT;
		}
		if (level < 0 || !leaf_allows(p, pte, acc, mode))
			return page_fault(acc);
		uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
		uint64_t low_mask = (1ULL << (9 * level)) - 1;
		if (ppn & low_mask)
			return page_fault(acc);   /* misaligned superpage */
		if (!update_ad(slot, pte, acc))
			continue;
		uint64_t vpn = va >> PAGE_SHIFT;
		*pa = ((ppn | (vpn & low_mask)) << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
		return 0;
	}
}

int rv_mmu_translate(struct rv_cpu *cpu, uint64_t va, enum rv_access acc, uint64_t *pa)
{
	const struct rv_priv *p = &cpu->priv;
	int mode = acc == RV_ACC_EXEC ? p->mode : rv_data_mode(p);
	uint64_t satp_mode = p->satp >> 60;
	if (mode == RV_MODE_M || satp_mode == 0) {
		*pa = va;
		return 0;
	}
	int levels = satp_mode == 9 ? 4 : 3;
	int va_bits = PAGE_SHIFT + 9 * levels;
	/* The upper bits must all equal the top translated bit. */
	int64_t ext = (int64_t)(va << (64 - va_bits)) >> (64 - va_bits);
	if ((uint64_t)ext != va)
		return page_fault(acc);
	return walk(cpu, va, acc, mode, levels, pa);
}

static bool page_is_ram(const struct rv_platform *plat, uint64_t pa)
{
	uint64_t page = pa & ~(PAGE_SIZE - 1);
	return page >= plat->ram_base && page - plat->ram_base < plat->ram_size;
}

void *rv_tlb_fill(struct rv_cpu *cpu, uint64_t va, enum rv_access acc, uint64_t *pa, int *cause)
{
	struct rv_priv *p = &cpu->priv;
	const struct rv_platform *plat = p->plat;
	int c = rv_mmu_translate(cpu, va, acc, pa);
	*cause = c;
	if (c)
		return NULL;
	/* A page is cached only when PMP treats all of it alike; otherwise
	 * this access is checked alone (by its first byte) and the next one
	 * comes back here. */
	int mode = acc == RV_ACC_EXEC ? p->mode : rv_data_mode(p);
	bool cacheable = rv_pmp_allows(p, *pa & ~(PAGE_SIZE - 1), PAGE_SIZE, acc, mode);
	if (!cacheable && !rv_pmp_allows(p, *pa, 1, acc, mode)) {
		*cause = access_fault(acc);
		return NULL;
	}
	if (!page_is_ram(plat, *pa))
		return NULL;   /* MMIO (or nothing): the caller goes to the bus */
	uint64_t page_off = (*pa & ~(PAGE_SIZE - 1)) - plat->ram_base;
	if (acc == RV_ACC_WRITE && plat->code_pages &&
	    __atomic_load_n(&plat->code_pages[page_off >> PAGE_SHIFT], __ATOMIC_ACQUIRE))
		rv_code_page_written(cpu, *pa);
	uint8_t *host_page = plat->ram_host + page_off;
	if (!cacheable)
		return host_page + (va & (PAGE_SIZE - 1));
	uint64_t va_page = va & ~(PAGE_SIZE - 1);
	struct rv_tlb_entry *e = &p->tlb[acc][(va >> PAGE_SHIFT) & (RV_TLB_SIZE - 1)];
	e->addend = (uint64_t)(uintptr_t)host_page - va_page;
	__atomic_store_n(&e->tag, va_page, __ATOMIC_SEQ_CST);
	/* Another hart may have made this a code page between our check and
	 * the store above: then do not keep the write entry. */
	if (acc == RV_ACC_WRITE && plat->code_pages &&
	    __atomic_load_n(&plat->code_pages[page_off >> PAGE_SHIFT], __ATOMIC_SEQ_CST)) {
		e->tag = ~0ULL;
		rv_code_page_written(cpu, *pa);
	}
	return host_page + (va & (PAGE_SIZE - 1));
}

void rv_tlb_flush(struct rv_cpu *cpu)
{
	struct rv_tlb_entry *t = &cpu->priv.tlb[0][0];
	for (unsigned i = 0; i < 3 * RV_TLB_SIZE; i++)
		t[i].tag = ~0ULL;
}

static void drop_write_entries(struct rv_cpu *cpu, uint64_t host)
{
	struct rv_tlb_entry *t = cpu->priv.tlb[RV_ACC_WRITE];
	for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
		uint64_t tag = __atomic_load_n(&t[i].tag, __ATOMIC_ACQUIRE);
		if (tag != ~0ULL && tag + t[i].addend == host)
			__atomic_store_n(&t[i].tag, ~0ULL, __ATOMIC_SEQ_CST);
	}
}

void rv_tlb_flush_write_page(struct rv_cpu *cpu, uint64_t paddr)
{
	const struct rv_platform *plat = cpu->priv.plat;
	uint64_t host = (uint64_t)(uintptr_t)plat->ram_host +
			((paddr & ~(PAGE_SIZE - 1)) - plat->ram_base);
	if (!plat->harts) {
		drop_write_entries(cpu, host);
		return;
	}
	/* Other harts' entries too: a racing fill re-checks code_pages after
	 * installing its entry (rv_tlb_fill), so none survives. */
	for (int h = 0; h < plat->nharts; h++)
		drop_write_entries(plat->harts[h], host);
}

/*
 * Bookkeeping of the guest's mappings.  The host kernel holds the real page
 * tables; this sorted array only answers the questions it cannot: which
 * parts of the (entirely reserved) window the guest has mapped, where a new
 * mapping may go, and whether a range held executable code.  Every function
 * expects the caller to hold p->mm_lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "user/uproc_priv.h"

static int reserve(struct uproc *p, size_t n)
{
	if (n <= p->vmas_cap)
		return 0;
	size_t cap = p->vmas_cap ? p->vmas_cap * 2 : 64;
	while (cap < n)
		cap *= 2;
	struct uproc_vma *v = realloc(p->vmas, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->vmas = v;
	p->vmas_cap = cap;
	return 0;
}

/* Index of the first vma whose end is above addr. */
static size_t first_above(const struct uproc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nvmas;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->vmas[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void insert_at(struct uproc *p, size_t i, struct uproc_vma v)
{
	memmove(&p->vmas[i + 1], &p->vmas[i], (p->nvmas - i) * sizeof(v));
	p->vmas[i] = v;
	p->nvmas++;
}

static void delete_at(struct uproc *p, size_t i)
{
	memmove(&p->vmas[i], &p->vmas[i + 1], (p->nvmas - i - 1) * sizeof(p->vmas[0]));
	p->nvmas--;
}

/* Split so that no vma straddles addr. */
static int split_at(struct uproc *p, uint64_t addr)
{
	size_t i = first_above(p, addr);
	if (i == p->nvmas || p->vmas[i].start >= addr)
		return 0;
	int err = reserve(p, p->nvmas + 1);
	if (err)
		return err;
	struct uproc_vma hi = p->vmas[i];
	hi.start = addr;
	p->vmas[i].end = addr;
	insert_at(p, i + 1, hi);
	return 0;
}

int vma_remove(struct uproc *p, uint64_t start, uint64_t end)
{
	int err = split_at(p, start);
	if (!err)
		err = split_at(p, end);
	if (err)
		return err;
	size_t i = first_above(p, start);
	while (i < p->nvmas && p->vmas[i].start < end)
		delete_at(p, i);
	return 0;
}

/* Coalesce anonymous private neighbours with the same protection (what
 * the kernel does too), so the list and /proc/self/maps stay short.
 * File mappings are left alone: we do not know whether they continue. */
static bool mergeable(const struct uproc_vma *a, const struct uproc_vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->anon_private && b->anon_private;
}

static void merge_range(struct uproc *p, uint64_t start, uint64_t end)
{
	size_t i = first_above(p, start > 0 ? start - 1 : 0);
	while (i + 1 < p->nvmas && p->vmas[i].start <= end) {
		if (mergeable(&p->vmas[i], &p->vmas[i + 1])) {
			p->vmas[i].end = p->vmas[i + 1].end;
			delete_at(p, i + 1);
		} else {
			i++;
		}
	}
}

int vma_insert(struct uproc *p, uint64_t start, uint64_t end, int prot, bool anon_private)
{
	/* Two spare slots: removing a middle part splits one vma in two. */
	int err = reserve(p, p->nvmas + 2);
	if (!err)
		err = vma_remove(p, start, end);
	if (err)
		return err;
	struct uproc_vma v = { .start = start, .end = end, .prot = prot, .anon_private = anon_private };
	insert_at(p, first_above(p, start), v);
	merge_range(p, start, end);
	return 0;
}

int vma_protect(struct uproc *p, uint64_t start, uint64_t end, int prot)
{
	int err = split_at(p, start);
	if (!err)
		err = split_at(p, end);
	if (err)
		return err;
	for (size_t i = first_above(p, start); i < p->nvmas && p->vmas[i].start < end; i++)
		p->vmas[i].prot = prot;
	merge_range(p, start, end);
	return 0;
}

const struct uproc_vma *vma_find(const struct uproc *p, uint64_t addr)
{
	size_t i = first_above(p, addr);
	if (i < p->nvmas && p->vmas[i].start <= addr)
		return &p->vmas[i];
	return NULL;
}

bool vma_range_free(const struct uproc *p, uint64_t start, uint64_t end)
{
	size_t i = first_above(p, start);
	return i == p->nvmas || p->vmas[i].start >= end;
}

bool vma_range_mapped(const struct uproc *p, uint64_t start, uint64_t end)
{
	uint64_t at = start;
	for (size_t i = first_above(p, start); i < p->nvmas && at < end; i++) {
		if (p->vmas[i].start > at)
			return false;
		at = p->vmas[i].end;
	}
	return at >= end;
}

bool vma_range_exec(const struct uproc *p, uint64_t start, uint64_t end)
{
	for (size_t i = first_above(p, start); i < p->nvmas && p->vmas[i].start < end; i++)
		if (p->vmas[i].prot & PROT_EXEC)
			return true;
	return false;
}

uint64_t vma_find_free_topdown(const struct uproc *p, uint64_t len, uint64_t below)
{
	if (len == 0 || len > below)
		return 0;
	/* Walk gaps from the highest vma starting below `below` downwards. */
	uint64_t top = below;
	size_t i = first_above(p, below > 0 ? below - 1 : 0);
	if (i < p->nvmas && p->vmas[i].start < below)
		top = p->vmas[i].start;
	for (;;) {
		uint64_t floor = i > 0 ? p->vmas[i - 1].end : UPROC_MIN_ADDR;
		if (i > 0 && p->vmas[i - 1].end > top)
			floor = top;  /* cannot happen with a sorted array; be safe */
		if (top >= floor + len && top - len >= UPROC_MIN_ADDR)
			return top - len;
		if (i == 0)
			return 0;
		i--;
		top = p->vmas[i].start;
	}
}

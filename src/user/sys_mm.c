/*
 * Memory-management system calls: thin argument checking in front of the
 * operations in mm.c, plus the calls that only need a range check before
 * going to the host (madvise, msync, mlock).  riscv_flush_icache lives in
 * sys_misc.c.
 */
#include <errno.h>
#include <sys/mman.h>

#include "user/syscall.h"
#include "user/uproc_priv.h"

static long sys_brk(struct uthread *t, const uint64_t a[6])
{
	return mm_brk(t->proc, a[0]);
}

static long sys_mmap(struct uthread *t, const uint64_t a[6])
{
	return mm_map(t->proc, a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
}

static long sys_munmap(struct uthread *t, const uint64_t a[6])
{
	return mm_unmap(t->proc, a[0], a[1]);
}

static long sys_mprotect(struct uthread *t, const uint64_t a[6])
{
	return mm_protect(t->proc, a[0], a[1], (int)a[2]);
}

static long sys_mremap(struct uthread *t, const uint64_t a[6])
{
	return mm_remap(t->proc, a[0], a[1], a[2], (int)a[3], a[4]);
}

/* Host pointer for a page-aligned guest range, or NULL. */
static void *page_range(struct uthread *t, uint64_t addr, uint64_t len)
{
	if (addr & (UPROC_PAGE - 1) || len > UPROC_WINDOW)
		return NULL;
	return uproc_ptr(t->proc, addr, UPROC_PAGE_UP(len));
}

static bool advice_is_safe(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE:
		return true;
	default:
		return false;
	}
}

static long sys_madvise(struct uthread *t, const uint64_t a[6])
{
	void *h = page_range(t, a[0], a[1]);
	if (!h)
		return -EINVAL;
	if (!advice_is_safe((int)a[2]))
		return -EINVAL;
	/* DONTNEED over our PROT_NONE reservation is harmless: it stays reserved. */
	return madvise(h, UPROC_PAGE_UP(a[1]), (int)a[2]) ? -errno : 0;
}

static long sys_msync(struct uthread *t, const uint64_t a[6])
{
	void *h = page_range(t, a[0], a[1]);
	if (!h)
		return -EINVAL;
	return msync(h, UPROC_PAGE_UP(a[1]), (int)a[2]) ? -errno : 0;
}

static long sys_mlock(struct uthread *t, const uint64_t a[6])
{
	void *h = uproc_ptr(t->proc, UPROC_PAGE_DOWN(a[0]), a[1] + (a[0] & (UPROC_PAGE - 1)));
	if (!h || a[1] > UPROC_WINDOW)
		return -ENOMEM;
	return mlock(h, a[1]) ? -errno : 0;
}

static long sys_munlock(struct uthread *t, const uint64_t a[6])
{
	void *h = uproc_ptr(t->proc, UPROC_PAGE_DOWN(a[0]), a[1] + (a[0] & (UPROC_PAGE - 1)));
	if (!h || a[1] > UPROC_WINDOW)
		return -ENOMEM;
	return munlock(h, a[1]) ? -errno : 0;
}

/* mincore: only over ranges the guest has mapped (the rest of the window
 * is our reservation, which Linux would report as ENOMEM). */
static long sys_mincore(struct uthread *t, const uint64_t a[6])
{
	struct uproc *p = t->proc;
	if (a[0] & (UPROC_PAGE - 1))
		return -EINVAL;
	if (a[1] > UPROC_WINDOW || !uproc_ptr(p, a[0], UPROC_PAGE_UP(a[1])))
		return -ENOMEM;
	uint64_t len = UPROC_PAGE_UP(a[1]);
	void *vec = uproc_ptr(p, a[2], len / UPROC_PAGE);
	if (!vec)
		return -EFAULT;
	pthread_mutex_lock(&p->mm_lock);
	bool mapped = vma_range_mapped(p, a[0], a[0] + len);
	pthread_mutex_unlock(&p->mm_lock);
	if (!mapped)
		return -ENOMEM;
	return mincore(p->window + a[0], len, vec) ? -errno : 0;
}

void sys_mm_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, 214, sys_brk);
	SYS_SET(tbl, 215, sys_munmap);
	SYS_SET(tbl, 216, sys_mremap);
	SYS_SET(tbl, 222, sys_mmap);
	SYS_SET(tbl, 226, sys_mprotect);
	SYS_SET(tbl, 227, sys_msync);
	SYS_SET(tbl, 228, sys_mlock);
	SYS_SET(tbl, 229, sys_munlock);
	SYS_SET(tbl, 232, sys_mincore);
	SYS_SET(tbl, 233, sys_madvise);
}

/*
 * Guest address-space operations: the semantics of mmap, munmap, mprotect,
 * mremap and brk, carried out as host calls inside the reserved window.
 *
 * Invariants: every host call here uses MAP_FIXED (or MREMAP_FIXED) on an
 * address inside the window, so the guest can never touch host memory;
 * "unmapping" re-reserves the range PROT_NONE|MAP_NORESERVE so the window
 * stays ours.  Host protections never include PROT_EXEC: guest code is
 * interpreted, so executable guest pages only need to be readable.
 * Decoded code is flushed whenever a range that was or becomes executable
 * changes.
 */
#include <errno.h>
#include <sys/mman.h>

#include "user/uproc_priv.h"

#define GUEST_PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)
/* mmap flags we hand to the host (riscv64 and x86-64 agree on these). */
#define PASS_FLAGS (MAP_ANONYMOUS | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_LOCKED)

static int host_prot(int prot)
{
	int h = prot & (PROT_READ | PROT_WRITE);
	if (prot & PROT_EXEC)
		h |= PROT_READ;   /* the interpreter fetches with loads */
	return h;
}

static bool range_ok(uint64_t addr, uint64_t len)
{
	return addr <= UPROC_WINDOW && len <= UPROC_WINDOW - addr;
}

/* Give [addr, addr+len) back to the reservation. */
static int reserve_range(struct uproc *p, uint64_t addr, uint64_t len)
{
	void *h = mmap(p->window + addr, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	return h == MAP_FAILED ? -errno : 0;
}

void mm_flush_code(struct uproc *p, uint64_t start, uint64_t len)
{
	struct uthread *self = uthread_self;
	if (self)
		rv_code_flush(&self->cpu, start, len);
	pthread_mutex_lock(&p->threads_lock);
	for (struct uthread *t = p->threads; t; t = t->next) {
		if (t == self || t->exiting)
			continue;
		/* Other harts flush everything at their next block boundary. */
		t->flush_code = 1;
		t->cpu.exit_request = 1;
	}
	pthread_mutex_unlock(&p->threads_lock);
}

static uint64_t choose_addr(struct uproc *p, uint64_t hint, uint64_t len)
{
	hint = UPROC_PAGE_DOWN(hint);
	if (hint >= UPROC_MIN_ADDR && range_ok(hint, len) && vma_range_free(p, hint, hint + len))
		return hint;
	uint64_t a = vma_find_free_topdown(p, len, p->mmap_base);
	if (!a)
		a = vma_find_free_topdown(p, len, p->stack_top - p->stack_size);
	return a;
}

static long map_locked(struct uproc *p, uint64_t addr, uint64_t len, int prot, int flags,
		       int fd, uint64_t off)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed) {
		if (addr & (UPROC_PAGE - 1))
			return -EINVAL;
		if (!range_ok(addr, len))
			return -ENOMEM;
		if (addr < UPROC_MIN_ADDR)
			return -EPERM;
		if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(p, addr, addr + len))
			return -EEXIST;
	} else {
		addr = choose_addr(p, addr, len);
		if (!addr)
			return -ENOMEM;
	}
	bool anon = flags & MAP_ANONYMOUS;
	int hflags = MAP_FIXED | (flags & MAP_TYPE) | (flags & PASS_FLAGS);
	bool was_exec = vma_range_exec(p, addr, addr + len);
	void *h = mmap(p->window + addr, len, host_prot(prot), hflags, anon ? -1 : fd, (off_t)off);
	if (h == MAP_FAILED)
		return -errno;
	int err = vma_insert(p, addr, addr + len, prot, anon && (flags & MAP_TYPE) == MAP_PRIVATE);
	if (err) {
		reserve_range(p, addr, len);
		vma_remove(p, addr, addr + len);
		return err;
	}
	if (was_exec || (prot & PROT_EXEC))
		mm_flush_code(p, addr, len);
	return (long)addr;
}

long mm_map(struct uproc *p, uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	int type = flags & MAP_TYPE;
	if (len == 0 || (off & (UPROC_PAGE - 1)) || off > INT64_MAX)
		return -EINVAL;
	if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (prot & ~(GUEST_PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (len > UPROC_WINDOW)
		return -ENOMEM;
	len = UPROC_PAGE_UP(len);
	pthread_mutex_lock(&p->mm_lock);
	long r = map_locked(p, addr, len, prot & GUEST_PROT_MASK, flags, fd, off);
	pthread_mutex_unlock(&p->mm_lock);
	return r;
}

static long unmap_locked(struct uproc *p, uint64_t addr, uint64_t len)
{
	bool was_exec = vma_range_exec(p, addr, addr + len);
	int err = reserve_range(p, addr, len);
	if (!err)
		err = vma_remove(p, addr, addr + len);
	if (!err && was_exec)
		mm_flush_code(p, addr, len);
	return err;
}

long mm_unmap(struct uproc *p, uint64_t addr, uint64_t len)
{
	if ((addr & (UPROC_PAGE - 1)) || len == 0 || len > UPROC_WINDOW)
		return -EINVAL;
	len = UPROC_PAGE_UP(len);
	if (!range_ok(addr, len))
		return -EINVAL;
	pthread_mutex_lock(&p->mm_lock);
	long r = unmap_locked(p, addr, len);
	pthread_mutex_unlock(&p->mm_lock);
	return r;
}

long mm_protect(struct uproc *p, uint64_t addr, uint64_t len, int prot)
{
	if ((addr & (UPROC_PAGE - 1)) || (prot & ~(GUEST_PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (len > UPROC_WINDOW)
		return -ENOMEM;
	len = UPROC_PAGE_UP(len);
	if (!range_ok(addr, len))
		return -ENOMEM;
	if (len == 0)
		return 0;
	prot &= GUEST_PROT_MASK;
	pthread_mutex_lock(&p->mm_lock);
	long r = -ENOMEM;
	if (vma_range_mapped(p, addr, addr + len)) {
		bool was_exec = vma_range_exec(p, addr, addr + len);
		r = mprotect(p->window + addr, len, host_prot(prot)) ? -errno : 0;
		if (!r)
			r = vma_protect(p, addr, addr + len, prot);
		if (!r && (was_exec || (prot & PROT_EXEC)))
			mm_flush_code(p, addr, len);
	}
	pthread_mutex_unlock(&p->mm_lock);
	return r;
}

/* Move [old, old+old_len) to new_addr (already checked free or fixed). */
static long move_locked(struct uproc *p, uint64_t old, uint64_t old_len, uint64_t new_len,
			uint64_t new_addr, bool keep_old)
{
	const struct uproc_vma *v = vma_find(p, old);
	int prot = v->prot;
	bool anon = v->anon_private;
	int flags = MREMAP_MAYMOVE | MREMAP_FIXED | (keep_old ? MREMAP_DONTUNMAP : 0);
	void *h = mremap(p->window + old, old_len, new_len, flags, p->window + new_addr);
	if (h == MAP_FAILED)
		return -errno;
	if (!keep_old) {
		reserve_range(p, old, old_len);
		vma_remove(p, old, old + old_len);
	}
	vma_insert(p, new_addr, new_addr + new_len, prot, anon);
	if (prot & PROT_EXEC)
		mm_flush_code(p, old, old_len);
	return (long)new_addr;
}

static long grow_in_place(struct uproc *p, uint64_t old, uint64_t old_len, uint64_t new_len)
{
	const struct uproc_vma *v = vma_find(p, old);
	uint64_t tail = old + old_len;
	if (!v->anon_private || v->end < tail || !range_ok(old, new_len) ||
	    !vma_range_free(p, tail, old + new_len))
		return -ENOMEM;
	return map_locked(p, tail, new_len - old_len, v->prot,
			  MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) < 0 ? -ENOMEM : (long)old;
}

static long remap_locked(struct uproc *p, uint64_t old, uint64_t old_len, uint64_t new_len,
			 int flags, uint64_t new_addr)
{
	if (!vma_range_mapped(p, old, old + old_len))
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (UPROC_PAGE - 1)) || !range_ok(new_addr, new_len) ||
		    new_addr < UPROC_MIN_ADDR)
			return -EINVAL;
		if (new_addr < old + old_len && old < new_addr + new_len)
			return -EINVAL;
		unmap_locked(p, new_addr, new_len);
		return move_locked(p, old, old_len, new_len, new_addr, flags & MREMAP_DONTUNMAP);
	}
	if (new_len <= old_len) {
		if (new_len < old_len)
			unmap_locked(p, old + new_len, old_len - new_len);
		return (long)old;
	}
	long r = grow_in_place(p, old, old_len, new_len);
	if (r >= 0 || !(flags & MREMAP_MAYMOVE))
		return r;
	uint64_t to = choose_addr(p, 0, new_len);
	if (!to)
		return -ENOMEM;
	return move_locked(p, old, old_len, new_len, to, flags & MREMAP_DONTUNMAP);
}

long mm_remap(struct uproc *p, uint64_t old, uint64_t old_len, uint64_t new_len, int flags,
	      uint64_t new_addr)
{
	if ((old & (UPROC_PAGE - 1)) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (old_len == 0 || new_len == 0 || old_len > UPROC_WINDOW || new_len > UPROC_WINDOW)
		return -EINVAL;
	old_len = UPROC_PAGE_UP(old_len);
	new_len = UPROC_PAGE_UP(new_len);
	if (!range_ok(old, old_len))
		return -EFAULT;
	pthread_mutex_lock(&p->mm_lock);
	long r = remap_locked(p, old, old_len, new_len, flags, new_addr);
	pthread_mutex_unlock(&p->mm_lock);
	return r;
}

long mm_brk(struct uproc *p, uint64_t want)
{
	pthread_mutex_lock(&p->mm_lock);
	uint64_t cur = p->brk_cur;
	if (want < p->brk_start || want > p->mmap_base) {
		pthread_mutex_unlock(&p->mm_lock);
		return (long)cur;
	}
	uint64_t old_end = UPROC_PAGE_UP(cur), new_end = UPROC_PAGE_UP(want);
	long r = 0;
	if (new_end > old_end) {
		if (!vma_range_free(p, old_end, new_end))
			r = -ENOMEM;
		else
			r = map_locked(p, old_end, new_end - old_end, PROT_READ | PROT_WRITE,
				       MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	} else if (new_end < old_end) {
		r = unmap_locked(p, new_end, old_end - new_end);
	}
	if (r >= 0)
		p->brk_cur = want;
	cur = p->brk_cur;
	pthread_mutex_unlock(&p->mm_lock);
	return (long)cur;
}

/*
 * The guest address window and the copies popek itself makes through it.
 *
 * The whole window (plus a guard) is reserved PROT_NONE|MAP_NORESERVE once,
 * so guest mappings only ever replace parts of our own reservation and never
 * land on host memory.  uproc_read/uproc_write/uproc_strncpy copy under a
 * fault catcher: a guest pointer to an unmapped or read-only page makes the
 * host fault handler (fault.c) jump back here, and the copy reports -EFAULT
 * instead of crashing popek.
 */
#include <errno.h>
#include <setjmp.h>
#include <string.h>
#include <sys/mman.h>

#include "user/uproc_priv.h"

int uproc_window_init(struct uproc *p)
{
	void *w = mmap(NULL, UPROC_WINDOW + UPROC_GUARD, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (w == MAP_FAILED)
		return -errno;
	p->window = w;
	return 0;
}

/* The copy loops run with fault_copy_jmp armed; volatile keeps the
 * compiler from caching values across a longjmp. */
static int guarded_copy(void *dst, const void *src, size_t len)
{
	sigjmp_buf jb;
	sigjmp_buf *volatile prev = fault_copy_jmp;
	if (sigsetjmp(jb, 0)) {
		fault_copy_jmp = prev;
		return -EFAULT;
	}
	fault_copy_jmp = &jb;
	memcpy(dst, src, len);
	fault_copy_jmp = prev;
	return 0;
}

int uproc_read(struct uproc *p, void *dst, uint64_t src, size_t len)
{
	void *h = uproc_ptr(p, src, len);
	if (!h)
		return -EFAULT;
	return len ? guarded_copy(dst, h, len) : 0;
}

int uproc_write(struct uproc *p, uint64_t dst, const void *src, size_t len)
{
	void *h = uproc_ptr(p, dst, len);
	if (!h)
		return -EFAULT;
	return len ? guarded_copy(h, src, len) : 0;
}

/* Copy bytes up to and including NUL; *n returns how many were copied. */
static int guarded_strcpy(char *dst, const char *src, size_t max, size_t *n)
{
	sigjmp_buf jb;
	sigjmp_buf *volatile prev = fault_copy_jmp;
	volatile size_t i = 0;
	if (sigsetjmp(jb, 0)) {
		fault_copy_jmp = prev;
		*n = i;
		return -EFAULT;
	}
	fault_copy_jmp = &jb;
	for (; i < max; i++) {
		dst[i] = src[i];
		if (!dst[i])
			break;
	}
	fault_copy_jmp = prev;
	*n = i;
	return 0;
}

long uproc_strncpy(struct uproc *p, char *dst, uint64_t src, size_t max)
{
	if (max == 0)
		return -ENAMETOOLONG;
	if (src >= UPROC_WINDOW)
		return -EFAULT;
	size_t room = UPROC_WINDOW - src < max ? UPROC_WINDOW - src : max;
	size_t n;
	int err = guarded_strcpy(dst, (const char *)p->window + src, room, &n);
	if (err)
		return err;
	if (n == room) {
		dst[max - 1] = 0;
		return room < max ? -EFAULT : -ENAMETOOLONG;
	}
	return (long)n;
}

struct uproc *uproc_current;

/*
 * See fake_uproc.h: the process-VM stand-in for handler-level tests.
 */
#include <sys/syscall.h>
#include <unistd.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "user/uproc_priv.h"

#include "fake_uproc.h"

struct uproc *P;
struct uthread *T;
struct sys_entry tbl[SYS_TABLE_SIZE];
int deliverable;
uint64_t flushed_start, flushed_len;

static int mapped(uint64_t a, uint64_t len)
{
	return a >= G_BASE && len <= G_SIZE && a - G_BASE <= G_SIZE - len;
}

int uproc_read(struct uproc *p, void *dst, uint64_t src, size_t len)
{
	if (!mapped(src, len))
		return -EFAULT;
	memcpy(dst, p->window + src, len);
	return 0;
}

int uproc_write(struct uproc *p, uint64_t dst, const void *src, size_t len)
{
	if (!mapped(dst, len))
		return -EFAULT;
	memcpy(p->window + dst, src, len);
	return 0;
}

long uproc_strncpy(struct uproc *p, char *dst, uint64_t src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (!mapped(src + i, 1))
			return -EFAULT;
		dst[i] = (char)p->window[src + i];
		if (!dst[i])
			return (long)i;
	}
	return -ENAMETOOLONG;
}

bool usig_have_deliverable(struct uthread *t)
{
	(void)t;
	return deliverable;
}

/* The real one can be interrupted by a guest signal before it blocks; the
 * handlers under test only need the host call itself. */
long uproc_blocking_syscall(struct uthread *t, long nr, long a1, long a2, long a3, long a4,
			    long a5, long a6)
{
	(void)t;
	long r = syscall(nr, a1, a2, a3, a4, a5, a6);
	return r < 0 ? -errno : r;
}

void mm_flush_code(struct uproc *p, uint64_t start, uint64_t len)
{
	(void)p;
	flushed_start = start;
	flushed_len = len;
}

void rv_code_flush(struct rv_cpu *cpu, uint64_t start, uint64_t len)
{
	(void)cpu;
	flushed_start = start;
	flushed_len = len;
}

int fake_uproc_init(const char *exe)
{
	P = calloc(1, sizeof(*P));
	T = calloc(1, sizeof(*T));
	if (!P || !T)
		return -1;
	P->window = mmap(NULL, UPROC_WINDOW, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (P->window == MAP_FAILED || mprotect(P->window + G_BASE, G_SIZE, PROT_READ | PROT_WRITE)) {
		perror("window");
		return -1;
	}
	pthread_mutex_init(&P->sig_lock, NULL);
	pthread_mutex_init(&P->mm_lock, NULL);
	snprintf(P->exe_path, sizeof(P->exe_path), "%s", exe);
	T->proc = P;
	sys_fs_register(tbl);
	sys_stat_register(tbl);
	sys_time_register(tbl);
	sys_misc_register(tbl);
	return 0;
}

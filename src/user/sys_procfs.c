/*
 * The few /proc files whose host contents would mislead a riscv64 guest,
 * generated instead of opened:
 *  - /proc/self/maps (and /proc/<our pid>/maps): the host's describes
 *    popek's address space; the guest needs its own mappings, for example
 *    glibc's pthread_getattr_np() finds the main thread's stack there.
 *  - /proc/cpuinfo: the host's lists x86-64 processors; riscv64 software
 *    reads the "isa" line.
 * The generated text goes into a sealed-size memfd so the guest reads,
 * seeks and stats it like a file.  (/proc/self/exe is handled by
 * sys_path_lookup.)
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/uproc_priv.h"

/* A growable text buffer; on allocation failure it stays failed. */
struct text {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void text_add(struct text *tx, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (tx->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || tx->len + (size_t)n + 1 > tx->cap) {
		size_t cap = tx->cap ? tx->cap * 2 : 4096;
		char *nb;

		while (n >= 0 && cap < tx->len + (size_t)n + 1)
			cap *= 2;
		nb = n < 0 ? NULL : realloc(tx->buf, cap);
		if (!nb) {
			tx->failed = true;
			return;
		}
		tx->buf = nb;
		tx->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(tx->buf + tx->len, tx->cap - tx->len, fmt, ap);
	va_end(ap);
	tx->len += (size_t)n;
}

static const char *vma_label(const struct uproc *p, const struct uproc_vma *v)
{
	uint64_t heap_lo = UPROC_PAGE_DOWN(p->brk_start), heap_hi = UPROC_PAGE_UP(p->brk_cur);

	if (p->stack_top && v->start < p->stack_top && v->end >= p->stack_top)
		return "[stack]";
	if (heap_hi > heap_lo && v->start >= heap_lo && v->end <= heap_hi)
		return "[heap]";
	return NULL;
}

/* The kernel's layout: addresses, permissions, offset, device, inode,
 * then the name padded to column 73. */
static void maps_text(struct uproc *p, struct text *tx)
{
	pthread_mutex_lock(&p->mm_lock);
	for (size_t i = 0; i < p->nvmas; i++) {
		const struct uproc_vma *v = &p->vmas[i];
		const char *label = vma_label(p, v);
		size_t before = tx->len;

		text_add(tx, "%08llx-%08llx %c%c%cp %08llx 00:00 0 ",
			 (unsigned long long)v->start, (unsigned long long)v->end,
			 (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
			 (v->prot & PROT_EXEC) ? 'x' : '-', 0ULL);
		if (label)
			text_add(tx, "%*s%s", (int)(tx->len - before < 73 ? 73 - (tx->len - before) : 0),
				 "", label);
		text_add(tx, "\n");
	}
	pthread_mutex_unlock(&p->mm_lock);
}

static void cpuinfo_text(struct text *tx)
{
	int n = get_nprocs();

	for (int i = 0; i < (n > 0 ? n : 1); i++)
		text_add(tx, "processor\t: %d\nhart\t\t: %d\n"
			 "isa\t\t: rv64imafdc_zicsr_zifencei_zba_zbb_zbs\n"
			 "mmu\t\t: sv39\nuarch\t\t: popek\n\n", i, i);
}

/* Which generated file, if any, a path names. */
enum proc_file { PROC_NONE, PROC_MAPS, PROC_CPUINFO };

static enum proc_file classify(const char *path)
{
	char own[64];

	if (!strcmp(path, "/proc/cpuinfo"))
		return PROC_CPUINFO;
	if (!strcmp(path, "/proc/self/maps") || !strcmp(path, "/proc/thread-self/maps"))
		return PROC_MAPS;
	snprintf(own, sizeof(own), "/proc/%d/maps", (int)getpid());
	return strcmp(path, own) ? PROC_NONE : PROC_MAPS;
}

/* Hand the text to the guest as a read-only-sized memfd at offset 0. */
static long text_to_fd(struct text *tx, const char *name, int hflags)
{
	unsigned mfd_flags = (hflags & O_CLOEXEC) ? MFD_CLOEXEC : 0;
	long fd;

	if (tx->failed)
		return -ENOMEM;
	fd = syscall(SYS_memfd_create, name, mfd_flags | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if ((tx->len && write((int)fd, tx->buf, tx->len) != (ssize_t)tx->len) ||
	    lseek((int)fd, 0, SEEK_SET) != 0) {
		int e = errno ? errno : EIO;

		close((int)fd);
		return -e;
	}
	/* The guest opened a file it cannot grow or shrink. */
	fcntl((int)fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_WRITE | F_SEAL_SEAL);
	return fd;
}

long sys_procfs_open(struct uthread *t, const char *path, int hflags)
{
	enum proc_file which = classify(path);
	struct text tx = { 0 };
	long r;

	if (which == PROC_NONE)
		return SYS_PROCFS_NOT_OURS;
	if ((hflags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	if (which == PROC_MAPS)
		maps_text(t->proc, &tx);
	else
		cpuinfo_text(&tx);
	r = text_to_fd(&tx, which == PROC_MAPS ? "maps" : "cpuinfo", hflags);
	free(tx.buf);
	return r;
}

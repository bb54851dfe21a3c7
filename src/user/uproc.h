/*
 * The user-mode process VM: one riscv64 Linux process emulated inside one
 * host process.  Guest threads are host threads; each owns an rv_cpu.
 *
 * Guest memory: a reserved host window (PROT_NONE, MAP_NORESERVE) of
 * UPROC_WINDOW bytes; guest address A is host address window + A.  Guest
 * mmap/mprotect/munmap become host calls inside the window, so the host MMU
 * enforces guest permissions and an access to an unmapped guest page is a
 * host SIGSEGV that is turned back into a guest SIGSEGV.
 *
 * System call handlers receive guest pointers as uint64_t and must convert
 * them with the helpers below, never by adding guest_base themselves:
 *  - uproc_ptr(): host pointer for a range that a host system call will read
 *    or write (the host kernel reports EFAULT for unmapped pages itself);
 *  - uproc_read/uproc_write/uproc_strncpy: copies that popek itself performs,
 *    which must never fault in popek (they return -EFAULT instead).
 */
#ifndef POPEK_USER_UPROC_H
#define POPEK_USER_UPROC_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rv64/cpu.h"

/* Sv39 user address space: 256 GiB. */
#define UPROC_WINDOW (1ULL << 38)

struct uproc;

struct uthread {
	struct rv_cpu cpu;
	struct uproc *proc;
	pid_t tid;                 /* host tid, which is the guest's tid */
	uint64_t clear_child_tid;  /* set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t sigmask;          /* guest blocked-signal mask (bit n-1 = signal n) */
	uint64_t sigaltstack_sp, sigaltstack_size;
	int sigaltstack_flags;
	struct uthread *next;

	/* Process-VM private state (src/user/): */
	uint64_t sig_pending;          /* thread-directed pending signals */
	uint64_t sig_info[65][16];     /* guest siginfo (128 bytes) per pending signal */
	uint64_t sigsuspend_mask;      /* mask to restore after a handler ran in sigsuspend */
	bool in_sigsuspend;
	bool regs_set;                 /* the syscall set a0/pc itself (sigreturn, restart) */
	bool exiting;                  /* exit(): leave the run loop */
	int exit_code;
	volatile int flush_code;       /* another thread changed executable mappings */
	uint64_t robust_list, robust_len;
	pthread_t host_thread;
	void *host_altstack;
	struct usig_rtnode *rt_queue;  /* queued real-time signals (signal.c) */
};

/* A guest sigaction (riscv64 layout: handler, flags, mask). */
struct uproc_sigaction {
	uint64_t handler, flags, mask;
};

/* One guest mapping as far as placement and permissions are concerned. */
struct uproc_vma {
	uint64_t start, end;           /* page aligned, end exclusive */
	int prot;                      /* guest PROT_* including PROT_EXEC */
	bool anon_private;             /* can be grown in place with fresh zero pages */
};

struct uproc {
	uint8_t *window;           /* host address of guest address 0 */
	uint64_t brk_start, brk_cur;
	uint64_t mmap_hint;        /* where the next non-fixed mmap looks first */
	pthread_mutex_t mm_lock;   /* serialises guest address-space changes */

	char exe_path[4096];       /* host path of the guest program (for /proc/self/exe) */
	char sysroot[4096];        /* -L: where PT_INTERP and absolute loads resolve */
	char popek_path[4096];     /* our own binary, for execve of another guest */
	bool strace;

	struct uthread *threads;
	pthread_mutex_t threads_lock;

	/* Process-VM private state (src/user/): */
	char argv0[4096];              /* -0: argv[0] when it differs from the path */
	uint64_t stack_top, stack_size, mmap_base;
	uint64_t sigreturn_tramp;      /* guest address of `li a7,139; ecall` */
	struct uproc_vma *vmas;        /* sorted, non-overlapping; under mm_lock */
	size_t nvmas, vmas_cap;
	struct uproc_sigaction sigact[65];
	uint64_t sig_pending;          /* process-directed pending signals */
	uint64_t sig_info[65][16];
	struct usig_rtnode *rt_queue;  /* queued real-time signals (signal.c) */
	pthread_mutex_t sig_lock;      /* sigact, pending sets, sigmasks */
	int live_threads;
	int leader_exit_code;
};

/* Host pointer for guest [addr, addr+len), or NULL when the range leaves the
 * guest window (the caller returns -EFAULT). */
static inline void *uproc_ptr(struct uproc *p, uint64_t addr, uint64_t len)
{
	if (addr > UPROC_WINDOW || len > UPROC_WINDOW - addr)
		return NULL;
	return p->window + addr;
}

/* Fault-safe copies between guest memory and popek's own buffers.
 * Return 0 or -EFAULT. */
int uproc_read(struct uproc *p, void *dst, uint64_t src, size_t len);
int uproc_write(struct uproc *p, uint64_t dst, const void *src, size_t len);
/* Copy a NUL-terminated guest string of at most max-1 bytes; returns its
 * length, -EFAULT, or -ENAMETOOLONG. */
long uproc_strncpy(struct uproc *p, char *dst, uint64_t src, size_t max);

/* System call entry: a7 = number, a0..a5 = arguments; returns the value
 * for a0 (negative errno on failure). */
long uproc_syscall(struct uthread *t);

#endif

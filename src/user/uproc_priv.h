/*
 * Private contract between the files of the user-mode process VM
 * (src/user/).  uproc.h is what the system-call families see; this header
 * is what the loader, the memory manager, the signal code and the run loop
 * tell each other.  Nothing outside src/user/ and src/cli/user.c includes it.
 */
#ifndef POPEK_USER_UPROC_PRIV_H
#define POPEK_USER_UPROC_PRIV_H

#include <setjmp.h>
#include <signal.h>

#include "user/syscall.h"
#include "user/uproc.h"

#define UPROC_PAGE 4096ULL
#define UPROC_PAGE_DOWN(a) ((a) & ~(UPROC_PAGE - 1))
#define UPROC_PAGE_UP(a) (((a) + UPROC_PAGE - 1) & ~(UPROC_PAGE - 1))
/* Host bytes reserved past the window so an access straddling its end
 * still faults inside our reservation. */
#define UPROC_GUARD (1ULL << 20)
/* Where an ET_DYN main program goes (Linux: 2/3 of the address space). */
#define UPROC_ET_DYN_BASE (UPROC_PAGE_DOWN(UPROC_WINDOW / 3 * 2))
/* Lowest address a guest may map (Linux mmap_min_addr). */
#define UPROC_MIN_ADDR 0x10000ULL

#define USIG_MAX 64
#define USIG_BIT(s) (1ULL << ((s) - 1))
#define USIG_UNBLOCKABLE (USIG_BIT(SIGKILL) | USIG_BIT(SIGSTOP))

/* The one guest process this host process emulates. */
extern struct uproc *uproc_current;
/* The guest thread running on this host thread. */
extern __thread struct uthread *uthread_self;

/* ---- window.c: the reserved guest window ---- */
int uproc_window_init(struct uproc *p);

/* ---- vma.c: bookkeeping of guest mappings (caller holds mm_lock) ---- */
int vma_insert(struct uproc *p, uint64_t start, uint64_t end, int prot, bool anon_private);
int vma_remove(struct uproc *p, uint64_t start, uint64_t end);
int vma_protect(struct uproc *p, uint64_t start, uint64_t end, int prot);
const struct uproc_vma *vma_find(const struct uproc *p, uint64_t addr);
bool vma_range_free(const struct uproc *p, uint64_t start, uint64_t end);
bool vma_range_mapped(const struct uproc *p, uint64_t start, uint64_t end);
bool vma_range_exec(const struct uproc *p, uint64_t start, uint64_t end);
/* Highest free gap of len bytes ending at or below `below`; 0 if none. */
uint64_t vma_find_free_topdown(const struct uproc *p, uint64_t len, uint64_t below);

/* ---- mm.c: guest address-space operations (take mm_lock themselves) ---- */
/* Guest mmap semantics; returns the guest address or -errno. */
long mm_map(struct uproc *p, uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off);
long mm_unmap(struct uproc *p, uint64_t addr, uint64_t len);
long mm_protect(struct uproc *p, uint64_t addr, uint64_t len, int prot);
long mm_remap(struct uproc *p, uint64_t old, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr);
long mm_brk(struct uproc *p, uint64_t want);
/* Forget decoded code in [start, start+len) on every thread. */
void mm_flush_code(struct uproc *p, uint64_t start, uint64_t len);

/* ---- elf_load.c ---- */
struct uproc_image {
	uint64_t entry;          /* main program entry (AT_ENTRY) */
	uint64_t phdr, phnum, phent;
	uint64_t bias;           /* main program load bias */
	uint64_t end;            /* end of the main program's highest segment */
	uint64_t interp_base;    /* AT_BASE: interpreter load bias, 0 if none */
	uint64_t start_pc;       /* where the first thread starts */
	char interp[4096];       /* host path of PT_INTERP, "" if none */
};
/* Load PROGRAM (and its interpreter) into the window.  On failure returns
 * -errno and writes a one-line reason (without "popek: ") to err. */
int elf_load_program(struct uproc *p, const char *path, struct uproc_image *img,
		     char *err, size_t errlen);
/* Classify a file for execve: 0 if it is a riscv64 ELF or a #! script
 * whose interpreter is, -ENOEXEC for another format, -errno otherwise. */
int elf_check_exec(const struct uproc *p, const char *path);
/* Absolute names are looked up in the sysroot first, then on the host. */
void elf_resolve(const struct uproc *p, const char *name, char *out, size_t outlen);
/* 1 and the interpreter (+ optional argument) for a #! file, 0 for other
 * files, -errno when it cannot be read. */
int elf_read_shebang(const char *path, char *interp, size_t ilen, char *arg, size_t alen);

/* ---- stack.c ---- */
/* Map the main stack and set stack_top/stack_size/mmap_base. */
int stack_map(struct uproc *p);
/* Map the stack and write argc/argv/envp/auxv; returns 0 or -errno with a
 * reason in err; *sp is the initial stack pointer. */
int stack_build(struct uproc *p, const struct uproc_image *img, int argc, char **argv,
		char **envp, const char *execfn, uint64_t *sp, char *err, size_t errlen);

/* ---- fault.c: host SIGSEGV/SIGBUS ---- */
int fault_install(void);
/* Per host thread: the alternate signal stack the handlers run on. */
int fault_thread_init(struct uthread *t);
void fault_thread_fini(struct uthread *t);
/* Armed by the fault-safe copies in window.c. */
extern __thread sigjmp_buf *fault_copy_jmp;
/* Host signal (SIGSEGV or SIGBUS) behind the last guest fault on this thread. */
extern __thread int fault_last_signo;

/* ---- signal.c, signal_queue.c, signal_frame.c: guest signals ---- */
int usig_init(struct uproc *p);
void usig_thread_start(struct uthread *t);
/* Queue sig (with a 128-byte guest siginfo, or NULL for SI_USER from us)
 * to a thread, or to the process when t is NULL, and wake a taker. */
void usig_queue(struct uproc *p, struct uthread *t, int sig, const void *info);
/* The same for a thread named by tid (tgkill): 0 or -ESRCH. */
long usig_queue_tid(struct uproc *p, pid_t tid, int sig, const void *info);
/* Free what the signal code allocated for a finished thread. */
void usig_thread_free(struct uthread *t);
/* Deliver what is pending and unblocked (run loop, at block boundaries). */
void usig_deliver_pending(struct uthread *t);
bool usig_have_deliverable(struct uthread *t);
/* Dequeue the lowest pending signal in set (sigtimedwait); 0 if none. */
int usig_take_from_set(struct uthread *t, uint64_t set, uint64_t info[16]);
/* Does the next deliverable signal have a handler with SA_RESTART?
 * Returns 1 restart, 0 interrupt (handler without SA_RESTART),
 * -1 no handler will run (restart transparently). */
int usig_restart_policy(struct uthread *t);
/* A synchronous fault: deliver now, or die if blocked/ignored. */
void usig_force(struct uthread *t, int sig, int code, uint64_t addr);
long usig_sigreturn(struct uthread *t);
_Noreturn void usig_die(int sig);
/* Make every thread of the process look at its pending signals. */
void usig_kick_all(struct uproc *p);
void usig_kick(struct uthread *t);
/* Host dispositions/mask that a re-exec'd popek should inherit. */
void usig_prepare_exec(struct uthread *t, sigset_t *saved);
void usig_undo_exec(const sigset_t *saved);
/* rt_sigaction's effect: guest table and the host disposition. */
int usig_set_action(struct uproc *p, int sig, const struct uproc_sigaction *act);
void usig_async_handler(int sig, siginfo_t *si, void *uc);
/* Per host thread: the timer that re-kicks a thread which may have gone
 * to sleep in a host call just after a signal arrived (signal_queue.c). */
void usig_rekick_init(void);
void usig_rekick_fini(void);
/* Move signals caught by host handlers into the guest pending sets. */
void usig_collect_async(struct uproc *p);

/* ---- signal internals shared by the three signal files ---- */
#define USIG_DFL 0                 /* guest sa_handler values */
#define USIG_IGN 1
#define USIG_KICK_SIG 64           /* host signal that interrupts a thread */
#define USIG_SS_AUTODISARM ((int)0x80000000u)
bool usig_would_ignore(const struct uproc *p, int sig);
/* With sig_lock held: add to a thread's (or, t == NULL, the process's)
 * pending set; take one instance for t; drop every instance everywhere
 * (threads_lock held too). */
void usig_pend_locked(struct uproc *p, struct uthread *t, int sig, const void *info);
void usig_take_locked(struct uthread *t, int sig, uint64_t info[16]);
void usig_drop_locked(struct uproc *p, int sig);
/* Build the rt_sigframe and enter the handler; false if the stack is bad. */
bool usig_frame_push(struct uthread *t, int sig, const struct uproc_sigaction *act,
		     const uint64_t info[16], uint64_t saved_mask);

/* ---- run_loop.c / sys_proc.c ---- */
/* Run a guest thread until it exits; returns its exit code. */
int uthread_run(struct uthread *t);
/* Thread leaves: clear_child_tid, bookkeeping; exits the process when it
 * was the last one. */
void uthread_exit(struct uthread *t, int code);
/* Lock order: mm_lock, then threads_lock, then sig_lock.  Another
 * thread's struct uthread may only be touched under threads_lock (finished
 * threads are freed). */
struct uthread *uthread_find_locked(struct uproc *p, pid_t tid);
bool uthread_exists(struct uproc *p, pid_t tid);
struct uthread *uthread_alloc(struct uproc *p);
void uthread_link(struct uproc *p, struct uthread *t);

/* ---- safe_syscall.c ---- */
/* A host system call that may block (futex wait, wait4, read, poll...):
 * returns its result or -errno, and returns -EINTR without making the call
 * when a signal for this thread arrived after the run loop last checked.
 * Use it for every host call that can sleep, so no guest signal waits
 * behind one; the run loop restarts the call according to SA_RESTART. */
long uproc_blocking_syscall(struct uthread *t, long nr, long a1, long a2, long a3, long a4,
			    long a5, long a6);
/* Called by the host signal handlers with their ucontext. */
void safe_syscall_adjust(void *uc);

/* ---- sys_exec.c (registered by sys_proc_register) ---- */
void sys_exec_register(struct sys_entry *tbl);

/* ---- syscall.c ---- */
void syscall_init(void);
const char *syscall_name(unsigned nr);

#endif

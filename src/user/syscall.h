/*
 * System call table for the user-mode process VM.  Numbers are riscv64's
 * (the asm-generic table, <asm-generic/unistd.h>); each family file fills
 * its own entries through a sys_*_register() function so files stay small
 * and independent.  A handler gets the six argument registers and returns
 * the value for a0 (negative errno on failure).
 */
#ifndef POPEK_USER_SYSCALL_H
#define POPEK_USER_SYSCALL_H

#include <stdint.h>

#include "user/uproc.h"

#define SYS_TABLE_SIZE 512

typedef long (*sys_fn)(struct uthread *t, const uint64_t a[6]);

struct sys_entry {
	sys_fn fn;
	const char *name;
};

#define SYS_SET(tbl, nr, func) ((tbl)[(nr)] = (struct sys_entry){ (func), #func })

/* Families owned by the system-call translation work: */
void sys_fs_register(struct sys_entry *tbl);     /* open, read, write, the at-family, dirs,/pipes/dup/fcntl/poll/ioctl */
void sys_stat_register(struct sys_entry *tbl);   /* stat/fstat/newfstatat/statx/statfs layout conversion */
void sys_time_register(struct sys_entry *tbl);   /* clock_*, gettimeofday, nanosleep, times */
void sys_misc_register(struct sys_entry *tbl);   /* uname, getrandom, ids, rlimits, sysinfo, prctl, sockets */
/* Families owned by the process-VM work: */
void sys_mm_register(struct sys_entry *tbl);     /* brk, mmap, munmap, mprotect, mremap, madvise */
void sys_signal_register(struct sys_entry *tbl); /* rt_sig*, sigaltstack, kill, tgkill */
void sys_proc_register(struct sys_entry *tbl);   /* clone, execve, exit, wait4, futex, set_tid_address */

#endif

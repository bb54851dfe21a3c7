/*
 * Helpers shared by the system-call translation files (sys_*.c): host call
 * results, guest paths, iovec arrays, open-flag translation, and the
 * internal registration functions of the files that syscall.h does not name.
 *
 * Conventions every sys_*.c file follows:
 *  - errno: riscv64 uses the asm-generic errno table and x86-64 Linux uses
 *    the very same table (arch/x86 has no errno overrides), so a host -errno
 *    is returned to the guest unchanged.
 *  - Interrupted calls: a host call that fails with EINTR returns -EINTR.
 *    The dispatcher (syscall.c, owned by the process VM) decides, after
 *    delivering the signal, whether SA_RESTART turns it into a restart;
 *    calls that Linux never restarts (ppoll, pselect6, epoll_pwait,
 *    nanosleep's remaining time) behave correctly with plain -EINTR.
 *  - Guest pointers: uproc_ptr() for buffers a host system call touches
 *    (the host kernel reports EFAULT), uproc_read/uproc_write/uproc_strncpy
 *    for copies popek performs itself.  Lengths and counts are bounded
 *    before any arithmetic.
 *  - File descriptors are host descriptors: the guest's fd table is ours.
 */
#ifndef POPEK_USER_SYS_COMMON_H
#define POPEK_USER_SYS_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "user/syscall.h"
#include "user/uproc.h"

/* Most iovec entries we translate in one call (the Linux UIO_MAXIOV). */
#define SYS_IOV_MAX 1024

/* Turn a libc-style result (-1 and errno) into a value for a0. */
static inline long sys_ret(long r)
{
	return r == -1 ? -errno : r;
}

/* Guest file descriptor argument: the low 32 bits, sign-extended (AT_FDCWD
 * arrives as 0xffffffffffffff9c or as 0x00000000ffffff9c). */
static inline int sys_fd(uint64_t v)
{
	return (int)(int32_t)v;
}

/* Guest pointer for a host call to fill or read; NULL means -EFAULT, but a
 * zero guest address with a zero length is allowed (read(fd, NULL, 0)). */
static inline void *sys_buf(struct uthread *t, uint64_t addr, uint64_t len)
{
	return uproc_ptr(t->proc, addr, len);
}

/* Optional guest pointer (NULL allowed): guest 0 becomes host NULL, which a
 * host call treats as "absent".  Returns 0 or -EFAULT. */
static inline int sys_opt(struct uthread *t, uint64_t addr, uint64_t len, void **out)
{
	*out = addr ? uproc_ptr(t->proc, addr, len) : NULL;
	return (addr && !*out) ? -EFAULT : 0;
}

/* Copy a guest path into buf (PATH_MAX bytes).  Returns 0 or -errno. */
int sys_path_copy(struct uthread *t, uint64_t gpath, char *buf);

/* Copy a guest path and rewrite it for the host: /proc/self/exe (and
 * /proc/<pid>/exe, /proc/thread-self/exe) becomes the guest program's path;
 * with a sysroot, an absolute path that exists under the sysroot is looked
 * up there first (how the dynamic loader finds riscv64 libraries).  Use for
 * lookups (open, stat, access, readlink), not for calls that create or
 * remove names.  Returns 0 or -errno. */
int sys_path_lookup(struct uthread *t, uint64_t gpath, char *buf);

/* True when path names the running program through /proc. */
int sys_path_is_self_exe(const char *path);

/* Generated /proc files (sys_procfs.c): for a path it emulates, returns a
 * new fd or -errno; for any other path SYS_PROCFS_NOT_OURS. */
#define SYS_PROCFS_NOT_OURS 1
long sys_procfs_open(struct uthread *t, const char *path, int hflags);

/* Copy a guest iovec array of cnt entries into iov (SYS_IOV_MAX entries),
 * translating each base to a host pointer.  Returns cnt or -errno. */
long sys_iov_get(struct uthread *t, uint64_t giov, uint64_t cnt, struct iovec *iov);

/* Open/status flags: asm-generic O_* values to the host's and back.  Bits
 * with no meaning are dropped (Linux ignores unknown open flags). */
int sys_oflags_to_host(uint64_t gflags);
uint64_t sys_oflags_to_guest(int hflags);
/* True when every bit is an open flag we know (openat2 is strict). */
bool sys_oflags_known(uint64_t gflags);

/* Convert a host struct stat to the riscv64 layout (sys_stat.c).
 * Returns 0 or -EOVERFLOW. */
struct stat;
struct rv_stat;
int sys_stat_to_guest(const struct stat *h, struct rv_stat *g);

/* Families registered by sys_fs_register / sys_misc_register. */
void sys_fd_register(struct sys_entry *tbl);      /* pipe, dup, fcntl, ioctl, eventfd, memfd */
void sys_poll_register(struct sys_entry *tbl);    /* ppoll, pselect6, epoll */
void sys_ioctl_register(struct sys_entry *tbl);    /* terminal and fd ioctls */
void sys_dir_register(struct sys_entry *tbl);     /* the *at name calls, cwd, chmod/chown */
void sys_socket_register(struct sys_entry *tbl);  /* sockets */
void sys_ids_register(struct sys_entry *tbl);     /* pids, uids, gids, sessions */
void sys_prctl_register(struct sys_entry *tbl);   /* prctl */
void sys_xattr_register(struct sys_entry *tbl);
void sys_hwprobe_register(struct sys_entry *tbl); /* riscv_hwprobe */   /* extended attributes */

#endif

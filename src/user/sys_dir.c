/*
 * Calls that act on names rather than open files: the *at family that
 * creates, removes, links, renames and inspects directory entries, mode and
 * owner changes, and the working directory.  AT_* flag values are the
 * generic ones on both ABIs, so flags pass through.
 *
 * Lookups (readlink, access) see the /proc/self/exe and sysroot rewrites of
 * sys_path_lookup(); calls that change names use the guest's path verbatim,
 * so a guest never writes into the sysroot by accident.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/sys_numbers.h"

static long do_mkdirat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(mkdirat(sys_fd(a[0]), path, (mode_t)a[2]));
}

static long do_mknodat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(syscall(SYS_mknodat, sys_fd(a[0]), path, (mode_t)a[2], (unsigned)a[3]));
}

static long do_unlinkat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(unlinkat(sys_fd(a[0]), path, (int)a[2]));
}

static long do_renameat2(struct uthread *t, const uint64_t a[6])
{
	char from[PATH_MAX], to[PATH_MAX];
	int r = sys_path_copy(t, a[1], from);

	if (!r)
		r = sys_path_copy(t, a[3], to);
	if (r)
		return r;
	return sys_ret(syscall(SYS_renameat2, sys_fd(a[0]), from, sys_fd(a[2]), to, (unsigned)a[4]));
}

static long do_linkat(struct uthread *t, const uint64_t a[6])
{
	char from[PATH_MAX], to[PATH_MAX];
	int r = sys_path_copy(t, a[1], from);

	if (!r)
		r = sys_path_copy(t, a[3], to);
	if (r)
		return r;
	return sys_ret(linkat(sys_fd(a[0]), from, sys_fd(a[2]), to, (int)a[4]));
}

static long do_symlinkat(struct uthread *t, const uint64_t a[6])
{
	char target[PATH_MAX], path[PATH_MAX];
	int r = sys_path_copy(t, a[0], target);

	if (!r)
		r = sys_path_copy(t, a[2], path);
	if (r)
		return r;
	return sys_ret(symlinkat(target, sys_fd(a[1]), path));
}

/* readlink of /proc/self/exe answers with the guest program, not popek. */
static long do_readlinkat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int bufsiz = (int)a[3];
	void *buf;
	int r;

	if (bufsiz <= 0)
		return -EINVAL;
	buf = sys_buf(t, a[2], (uint64_t)bufsiz);
	if (!buf)
		return -EFAULT;
	r = sys_path_copy(t, a[1], path);
	if (r)
		return r;
	if (path[0] == '/' && sys_path_is_self_exe(path)) {
		char real[PATH_MAX];
		const char *exe = t->proc->exe_path;
		size_t n;

		/* The kernel's answer is absolute even if we were started with
		 * a relative program path. */
		if (realpath(exe, real))
			exe = real;
		n = strnlen(exe, PATH_MAX);
		if (n > (size_t)bufsiz)
			n = (size_t)bufsiz;
		return uproc_write(t->proc, a[2], exe, n) ? -EFAULT : (long)n;
	}
	r = sys_path_lookup(t, a[1], path);
	if (r)
		return r;
	return sys_ret(readlinkat(sys_fd(a[0]), path, buf, (size_t)bufsiz));
}

static long do_faccessat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_lookup(t, a[1], path);

	return r ? r : sys_ret(syscall(SYS_faccessat, sys_fd(a[0]), path, (int)a[2]));
}

static long do_faccessat2(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_lookup(t, a[1], path);

	return r ? r : sys_ret(syscall(SYS_faccessat2, sys_fd(a[0]), path, (int)a[2], (int)a[3]));
}

static long do_fchmodat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(syscall(SYS_fchmodat, sys_fd(a[0]), path, (mode_t)a[2]));
}

/* fchmodat2 (Linux 6.6) adds the flags fchmodat never had; the number is
 * the same on every architecture, and an older host kernel's ENOSYS makes
 * the guest libc fall back exactly as it would on an older riscv64 kernel. */
#define HOST_NR_fchmodat2 452

static long do_fchmodat2(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(syscall(HOST_NR_fchmodat2, sys_fd(a[0]), path, (mode_t)a[2], (int)a[3]));
}

static long do_fchmod(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(fchmod(sys_fd(a[0]), (mode_t)a[1]));
}

static long do_fchownat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(fchownat(sys_fd(a[0]), path, (uid_t)a[2], (gid_t)a[3], (int)a[4]));
}

static long do_fchown(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(fchown(sys_fd(a[0]), (uid_t)a[1], (gid_t)a[2]));
}

/* utimensat(dirfd, path or NULL, times[2] or NULL, flags) */
static long do_utimensat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	void *times;
	int r;

	if (sys_opt(t, a[2], 2 * 16, &times))
		return -EFAULT;
	if (!a[1])
		return sys_ret(syscall(SYS_utimensat, sys_fd(a[0]), NULL, times, (int)a[3]));
	r = sys_path_copy(t, a[1], path);
	if (r)
		return r;
	return sys_ret(syscall(SYS_utimensat, sys_fd(a[0]), path, times, (int)a[3]));
}

/* The raw getcwd returns the length including the NUL, as the guest's libc
 * expects from its own kernel. */
static long do_getcwd(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[0], a[1]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_getcwd, buf, (size_t)a[1]));
}

static long do_chdir(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[0], path);

	return r ? r : sys_ret(chdir(path));
}

static long do_fchdir(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(fchdir(sys_fd(a[0])));
}

/* Changes popek's own root too, which is what the guest asked for; only
 * a privileged host process gets past the host's EPERM. */
static long do_chroot(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[0], path);

	return r ? r : sys_ret(chroot(path));
}

static long do_umask(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return (long)umask((mode_t)(a[0] & 0777));
}

void sys_dir_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_mkdirat, do_mkdirat);
	SYS_SET(tbl, RVSYS_mknodat, do_mknodat);
	SYS_SET(tbl, RVSYS_unlinkat, do_unlinkat);
	SYS_SET(tbl, RVSYS_renameat2, do_renameat2);
	SYS_SET(tbl, RVSYS_linkat, do_linkat);
	SYS_SET(tbl, RVSYS_symlinkat, do_symlinkat);
	SYS_SET(tbl, RVSYS_readlinkat, do_readlinkat);
	SYS_SET(tbl, RVSYS_faccessat, do_faccessat);
	SYS_SET(tbl, RVSYS_faccessat2, do_faccessat2);
	SYS_SET(tbl, RVSYS_fchmodat, do_fchmodat);
	SYS_SET(tbl, RVSYS_fchmodat2, do_fchmodat2);
	SYS_SET(tbl, RVSYS_fchmod, do_fchmod);
	SYS_SET(tbl, RVSYS_fchownat, do_fchownat);
	SYS_SET(tbl, RVSYS_fchown, do_fchown);
	SYS_SET(tbl, RVSYS_utimensat, do_utimensat);
	SYS_SET(tbl, RVSYS_getcwd, do_getcwd);
	SYS_SET(tbl, RVSYS_chdir, do_chdir);
	SYS_SET(tbl, RVSYS_fchdir, do_fchdir);
	SYS_SET(tbl, RVSYS_chroot, do_chroot);
	SYS_SET(tbl, RVSYS_umask, do_umask);
}

/*
 * Extended attributes: {,l,f}{set,get,list,remove}xattr.  Names and values
 * are byte strings with the same meaning on both ABIs; only the guest
 * pointers need checking.  Tools such as ls and cp query these, so answering
 * (instead of ENOSYS) keeps their output the same as on a real riscv64 host.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/sys_numbers.h"

#define XATTR_NAME_BUF 256        /* XATTR_NAME_MAX + 1 */
#define XATTR_SIZE_MAX 65536

/* The object an xattr call acts on: a path (followed or not) or an fd. */
enum xtarget { X_PATH, X_LPATH, X_FD };

struct xcall {
	enum xtarget target;
	long host_nr;
};

/* Resolve argument 0 into a path buffer, or leave it as an fd. */
static int xattr_target(struct uthread *t, enum xtarget tg, uint64_t arg, char *path, bool lookup)
{
	if (tg == X_FD)
		return 0;
	return lookup ? sys_path_lookup(t, arg, path) : sys_path_copy(t, arg, path);
}

static int xattr_name(struct uthread *t, uint64_t gname, char *name)
{
	long n = uproc_strncpy(t->proc, name, gname, XATTR_NAME_BUF);

	if (n == -ENAMETOOLONG)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

/* set(target, name, value, size, flags) */
static long xset(struct uthread *t, const uint64_t a[6], enum xtarget tg, long nr)
{
	char path[PATH_MAX], name[XATTR_NAME_BUF];
	void *val;
	int r;

	if (a[3] > XATTR_SIZE_MAX)
		return -E2BIG;
	r = xattr_target(t, tg, a[0], path, false);
	if (!r)
		r = xattr_name(t, a[1], name);
	if (r)
		return r;
	if (sys_opt(t, a[2], a[3], &val))
		return -EFAULT;
	if (tg == X_FD)
		return sys_ret(syscall(nr, sys_fd(a[0]), name, val, (size_t)a[3], (int)a[4]));
	return sys_ret(syscall(nr, path, name, val, (size_t)a[3], (int)a[4]));
}

/* get(target, name, value, size) */
static long xget(struct uthread *t, const uint64_t a[6], enum xtarget tg, long nr)
{
	char path[PATH_MAX], name[XATTR_NAME_BUF];
	void *val;
	int r = xattr_target(t, tg, a[0], path, true);

	if (!r)
		r = xattr_name(t, a[1], name);
	if (r)
		return r;
	if (sys_opt(t, a[2], a[3], &val))
		return -EFAULT;
	if (tg == X_FD)
		return sys_ret(syscall(nr, sys_fd(a[0]), name, val, (size_t)a[3]));
	return sys_ret(syscall(nr, path, name, val, (size_t)a[3]));
}

/* list(target, list, size) */
static long xlist(struct uthread *t, const uint64_t a[6], enum xtarget tg, long nr)
{
	char path[PATH_MAX];
	void *list;
	int r = xattr_target(t, tg, a[0], path, true);

	if (r)
		return r;
	if (sys_opt(t, a[1], a[2], &list))
		return -EFAULT;
	if (tg == X_FD)
		return sys_ret(syscall(nr, sys_fd(a[0]), list, (size_t)a[2]));
	return sys_ret(syscall(nr, path, list, (size_t)a[2]));
}

/* remove(target, name) */
static long xremove(struct uthread *t, const uint64_t a[6], enum xtarget tg, long nr)
{
	char path[PATH_MAX], name[XATTR_NAME_BUF];
	int r = xattr_target(t, tg, a[0], path, false);

	if (!r)
		r = xattr_name(t, a[1], name);
	if (r)
		return r;
	if (tg == X_FD)
		return sys_ret(syscall(nr, sys_fd(a[0]), name));
	return sys_ret(syscall(nr, path, name));
}

#define XATTR_FN(op, guest, tg, host) \
	static long do_##guest(struct uthread *t, const uint64_t a[6]) { return op(t, a, tg, host); }

XATTR_FN(xset, setxattr, X_PATH, SYS_setxattr)
XATTR_FN(xset, lsetxattr, X_LPATH, SYS_lsetxattr)
XATTR_FN(xset, fsetxattr, X_FD, SYS_fsetxattr)
XATTR_FN(xget, getxattr, X_PATH, SYS_getxattr)
XATTR_FN(xget, lgetxattr, X_LPATH, SYS_lgetxattr)
XATTR_FN(xget, fgetxattr, X_FD, SYS_fgetxattr)
XATTR_FN(xlist, listxattr, X_PATH, SYS_listxattr)
XATTR_FN(xlist, llistxattr, X_LPATH, SYS_llistxattr)
XATTR_FN(xlist, flistxattr, X_FD, SYS_flistxattr)
XATTR_FN(xremove, removexattr, X_PATH, SYS_removexattr)
XATTR_FN(xremove, lremovexattr, X_LPATH, SYS_lremovexattr)
XATTR_FN(xremove, fremovexattr, X_FD, SYS_fremovexattr)

void sys_xattr_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_setxattr, do_setxattr);
	SYS_SET(tbl, RVSYS_lsetxattr, do_lsetxattr);
	SYS_SET(tbl, RVSYS_fsetxattr, do_fsetxattr);
	SYS_SET(tbl, RVSYS_getxattr, do_getxattr);
	SYS_SET(tbl, RVSYS_lgetxattr, do_lgetxattr);
	SYS_SET(tbl, RVSYS_fgetxattr, do_fgetxattr);
	SYS_SET(tbl, RVSYS_listxattr, do_listxattr);
	SYS_SET(tbl, RVSYS_llistxattr, do_llistxattr);
	SYS_SET(tbl, RVSYS_flistxattr, do_flistxattr);
	SYS_SET(tbl, RVSYS_removexattr, do_removexattr);
	SYS_SET(tbl, RVSYS_lremovexattr, do_lremovexattr);
	SYS_SET(tbl, RVSYS_fremovexattr, do_fremovexattr);
}

/*
 * The stat family.  riscv64's struct stat is the asm-generic one (128 bytes,
 * 32-bit st_mode/st_nlink/st_blksize), x86-64's is its own (144 bytes,
 * 64-bit st_nlink and st_blksize, different order), so newfstatat and fstat
 * stat on the host and convert field by field.  statx and statfs have the
 * same layout on both ABIs and go straight through.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"

_Static_assert(sizeof(struct rv_stat) == 128, "asm-generic struct stat is 128 bytes");
_Static_assert(sizeof(struct rv_statfs) == 120, "struct statfs is 120 bytes");

int sys_stat_to_guest(const struct stat *h, struct rv_stat *g)
{
	memset(g, 0, sizeof(*g));
	g->st_dev = h->st_dev;
	g->st_ino = h->st_ino;
	g->st_mode = h->st_mode;
	g->st_nlink = (uint32_t)h->st_nlink;
	g->st_uid = h->st_uid;
	g->st_gid = h->st_gid;
	g->st_rdev = h->st_rdev;
	g->st_size = h->st_size;
	g->st_blksize = (int32_t)h->st_blksize;
	g->st_blocks = h->st_blocks;
	g->st_atime_sec = h->st_atim.tv_sec;
	g->st_atime_nsec = (uint64_t)h->st_atim.tv_nsec;
	g->st_mtime_sec = h->st_mtim.tv_sec;
	g->st_mtime_nsec = (uint64_t)h->st_mtim.tv_nsec;
	g->st_ctime_sec = h->st_ctim.tv_sec;
	g->st_ctime_nsec = (uint64_t)h->st_ctim.tv_nsec;
	/* The kernel's cp_new_stat refuses to truncate the link count. */
	if (g->st_nlink != h->st_nlink)
		return -EOVERFLOW;
	return 0;
}

static long stat_out(struct uthread *t, uint64_t gbuf, const struct stat *h)
{
	struct rv_stat g;
	int r = sys_stat_to_guest(h, &g);

	if (r)
		return r;
	return uproc_write(t->proc, gbuf, &g, sizeof(g)) ? -EFAULT : 0;
}

/* newfstatat(dirfd, path, statbuf, flags); Linux 6.11+ accepts a NULL path
 * with AT_EMPTY_PATH, so we do too. */
static long do_newfstatat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	struct stat h;
	int flags = (int)a[3];

	if (a[1] == 0 && (flags & AT_EMPTY_PATH))
		path[0] = '\0';
	else {
		int r = sys_path_lookup(t, a[1], path);

		if (r)
			return r;
	}
	if (syscall(SYS_newfstatat, sys_fd(a[0]), path, &h, flags) < 0)
		return -errno;
	return stat_out(t, a[2], &h);
}

static long do_fstat(struct uthread *t, const uint64_t a[6])
{
	struct stat h;

	if (syscall(SYS_fstat, sys_fd(a[0]), &h) < 0)
		return -errno;
	return stat_out(t, a[1], &h);
}

/* statx(dirfd, path, flags, mask, buf): same struct statx on both. */
static long do_statx(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	const char *pp = path;
	int flags = (int)a[2];
	void *buf = sys_buf(t, a[4], RV_SIZEOF_STATX);

	if (!buf)
		return -EFAULT;
	if (a[1] == 0 && (flags & AT_EMPTY_PATH))
		pp = NULL;
	else {
		int r = sys_path_lookup(t, a[1], path);

		if (r)
			return r;
	}
	return sys_ret(syscall(SYS_statx, sys_fd(a[0]), pp, flags, (unsigned)a[3], buf));
}

static long do_statfs(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	void *buf = sys_buf(t, a[1], sizeof(struct rv_statfs));
	int r;

	if (!buf)
		return -EFAULT;
	r = sys_path_lookup(t, a[0], path);
	return r ? r : sys_ret(syscall(SYS_statfs, path, buf));
}

static long do_fstatfs(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], sizeof(struct rv_statfs));

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_fstatfs, sys_fd(a[0]), buf));
}

void sys_stat_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_newfstatat, do_newfstatat);
	SYS_SET(tbl, RVSYS_fstat, do_fstat);
	SYS_SET(tbl, RVSYS_statx, do_statx);
	SYS_SET(tbl, RVSYS_statfs, do_statfs);
	SYS_SET(tbl, RVSYS_fstatfs, do_fstatfs);
}

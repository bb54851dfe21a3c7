/*
 * File I/O system calls: opening, reading and writing, seeking, directory
 * listing, syncing, and the in-kernel copy calls (sendfile, splice,
 * copy_file_range).  Buffers go straight to the host kernel through
 * uproc_ptr(); only open flags and iovec arrays need translating.
 *
 * sys_fs_register also registers the sibling families split out of this
 * file (descriptors, polling, directory-name calls).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/sys_numbers.h"

/* A few /proc files are generated for the guest (sys_procfs.c). */
static long open_generated(struct uthread *t, const char *path, int hflags)
{
	if (strncmp(path, "/proc/", 6))
		return SYS_PROCFS_NOT_OURS;
	return sys_procfs_open(t, path, hflags);
}

static long do_openat(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int hflags = sys_oflags_to_host(a[2]);
	int r = sys_path_lookup(t, a[1], path);
	long fd;

	if (r)
		return r;
	fd = open_generated(t, path, hflags);
	if (fd != SYS_PROCFS_NOT_OURS)
		return fd;
	return sys_ret(syscall(SYS_openat, sys_fd(a[0]), path, hflags, (mode_t)a[3]));
}

/* struct open_how { u64 flags, mode, resolve; } (extensible: a larger size
 * is accepted when the extra bytes are zero, as Linux does). */
static long do_openat2(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	uint64_t how[3];
	uint8_t extra;
	long fd;
	int r;

	if (a[3] < sizeof(how))
		return -EINVAL;
	if (a[3] > 4096)
		return -E2BIG;
	if (uproc_read(t->proc, how, a[2], sizeof(how)))
		return -EFAULT;
	for (uint64_t i = sizeof(how); i < a[3]; i++) {
		if (uproc_read(t->proc, &extra, a[2] + i, 1))
			return -EFAULT;
		if (extra)
			return -E2BIG;
	}
	/* Unlike openat, openat2 rejects flags it does not know. */
	if (!sys_oflags_known(how[0]))
		return -EINVAL;
	r = sys_path_lookup(t, a[1], path);
	if (r)
		return r;
	how[0] = (uint64_t)(unsigned)sys_oflags_to_host(how[0]);
	if ((fd = open_generated(t, path, (int)how[0])) != SYS_PROCFS_NOT_OURS)
		return fd;
	return sys_ret(syscall(SYS_openat2, sys_fd(a[0]), path, how, sizeof(how)));
}

static long do_close(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(close(sys_fd(a[0])));
}

static long do_read(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_read, sys_fd(a[0]), buf, a[2]));
}

static long do_write(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_write, sys_fd(a[0]), buf, a[2]));
}

static long do_pread64(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_pread64, sys_fd(a[0]), buf, a[2], (off_t)a[3]));
}

static long do_pwrite64(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_pwrite64, sys_fd(a[0]), buf, a[2], (off_t)a[3]));
}

/* The vectored calls share one shape: fd, iov, count, then up to three
 * scalars (pos_l, pos_h, flags) that pass through unchanged.  On 64-bit
 * kernels pos_l carries the whole offset and pos_h is ignored. */
static long vectored(struct uthread *t, const uint64_t a[6], long host_nr)
{
	struct iovec iov[SYS_IOV_MAX];
	long n = sys_iov_get(t, a[1], a[2], iov);

	if (n < 0)
		return n;
	return sys_ret(syscall(host_nr, sys_fd(a[0]), iov, n, a[3], a[4], a[5]));
}

static long do_readv(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_readv); }
static long do_writev(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_writev); }
static long do_preadv(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_preadv); }
static long do_pwritev(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_pwritev); }
static long do_preadv2(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_preadv2); }
static long do_pwritev2(struct uthread *t, const uint64_t a[6]) { return vectored(t, a, SYS_pwritev2); }

static long do_lseek(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_lseek, sys_fd(a[0]), (off_t)a[1], (int)a[2]));
}

/* struct linux_dirent64 has the same layout on both ABIs. */
static long do_getdents64(struct uthread *t, const uint64_t a[6])
{
	unsigned int count = (unsigned int)a[2];
	void *buf = sys_buf(t, a[1], count);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_getdents64, sys_fd(a[0]), buf, count));
}

static long do_sync(struct uthread *t, const uint64_t a[6])
{
	(void)t; (void)a;
	sync();
	return 0;
}

static long do_fsync(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(fsync(sys_fd(a[0])));
}

static long do_fdatasync(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(fdatasync(sys_fd(a[0])));
}

static long do_syncfs(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_syncfs, sys_fd(a[0])));
}

static long do_sync_file_range(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_sync_file_range, sys_fd(a[0]), (off_t)a[1],
			       (off_t)a[2], (unsigned)a[3]));
}

static long do_ftruncate(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_ftruncate, sys_fd(a[0]), (off_t)a[1]));
}

static long do_truncate(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[0], path);

	if (r)
		return r;
	return sys_ret(syscall(SYS_truncate, path, (off_t)a[1]));
}

static long do_fallocate(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_fallocate, sys_fd(a[0]), (int)a[1], (off_t)a[2], (off_t)a[3]));
}

/* POSIX_FADV_* values are the same on both (no s390-style renumbering). */
static long do_fadvise64(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_fadvise64, sys_fd(a[0]), (off_t)a[1], (off_t)a[2], (int)a[3]));
}

static long do_readahead(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_readahead, sys_fd(a[0]), (off_t)a[1], (size_t)a[2]));
}

static long do_sendfile(struct uthread *t, const uint64_t a[6])
{
	void *off;

	if (sys_opt(t, a[2], sizeof(int64_t), &off))
		return -EFAULT;
	return sys_ret(syscall(SYS_sendfile, sys_fd(a[0]), sys_fd(a[1]), off, (size_t)a[3]));
}

static long do_copy_file_range(struct uthread *t, const uint64_t a[6])
{
	void *off_in, *off_out;

	if (sys_opt(t, a[1], sizeof(int64_t), &off_in) ||
	    sys_opt(t, a[3], sizeof(int64_t), &off_out))
		return -EFAULT;
	return sys_ret(syscall(SYS_copy_file_range, sys_fd(a[0]), off_in, sys_fd(a[2]),
			       off_out, (size_t)a[4], (unsigned)a[5]));
}

static long do_splice(struct uthread *t, const uint64_t a[6])
{
	void *off_in, *off_out;

	if (sys_opt(t, a[1], sizeof(int64_t), &off_in) ||
	    sys_opt(t, a[3], sizeof(int64_t), &off_out))
		return -EFAULT;
	return sys_ret(syscall(SYS_splice, sys_fd(a[0]), off_in, sys_fd(a[2]),
			       off_out, (size_t)a[4], (unsigned)a[5]));
}

static long do_tee(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_tee, sys_fd(a[0]), sys_fd(a[1]), (size_t)a[2], (unsigned)a[3]));
}

static long do_vmsplice(struct uthread *t, const uint64_t a[6])
{
	struct iovec iov[SYS_IOV_MAX];
	long n = sys_iov_get(t, a[1], a[2], iov);

	if (n < 0)
		return n;
	return sys_ret(syscall(SYS_vmsplice, sys_fd(a[0]), iov, n, (unsigned)a[3]));
}

void sys_fs_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_openat, do_openat);
	SYS_SET(tbl, RVSYS_openat2, do_openat2);
	SYS_SET(tbl, RVSYS_close, do_close);
	SYS_SET(tbl, RVSYS_read, do_read);
	SYS_SET(tbl, RVSYS_write, do_write);
	SYS_SET(tbl, RVSYS_pread64, do_pread64);
	SYS_SET(tbl, RVSYS_pwrite64, do_pwrite64);
	SYS_SET(tbl, RVSYS_readv, do_readv);
	SYS_SET(tbl, RVSYS_writev, do_writev);
	SYS_SET(tbl, RVSYS_preadv, do_preadv);
	SYS_SET(tbl, RVSYS_pwritev, do_pwritev);
	SYS_SET(tbl, RVSYS_preadv2, do_preadv2);
	SYS_SET(tbl, RVSYS_pwritev2, do_pwritev2);
	SYS_SET(tbl, RVSYS_lseek, do_lseek);
	SYS_SET(tbl, RVSYS_getdents64, do_getdents64);
	SYS_SET(tbl, RVSYS_sync, do_sync);
	SYS_SET(tbl, RVSYS_fsync, do_fsync);
	SYS_SET(tbl, RVSYS_fdatasync, do_fdatasync);
	SYS_SET(tbl, RVSYS_syncfs, do_syncfs);
	SYS_SET(tbl, RVSYS_sync_file_range, do_sync_file_range);
	SYS_SET(tbl, RVSYS_truncate, do_truncate);
	SYS_SET(tbl, RVSYS_ftruncate, do_ftruncate);
	SYS_SET(tbl, RVSYS_fallocate, do_fallocate);
	SYS_SET(tbl, RVSYS_fadvise64, do_fadvise64);
	SYS_SET(tbl, RVSYS_readahead, do_readahead);
	SYS_SET(tbl, RVSYS_sendfile, do_sendfile);
	SYS_SET(tbl, RVSYS_copy_file_range, do_copy_file_range);
	SYS_SET(tbl, RVSYS_splice, do_splice);
	SYS_SET(tbl, RVSYS_tee, do_tee);
	SYS_SET(tbl, RVSYS_vmsplice, do_vmsplice);
	sys_fd_register(tbl);
	sys_poll_register(tbl);
	sys_dir_register(tbl);
	sys_xattr_register(tbl);
}

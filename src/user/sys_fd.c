/*
 * Descriptor plumbing: pipes, dup, fcntl, flock, close_range, eventfd,
 * memfd, timerfd, inotify.  fcntl's F_GETFL/F_SETFL carry open flags and go
 * through the O_* translation; every other command's argument is either an
 * integer or a structure with the same layout on both 64-bit ABIs (struct
 * flock is 32 bytes on both, struct f_owner_ex 8).
 *
 * The terminal and socket ioctls live in sys_ioctl.c.
 */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"

/* fcntl commands of <asm-generic/fcntl.h> (x86-64 shares the header). */
enum {
	RV_F_DUPFD = 0, RV_F_GETFD = 1, RV_F_SETFD = 2, RV_F_GETFL = 3,
	RV_F_SETFL = 4, RV_F_GETLK = 5, RV_F_SETLK = 6, RV_F_SETLKW = 7,
	RV_F_SETOWN = 8, RV_F_GETOWN = 9, RV_F_SETSIG = 10, RV_F_GETSIG = 11,
	RV_F_SETOWN_EX = 15, RV_F_GETOWN_EX = 16,
	RV_F_OFD_GETLK = 36, RV_F_OFD_SETLK = 37, RV_F_OFD_SETLKW = 38,
	RV_F_SETLEASE = 1024, RV_F_GETLEASE = 1025, RV_F_NOTIFY = 1026,
	RV_F_DUPFD_CLOEXEC = 1030, RV_F_SETPIPE_SZ = 1031, RV_F_GETPIPE_SZ = 1032,
	RV_F_ADD_SEALS = 1033, RV_F_GET_SEALS = 1034,
};

static long do_pipe2(struct uthread *t, const uint64_t a[6])
{
	int fds[2];

	if (syscall(SYS_pipe2, fds, sys_oflags_to_host(a[1])) < 0)
		return -errno;
	if (uproc_write(t->proc, a[0], fds, sizeof(fds))) {
		close(fds[0]);
		close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

static long do_dup(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(dup(sys_fd(a[0])));
}

static long do_dup3(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_dup3, sys_fd(a[0]), sys_fd(a[1]), sys_oflags_to_host(a[2])));
}

static long fcntl_struct(struct uthread *t, int fd, int cmd, uint64_t arg, uint64_t size)
{
	void *p = sys_buf(t, arg, size);

	if (!p)
		return -EFAULT;
	return sys_ret(syscall(SYS_fcntl, fd, cmd, p));
}

static long do_fcntl(struct uthread *t, const uint64_t a[6])
{
	int fd = sys_fd(a[0]), cmd = (int)a[1];
	long r;

	switch (cmd) {
	case RV_F_GETFL:
		r = syscall(SYS_fcntl, fd, F_GETFL);
		return r < 0 ? -errno : (long)sys_oflags_to_guest((int)r);
	case RV_F_SETFL:
		return sys_ret(syscall(SYS_fcntl, fd, F_SETFL, sys_oflags_to_host(a[2])));
	case RV_F_GETLK: case RV_F_SETLK: case RV_F_SETLKW:
	case RV_F_OFD_GETLK: case RV_F_OFD_SETLK: case RV_F_OFD_SETLKW:
		return fcntl_struct(t, fd, cmd, a[2], RV_SIZEOF_FLOCK);
	case RV_F_GETOWN_EX: case RV_F_SETOWN_EX:
		return fcntl_struct(t, fd, cmd, a[2], 8);
	case RV_F_DUPFD: case RV_F_DUPFD_CLOEXEC: case RV_F_GETFD: case RV_F_SETFD:
	case RV_F_SETOWN: case RV_F_GETOWN: case RV_F_SETSIG: case RV_F_GETSIG:
	case RV_F_SETLEASE: case RV_F_GETLEASE: case RV_F_NOTIFY:
	case RV_F_SETPIPE_SZ: case RV_F_GETPIPE_SZ:
	case RV_F_ADD_SEALS: case RV_F_GET_SEALS:
		return sys_ret(syscall(SYS_fcntl, fd, cmd, (unsigned long)a[2]));
	default:
		return -EINVAL;
	}
}

static long do_flock(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(flock(sys_fd(a[0]), (int)a[1]));
}

static long do_close_range(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_close_range, (unsigned)a[0], (unsigned)a[1], (unsigned)a[2]));
}

/* The EFD_, TFD_, IN_ and EPOLL_ creation flags are O_CLOEXEC/O_NONBLOCK
 * and go through the O_* translation; EFD_SEMAPHORE is bit 0, which the
 * translation keeps with the access-mode bits.  MFD_* flags are their own
 * (architecture-independent) bits and pass unchanged. */
static long do_eventfd2(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_eventfd2, (unsigned)a[0], sys_oflags_to_host(a[1])));
}

static long do_memfd_create(struct uthread *t, const uint64_t a[6])
{
	char name[256];
	long n = uproc_strncpy(t->proc, name, a[0], sizeof(name));

	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	return sys_ret(syscall(SYS_memfd_create, name, (unsigned)a[1]));
}

static long do_timerfd_create(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_timerfd_create, (int)a[0], sys_oflags_to_host(a[1])));
}

static long do_timerfd_settime(struct uthread *t, const uint64_t a[6])
{
	void *nv = sys_buf(t, a[2], RV_SIZEOF_ITIMERSPEC), *ov;

	if (!nv || sys_opt(t, a[3], RV_SIZEOF_ITIMERSPEC, &ov))
		return -EFAULT;
	return sys_ret(syscall(SYS_timerfd_settime, sys_fd(a[0]), (int)a[1], nv, ov));
}

static long do_timerfd_gettime(struct uthread *t, const uint64_t a[6])
{
	void *cur = sys_buf(t, a[1], RV_SIZEOF_ITIMERSPEC);

	if (!cur)
		return -EFAULT;
	return sys_ret(syscall(SYS_timerfd_gettime, sys_fd(a[0]), cur));
}

static long do_inotify_init1(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_inotify_init1, sys_oflags_to_host(a[0])));
}

static long do_inotify_add_watch(struct uthread *t, const uint64_t a[6])
{
	char path[PATH_MAX];
	int r = sys_path_copy(t, a[1], path);

	return r ? r : sys_ret(syscall(SYS_inotify_add_watch, sys_fd(a[0]), path, (uint32_t)a[2]));
}

static long do_inotify_rm_watch(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_inotify_rm_watch, sys_fd(a[0]), (int)a[1]));
}

void sys_fd_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_pipe2, do_pipe2);
	SYS_SET(tbl, RVSYS_dup, do_dup);
	SYS_SET(tbl, RVSYS_dup3, do_dup3);
	SYS_SET(tbl, RVSYS_fcntl, do_fcntl);
	SYS_SET(tbl, RVSYS_flock, do_flock);
	SYS_SET(tbl, RVSYS_close_range, do_close_range);
	SYS_SET(tbl, RVSYS_eventfd2, do_eventfd2);
	SYS_SET(tbl, RVSYS_memfd_create, do_memfd_create);
	SYS_SET(tbl, RVSYS_timerfd_create, do_timerfd_create);
	SYS_SET(tbl, RVSYS_timerfd_settime, do_timerfd_settime);
	SYS_SET(tbl, RVSYS_timerfd_gettime, do_timerfd_gettime);
	SYS_SET(tbl, RVSYS_inotify_init1, do_inotify_init1);
	SYS_SET(tbl, RVSYS_inotify_add_watch, do_inotify_add_watch);
	SYS_SET(tbl, RVSYS_inotify_rm_watch, do_inotify_rm_watch);
	sys_ioctl_register(tbl);
}

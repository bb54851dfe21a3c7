/*
 * Compiled (not run) by riscv64-linux-gnu-gcc in test_sys_translate.py:
 * every guest layout popek assumes in src/user/sys_abi.h must match the
 * riscv64 kernel and libc headers, or this file fails to compile.
 * The same file is also compiled for the host with -DHOST_SIDE, checking the
 * "identical on both ABIs" claims against the x86-64 headers.
 */
#include <asm/termbits.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "user/sys_abi.h"

#define SAME(gs, hs, f) \
	_Static_assert(offsetof(struct gs, f) == offsetof(struct hs, f), #gs "." #f)

#ifndef HOST_SIDE
/* The guest's struct stat is the kernel's asm-generic one, which riscv64
 * glibc hands to the kernel unchanged. */
_Static_assert(sizeof(struct rv_stat) == sizeof(struct stat), "stat size");
SAME(rv_stat, stat, st_dev);
SAME(rv_stat, stat, st_ino);
SAME(rv_stat, stat, st_mode);
SAME(rv_stat, stat, st_nlink);
SAME(rv_stat, stat, st_uid);
SAME(rv_stat, stat, st_gid);
SAME(rv_stat, stat, st_rdev);
SAME(rv_stat, stat, st_size);
SAME(rv_stat, stat, st_blksize);
SAME(rv_stat, stat, st_blocks);
_Static_assert(offsetof(struct rv_stat, st_atime_sec) == offsetof(struct stat, st_atim.tv_sec), "atime");
_Static_assert(offsetof(struct rv_stat, st_atime_nsec) == offsetof(struct stat, st_atim.tv_nsec), "atime ns");
_Static_assert(offsetof(struct rv_stat, st_mtime_sec) == offsetof(struct stat, st_mtim.tv_sec), "mtime");
_Static_assert(offsetof(struct rv_stat, st_mtime_nsec) == offsetof(struct stat, st_mtim.tv_nsec), "mtime ns");
_Static_assert(offsetof(struct rv_stat, st_ctime_sec) == offsetof(struct stat, st_ctim.tv_sec), "ctime");
_Static_assert(offsetof(struct rv_stat, st_ctime_nsec) == offsetof(struct stat, st_ctim.tv_nsec), "ctime ns");

/* epoll_event is naturally aligned on riscv64. */
_Static_assert(sizeof(struct rv_epoll_event) == sizeof(struct epoll_event), "epoll size");
_Static_assert(offsetof(struct epoll_event, data) == offsetof(struct rv_epoll_event, data), "epoll data");
#else
/* x86-64's struct stat really is different, which is why it is converted. */
_Static_assert(sizeof(struct stat) == 144 && offsetof(struct stat, st_mode) == 24, "x86-64 stat");
/* ...and epoll_event is packed on x86-64. */
_Static_assert(sizeof(struct epoll_event) == 12, "x86-64 epoll_event is packed");
#endif

/* Identical on both ABIs (the claims behind the pass-throughs). */
_Static_assert(sizeof(struct rv_statfs) == sizeof(struct statfs), "statfs size");
SAME(rv_statfs, statfs, f_bavail);
SAME(rv_statfs, statfs, f_fsid);
SAME(rv_statfs, statfs, f_namelen);
SAME(rv_statfs, statfs, f_flags);
_Static_assert(sizeof(struct rv_termios) == sizeof(struct termios), "kernel termios");
_Static_assert(offsetof(struct rv_termios, c_cc) == offsetof(struct termios, c_cc), "c_cc");
_Static_assert(sizeof(struct rv_termios2) == sizeof(struct termios2), "termios2");
_Static_assert(NCCS == RV_NCCS, "NCCS");
_Static_assert(ICANON == 0000002 && ECHO == 0000010 && ISIG == 0000001 && IEXTEN == 0100000, "lflag bits");
_Static_assert(OPOST == 1 && ONLCR == 4 && ICRNL == 0400 && IXON == 02000, "iflag/oflag bits");
_Static_assert(CSIZE == 0000060 && CS8 == 0000060 && CREAD == 0000200 && CBAUD == 0010017, "cflag bits");
_Static_assert(VMIN == 6 && VTIME == 5 && VINTR == 0 && VEOF == 4, "c_cc indexes");

_Static_assert(sizeof(struct timespec) == RV_SIZEOF_TIMESPEC, "timespec");
_Static_assert(sizeof(struct timeval) == RV_SIZEOF_TIMEVAL, "timeval");
_Static_assert(sizeof(struct itimerval) == RV_SIZEOF_ITIMERVAL, "itimerval");
_Static_assert(sizeof(struct itimerspec) == RV_SIZEOF_ITIMERSPEC, "itimerspec");
_Static_assert(sizeof(struct iovec) == RV_SIZEOF_IOVEC, "iovec");
_Static_assert(sizeof(struct msghdr) == RV_SIZEOF_MSGHDR, "msghdr");
_Static_assert(offsetof(struct msghdr, msg_flags) == 48, "msghdr.msg_flags");
_Static_assert(sizeof(struct mmsghdr) == RV_SIZEOF_MMSGHDR, "mmsghdr");
_Static_assert(sizeof(struct cmsghdr) == 16, "cmsghdr");
_Static_assert(sizeof(struct pollfd) == RV_SIZEOF_POLLFD, "pollfd");
_Static_assert(sizeof(struct flock) == RV_SIZEOF_FLOCK, "flock");
_Static_assert(offsetof(struct flock, l_pid) == 24, "flock.l_pid");
_Static_assert(sizeof(struct rusage) == RV_SIZEOF_RUSAGE, "rusage");
_Static_assert(sizeof(struct sysinfo) == RV_SIZEOF_SYSINFO, "sysinfo");
_Static_assert(sizeof(struct utsname) == RV_SIZEOF_UTSNAME, "utsname");
_Static_assert(sizeof(struct rlimit) == RV_SIZEOF_RLIMIT, "rlimit");
_Static_assert(sizeof(struct tms) == RV_SIZEOF_TMS, "tms");
_Static_assert(sizeof(struct timex) == 208, "timex (RV_SIZEOF_TIMEX in sys_misc.c)");

/* Flag values the translation tables and pass-throughs rely on. */
_Static_assert(O_DIRECTORY == 0200000 && O_NOFOLLOW == 0400000 && O_DIRECT == 040000, "O_ dir bits");
_Static_assert(O_CLOEXEC == 02000000 && O_NONBLOCK == 04000 && O_APPEND == 02000, "O_ bits");
_Static_assert(O_PATH == 010000000 && (O_TMPFILE & ~O_DIRECTORY) == 020000000, "O_PATH/O_TMPFILE");
_Static_assert(SOCK_NONBLOCK == O_NONBLOCK && SOCK_CLOEXEC == O_CLOEXEC, "SOCK_ flags");
_Static_assert(SOL_SOCKET == 1 && SO_REUSEADDR == 2 && SO_RCVBUF == 8 && SO_ERROR == 4, "SOL_SOCKET");
_Static_assert(AT_FDCWD == -100 && AT_EMPTY_PATH == 0x1000 && AT_SYMLINK_NOFOLLOW == 0x100, "AT_");
_Static_assert(EPOLLIN == 1 && EPOLLOUT == 4 && EPOLLET == (1u << 31), "EPOLL bits");
_Static_assert(POLLIN == 1 && POLLOUT == 4 && POLLHUP == 0x10, "POLL bits");
_Static_assert(F_GETLK == 5 && F_SETLKW == 7 && F_DUPFD_CLOEXEC == 1030 && F_OFD_SETLK == 37, "F_");
_Static_assert(RLIMIT_AS == 9 && RLIMIT_STACK == 3 && RLIMIT_NOFILE == 7, "RLIMIT_");

/*
 * riscv64 (asm-generic, LP64) kernel structure layouts that differ from the
 * x86-64 host's, or that we copy field by field, written with fixed-width
 * types only so the same header can be compiled by riscv64-linux-gnu-gcc in
 * tests/unit/ and checked against the real riscv64 headers with offsetof.
 *
 * Layouts that are identical on both 64-bit ABIs (timespec, timeval, iovec,
 * msghdr, cmsghdr, pollfd, struct flock, statfs, statx, rusage, sysinfo,
 * utsname, rlimit64, tms, sockaddr*, the kernel termios) are passed through;
 * the unit test checks that claim too.
 */
#ifndef POPEK_USER_SYS_ABI_H
#define POPEK_USER_SYS_ABI_H

#include <stdint.h>

/* struct stat of <asm-generic/stat.h> (128 bytes; x86-64's is 144 and
 * orders st_nlink/st_mode differently with a 64-bit st_nlink). */
struct rv_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t unused4;
	uint32_t unused5;
};

/* struct epoll_event: naturally aligned (16 bytes) on riscv64, packed
 * (12 bytes) on x86-64. */
struct rv_epoll_event {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};

/* struct statfs of <asm-generic/statfs.h> with 64-bit words: same as
 * x86-64's, spelled out so the unit test can check both sides. */
struct rv_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};

/* The kernel's struct termios (not glibc's): NCCS 19 on both ABIs. */
#define RV_NCCS 19
struct rv_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[RV_NCCS];
};

/* struct termios2 adds the two speeds. */
struct rv_termios2 {
	struct rv_termios t;
	uint32_t c_ispeed, c_ospeed;
};

/* Sizes of pass-through structures (identical on both ABIs; checked by the
 * unit test against both compilers). */
#define RV_SIZEOF_TIMESPEC   16
#define RV_SIZEOF_TIMEVAL    16
#define RV_SIZEOF_ITIMERVAL  32
#define RV_SIZEOF_ITIMERSPEC 32
#define RV_SIZEOF_IOVEC      16
#define RV_SIZEOF_MSGHDR     56
#define RV_SIZEOF_MMSGHDR    64
#define RV_SIZEOF_POLLFD     8
#define RV_SIZEOF_FLOCK      32
#define RV_SIZEOF_STATX      256
#define RV_SIZEOF_RUSAGE     144
#define RV_SIZEOF_SYSINFO    112
#define RV_SIZEOF_UTSNAME    390
#define RV_SIZEOF_RLIMIT     16
#define RV_SIZEOF_TMS        32
#define RV_SIZEOF_WINSIZE    8
#define RV_SIZEOF_SIGSET     8

#endif

/*
 * Shared pieces of system-call translation: iovec arrays and the open/status
 * flag translation used by openat, fcntl(F_GETFL/F_SETFL) and friends.
 */
#include <fcntl.h>

#include "user/sys_common.h"

long sys_iov_get(struct uthread *t, uint64_t giov, uint64_t cnt, struct iovec *iov)
{
	struct { uint64_t base, len; } g;

	if (cnt > SYS_IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		if (uproc_read(t->proc, &g, giov + i * sizeof(g), sizeof(g)))
			return -EFAULT;
		/* Linux rejects a negative ssize_t length with EINVAL. */
		if (g.len > (uint64_t)SSIZE_MAX)
			return -EINVAL;
		iov[i].iov_base = uproc_ptr(t->proc, g.base, g.len);
		if (!iov[i].iov_base)
			return -EFAULT;
		iov[i].iov_len = g.len;
	}
	return (long)cnt;
}

/*
 * asm-generic <asm-generic/fcntl.h> values (riscv64).  x86-64 uses the same
 * generic header, so today every pair is equal, but going bit by bit keeps
 * the translation honest (an arch like arm64 or alpha differs) and drops
 * bits neither side defines.  The host column uses kernel values where glibc
 * hides them (O_LARGEFILE is 0 in 64-bit glibc; O_SYNC/O_TMPFILE are
 * composites).
 */
static const struct { uint32_t guest; int host; } oflag_map[] = {
	{ 00000100, O_CREAT },
	{ 00000200, O_EXCL },
	{ 00000400, O_NOCTTY },
	{ 00001000, O_TRUNC },
	{ 00002000, O_APPEND },
	{ 00004000, O_NONBLOCK },
	{ 00010000, O_DSYNC },
	{ 00020000, O_ASYNC },
	{ 00040000, O_DIRECT },
	{ 00100000, 00100000 },   /* O_LARGEFILE (kernel value) */
	{ 00200000, O_DIRECTORY },
	{ 00400000, O_NOFOLLOW },
	{ 01000000, O_NOATIME },
	{ 02000000, O_CLOEXEC },
	{ 04000000, 04000000 },   /* __O_SYNC */
	{ 010000000, O_PATH },
	{ 020000000, 020000000 }, /* __O_TMPFILE */
};

int sys_oflags_to_host(uint64_t gflags)
{
	int h = (int)(gflags & 3);   /* O_ACCMODE: 0, 1, 2 (and 3) on both */

	for (size_t i = 0; i < sizeof(oflag_map) / sizeof(oflag_map[0]); i++)
		if (gflags & oflag_map[i].guest)
			h |= oflag_map[i].host;
	return h;
}

uint64_t sys_oflags_to_guest(int hflags)
{
	uint64_t g = (uint64_t)(hflags & 3);

	for (size_t i = 0; i < sizeof(oflag_map) / sizeof(oflag_map[0]); i++)
		if ((hflags & oflag_map[i].host) == oflag_map[i].host)
			g |= oflag_map[i].guest;
	return g;
}

bool sys_oflags_known(uint64_t gflags)
{
	uint64_t known = 3;

	for (size_t i = 0; i < sizeof(oflag_map) / sizeof(oflag_map[0]); i++)
		known |= oflag_map[i].guest;
	return (gflags & ~known) == 0;
}

/*
 * Drives the system-call translation handlers (src/user/sys_*.c) directly,
 * without the dispatcher or the interpreter: a fake guest window with one
 * mapped region, guest-layout inputs written into it, handlers called from
 * the registered table by riscv64 syscall number, guest-layout outputs
 * checked.  Built and run (plain and with ASan+UBSan) by
 * tests/unit/test_sys_translate.py.  Prints one line per failed check and
 * exits non-zero if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"
#include "user/uproc_priv.h"

#include "fake_uproc.h"

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; \
	printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)

/* ---- helpers ---- */
static uint64_t gtop = G_BASE;

/* Bump-allocate guest memory (16-byte aligned) and copy data in. */
static uint64_t galloc(const void *data, size_t len)
{
	uint64_t a = gtop;

	gtop += (len + 15) & ~15ULL;
	if (data)
		memcpy(P->window + a, data, len);
	else
		memset(P->window + a, 0, len);
	return a;
}

static uint64_t gstr(const char *s) { return galloc(s, strlen(s) + 1); }
static void *host(uint64_t g) { return P->window + g; }

static long sc(int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };

	if (!tbl[nr].fn) {
		printf("FAIL: syscall %d not registered\n", nr);
		failures++;
		return -ENOSYS;
	}
	return tbl[nr].fn(T, a);
}
#define SC(nr, ...) sc(nr, __VA_ARGS__)
#define AT_CWD ((uint64_t)(int64_t)-100)

static char dir[256];

/* ---- tests ---- */
static void test_stat(void)
{
	char path[300];
	struct stat h;
	struct rv_stat *g;
	uint64_t buf = galloc(NULL, sizeof(struct rv_stat));
	long r;

	snprintf(path, sizeof(path), "%s/statme", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0640);
	CHECK(write(fd, "hello world", 11) == 11, "write");
	close(fd);
	stat(path, &h);
	r = SC(RVSYS_newfstatat, AT_CWD, gstr(path), buf, 0, 0, 0);
	CHECK(r == 0, "newfstatat r=%ld", r);
	g = host(buf);
	CHECK(g->st_size == 11, "size %ld", (long)g->st_size);
	CHECK(g->st_ino == h.st_ino && g->st_dev == h.st_dev, "ino/dev");
	CHECK(g->st_mode == h.st_mode && (g->st_mode & 0777) == 0640, "mode %o", g->st_mode);
	CHECK(g->st_nlink == 1 && g->st_uid == h.st_uid && g->st_gid == h.st_gid, "nlink/uid/gid");
	CHECK(g->st_blksize == (int32_t)h.st_blksize && g->st_blocks == h.st_blocks, "blocks");
	CHECK(g->st_mtime_sec == h.st_mtim.tv_sec && g->st_mtime_nsec == (uint64_t)h.st_mtim.tv_nsec, "mtime");
	CHECK(g->pad1 == 0 && g->pad2 == 0 && g->unused4 == 0, "padding zeroed");
	/* raw offsets of the riscv64 layout */
	CHECK(*(int64_t *)((char *)g + 48) == 11, "st_size at offset 48");
	CHECK(*(uint32_t *)((char *)g + 16) == h.st_mode, "st_mode at offset 16");

	fd = open(path, O_RDONLY);
	memset(g, 0, sizeof(*g));
	r = SC(RVSYS_fstat, (uint64_t)fd, buf, 0, 0, 0, 0);
	CHECK(r == 0 && g->st_size == 11 && g->st_ino == h.st_ino, "fstat r=%ld", r);
	memset(g, 0, sizeof(*g));
	r = SC(RVSYS_newfstatat, (uint64_t)fd, gstr(""), buf, AT_EMPTY_PATH, 0, 0);
	CHECK(r == 0 && g->st_ino == h.st_ino, "AT_EMPTY_PATH r=%ld", r);
	close(fd);

	r = SC(RVSYS_newfstatat, AT_CWD, gstr("/nonexistent/x"), buf, 0, 0, 0);
	CHECK(r == -ENOENT, "ENOENT r=%ld", r);
	r = SC(RVSYS_newfstatat, AT_CWD, 0x5000, buf, 0, 0, 0);
	CHECK(r == -EFAULT, "unmapped path r=%ld", r);
	r = SC(RVSYS_newfstatat, AT_CWD, gstr(path), G_BASE + G_SIZE - 8, 0, 0, 0);
	CHECK(r == -EFAULT, "unmapped statbuf r=%ld", r);

	uint64_t sx = galloc(NULL, 256);
	r = SC(RVSYS_statx, AT_CWD, gstr(path), 0, 0x7ff, sx, 0);
	CHECK(r == 0 && *(uint64_t *)((char *)host(sx) + 40) == 11, "statx r=%ld", r);
	uint64_t sf = galloc(NULL, sizeof(struct rv_statfs));
	r = SC(RVSYS_statfs, gstr(dir), sf, 0, 0, 0, 0);
	CHECK(r == 0 && ((struct rv_statfs *)host(sf))->f_bsize > 0, "statfs r=%ld", r);
}

static void test_open_rw(void)
{
	char path[300];
	long fd, r;

	snprintf(path, sizeof(path), "%s/rw", dir);
	/* guest O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC in asm-generic values */
	fd = SC(RVSYS_openat, AT_CWD, gstr(path), 02 | 0100 | 01000 | 02000000, 0600, 0, 0);
	CHECK(fd >= 0, "openat %ld", fd);
	CHECK(fcntl((int)fd, F_GETFD) == FD_CLOEXEC, "cloexec");
	uint64_t data = gstr("abcdefgh");
	r = SC(RVSYS_write, (uint64_t)fd, data, 8, 0, 0, 0);
	CHECK(r == 8, "write %ld", r);
	/* writev with two guest iovecs */
	uint64_t iov[4] = { data, 2, data + 4, 3 };
	r = SC(RVSYS_writev, (uint64_t)fd, galloc(iov, sizeof(iov)), 2, 0, 0, 0);
	CHECK(r == 5, "writev %ld", r);
	uint64_t out = galloc(NULL, 32);
	r = SC(RVSYS_pread64, (uint64_t)fd, out, 32, 0, 0, 0);
	CHECK(r == 13 && !memcmp(host(out), "abcdefghabefg", 13), "pread %ld", r);
	r = SC(RVSYS_lseek, (uint64_t)fd, 2, SEEK_SET, 0, 0, 0);
	CHECK(r == 2, "lseek %ld", r);
	uint64_t riov[4] = { out, 3, out + 16, 4 };
	r = SC(RVSYS_readv, (uint64_t)fd, galloc(riov, sizeof(riov)), 2, 0, 0, 0);
	CHECK(r == 7 && !memcmp(host(out), "cde", 3) && !memcmp((char *)host(out) + 16, "fgha", 4), "readv %ld", r);
	/* iovec pointing outside the window, and too many entries */
	uint64_t bad[2] = { UPROC_WINDOW - 4, 16 };
	r = SC(RVSYS_readv, (uint64_t)fd, galloc(bad, sizeof(bad)), 1, 0, 0, 0);
	CHECK(r == -EFAULT, "bad iov %ld", r);
	r = SC(RVSYS_readv, (uint64_t)fd, out, 5000, 0, 0, 0);
	CHECK(r == -EINVAL, "iovcnt %ld", r);
	r = SC(RVSYS_read, (uint64_t)fd, UPROC_WINDOW - 2, 100, 0, 0, 0);
	CHECK(r == -EFAULT, "read past window %ld", r);

	/* fcntl status flags come back in guest values */
	r = SC(RVSYS_fcntl, (uint64_t)fd, F_SETFL, 04000 | 02000, 0, 0, 0);
	CHECK(r == 0, "F_SETFL %ld", r);
	r = SC(RVSYS_fcntl, (uint64_t)fd, F_GETFL, 0, 0, 0, 0);
	CHECK(r == (02 | 04000 | 02000 | 0100000), "F_GETFL %lo", r);
	r = SC(RVSYS_fcntl, (uint64_t)fd, 1030, 100, 0, 0, 0);
	CHECK(r >= 100, "F_DUPFD_CLOEXEC %ld", r);
	SC(RVSYS_close, (uint64_t)r, 0, 0, 0, 0, 0);
	CHECK(SC(RVSYS_fcntl, (uint64_t)fd, 9999, 0, 0, 0, 0) == -EINVAL, "bad fcntl");
	/* record lock through struct flock */
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4 };
	r = SC(RVSYS_fcntl, (uint64_t)fd, F_SETLK, galloc(&fl, sizeof(fl)), 0, 0, 0);
	CHECK(r == 0, "F_SETLK %ld", r);
	r = SC(RVSYS_ioctl, (uint64_t)fd, 0x1234, 0, 0, 0, 0);
	CHECK(r == -ENOTTY, "unknown ioctl %ld", r);
	r = SC(RVSYS_ioctl, (uint64_t)fd, 0x5401, galloc(NULL, 36), 0, 0, 0);
	CHECK(r == -ENOTTY, "TCGETS on a file %ld", r);
	SC(RVSYS_close, (uint64_t)fd, 0, 0, 0, 0, 0);
	CHECK(fcntl((int)fd, F_GETFD) == -1, "closed");

	/* openat2: struct open_how, strict about flags and trailing bytes */
	uint64_t how[4] = { 0, 0, 0, 0 };
	r = SC(RVSYS_openat2, AT_CWD, gstr(path), galloc(how, 24), 24, 0, 0);
	CHECK(r >= 0, "openat2 %ld", r);
	if (r >= 0)
		close((int)r);
	how[0] = 1ULL << 40;
	CHECK(SC(RVSYS_openat2, AT_CWD, gstr(path), galloc(how, 24), 24, 0, 0) == -EINVAL, "openat2 bad flag");
	how[0] = 0;
	how[3] = 1;
	CHECK(SC(RVSYS_openat2, AT_CWD, gstr(path), galloc(how, 32), 32, 0, 0) == -E2BIG, "openat2 tail");
	CHECK(SC(RVSYS_openat2, AT_CWD, gstr(path), galloc(how, 32), 16, 0, 0) == -EINVAL, "openat2 short");

	/* O_DIRECTORY on a file */
	r = SC(RVSYS_openat, AT_CWD, gstr(path), 0200000, 0, 0, 0);
	CHECK(r == -ENOTDIR, "O_DIRECTORY %ld", r);
}

static void test_dir_calls(void)
{
	char path[300];
	long r;

	snprintf(path, sizeof(path), "%s/sub", dir);
	CHECK(SC(RVSYS_mkdirat, AT_CWD, gstr(path), 0755, 0, 0, 0) == 0, "mkdirat");
	CHECK(SC(RVSYS_mkdirat, AT_CWD, gstr(path), 0755, 0, 0, 0) == -EEXIST, "mkdirat twice");
	CHECK(SC(RVSYS_chdir, gstr(path), 0, 0, 0, 0, 0) == 0, "chdir");
	uint64_t cwd = galloc(NULL, 300);
	r = SC(RVSYS_getcwd, cwd, 300, 0, 0, 0, 0);
	CHECK(r == (long)strlen(path) + 1 && !strcmp(host(cwd), path), "getcwd %ld %s", r, (char *)host(cwd));
	CHECK(SC(RVSYS_getcwd, cwd, 2, 0, 0, 0, 0) == -ERANGE, "getcwd ERANGE");
	CHECK(SC(RVSYS_symlinkat, gstr("target-x"), AT_CWD, gstr("lnk"), 0, 0, 0) == 0, "symlinkat");
	uint64_t lb = galloc(NULL, 64);
	r = SC(RVSYS_readlinkat, AT_CWD, gstr("lnk"), lb, 64, 0, 0);
	CHECK(r == 8 && !memcmp(host(lb), "target-x", 8), "readlinkat %ld", r);
	CHECK(SC(RVSYS_renameat2, AT_CWD, gstr("lnk"), AT_CWD, gstr("lnk2"), 0, 0) == 0, "renameat2");
	CHECK(SC(RVSYS_faccessat, AT_CWD, gstr("lnk2"), F_OK, 0, 0, 0) == -ENOENT, "dangling access");
	CHECK(SC(RVSYS_unlinkat, AT_CWD, gstr("lnk2"), 0, 0, 0, 0) == 0, "unlinkat");
	CHECK(SC(RVSYS_chdir, gstr(dir), 0, 0, 0, 0, 0) == 0, "chdir back");
	CHECK(SC(RVSYS_unlinkat, AT_CWD, gstr("sub"), AT_REMOVEDIR, 0, 0, 0) == 0, "rmdir");
	/* /proc/self/exe is the guest program */
	uint64_t eb = galloc(NULL, 4096);
	r = SC(RVSYS_readlinkat, AT_CWD, gstr("/proc/self/exe"), eb, 4096, 0, 0);
	CHECK(r == (long)strlen(P->exe_path) && !memcmp(host(eb), P->exe_path, (size_t)r),
	      "readlink exe %ld", r);
	r = SC(RVSYS_readlinkat, AT_CWD, gstr("/proc/self/exe"), eb, 4, 0, 0);
	CHECK(r == 4, "readlink exe truncated %ld", r);
	/* xattrs reach the host (ENOTSUP is a valid host answer) */
	char xp[300];
	snprintf(xp, sizeof(xp), "%s/statme", dir);
	r = SC(RVSYS_setxattr, gstr(xp), gstr("user.k"), gstr("v1"), 2, 0, 0);
	CHECK(r == 0 || r == -ENOTSUP, "setxattr %ld", r);
	if (r == 0) {
		r = SC(RVSYS_getxattr, gstr(xp), gstr("user.k"), lb, 64, 0, 0);
		CHECK(r == 2 && !memcmp(host(lb), "v1", 2), "getxattr %ld", r);
	}
	r = SC(RVSYS_openat, AT_CWD, gstr("/proc/self/exe"), 0, 0, 0, 0);
	CHECK(r >= 0, "open exe %ld", r);
	if (r >= 0) {
		char b[8] = { 0 };
		CHECK(pread((int)r, b, 7, 0) == 7 && !strcmp(b, "#!guest"), "exe contents '%s'", b);
		close((int)r);
	}
	/* getdents64 lists the directory */
	long dfd = SC(RVSYS_openat, AT_CWD, gstr(dir), 0200000, 0, 0, 0);
	uint64_t db = galloc(NULL, 4096);
	r = SC(RVSYS_getdents64, (uint64_t)dfd, db, 4096, 0, 0, 0);
	CHECK(r > 0 && memmem(host(db), (size_t)r, "statme", 6), "getdents64 %ld", r);
	close((int)dfd);
	uint64_t m = SC(RVSYS_umask, 022, 0, 0, 0, 0, 0);
	CHECK(SC(RVSYS_umask, m, 0, 0, 0, 0, 0) == 022, "umask");
}

static void test_sysroot(void)
{
	char root[300], lib[340];
	long r;

	snprintf(root, sizeof(root), "%s/root", dir);
	mkdir(root, 0755);
	snprintf(lib, sizeof(lib), "%s/tmp", root);
	mkdir(lib, 0755);
	snprintf(lib, sizeof(lib), "%s/tmp/only-in-sysroot-%d", root, getpid());
	close(open(lib, O_CREAT | O_WRONLY, 0644));
	snprintf(P->sysroot, sizeof(P->sysroot), "%s", root);
	snprintf(lib, sizeof(lib), "/tmp/only-in-sysroot-%d", getpid());
	r = SC(RVSYS_openat, AT_CWD, gstr(lib), 0, 0, 0, 0);
	CHECK(r >= 0, "sysroot lookup %ld", r);
	close((int)r);
	r = SC(RVSYS_faccessat, AT_CWD, gstr("/etc/passwd"), R_OK, 0, 0, 0);
	CHECK(r == 0, "host fallback %ld", r);
	P->sysroot[0] = '\0';
	r = SC(RVSYS_openat, AT_CWD, gstr(lib), 0, 0, 0, 0);
	CHECK(r == -ENOENT, "no sysroot %ld", r);
}

static void test_pipe_poll_epoll(void)
{
	uint64_t fdsg = galloc(NULL, 8);
	long r = SC(RVSYS_pipe2, fdsg, 02000000 | 04000, 0, 0, 0, 0);
	int *fds = host(fdsg);

	CHECK(r == 0, "pipe2 %ld", r);
	CHECK(fcntl(fds[0], F_GETFL) & O_NONBLOCK, "O_NONBLOCK");
	CHECK(SC(RVSYS_read, (uint64_t)fds[0], galloc(NULL, 4), 4, 0, 0, 0) == -EAGAIN, "EAGAIN");

	long ep = SC(RVSYS_epoll_create1, 02000000, 0, 0, 0, 0, 0);
	CHECK(ep >= 0, "epoll_create1 %ld", ep);
	struct rv_epoll_event ev = { .events = EPOLLIN, .data = 0x1122334455667788ULL };
	r = SC(RVSYS_epoll_ctl, (uint64_t)ep, EPOLL_CTL_ADD, (uint64_t)fds[0], galloc(&ev, sizeof(ev)), 0, 0);
	CHECK(r == 0, "epoll_ctl %ld", r);
	uint64_t evs = galloc(NULL, 4 * sizeof(struct rv_epoll_event));
	memset(host(evs), 0xee, 4 * sizeof(struct rv_epoll_event));
	r = SC(RVSYS_epoll_pwait, (uint64_t)ep, evs, 4, 0, 0, 8);
	CHECK(r == 0, "epoll empty %ld", r);
	CHECK(write(fds[1], "x", 1) == 1, "write");
	r = SC(RVSYS_epoll_pwait, (uint64_t)ep, evs, 4, 1000, 0, 8);
	struct rv_epoll_event *out = host(evs);
	CHECK(r == 1 && out[0].events == EPOLLIN && out[0].data == 0x1122334455667788ULL,
	      "epoll_pwait %ld ev=%x data=%llx", r, out[0].events, (unsigned long long)out[0].data);
	CHECK(out[1].events == 0xeeeeeeee, "only one event written");
	CHECK(SC(RVSYS_epoll_pwait, (uint64_t)ep, evs, 0, 0, 0, 8) == -EINVAL, "maxevents 0");

	/* ppoll with a guest pollfd array and a zero timeout */
	struct pollfd pf[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
	uint64_t pfg = galloc(pf, sizeof(pf));
	uint64_t ts0 = galloc((uint64_t[2]){ 0, 0 }, 16);
	r = SC(RVSYS_ppoll, pfg, 2, ts0, 0, 0, 0);
	struct pollfd *po = host(pfg);
	CHECK(r == 2 && (po[0].revents & POLLIN) && (po[1].revents & POLLOUT), "ppoll %ld", r);
	/* a temporary mask is installed and put back */
	uint64_t mask = 1ULL << (10 - 1);
	T->sigmask = 0x5;
	r = SC(RVSYS_ppoll, pfg, 2, ts0, galloc(&mask, 8), 8, 0);
	CHECK(r == 2 && T->sigmask == 0x5, "ppoll mask restore %ld %llx", r, (unsigned long long)T->sigmask);
	CHECK(SC(RVSYS_ppoll, pfg, 2, ts0, galloc(&mask, 8), 16, 0) == -EINVAL, "sigsetsize");
	deliverable = 1;
	r = SC(RVSYS_ppoll, pfg, 2, ts0, galloc(&mask, 8), 8, 0);
	CHECK(r == -EINTR && T->in_sigsuspend && T->sigsuspend_mask == 0x5 && T->sigmask == mask,
	      "pending signal: %ld", r);
	deliverable = 0;
	T->in_sigsuspend = false;
	T->sigmask = 0;
	/* pselect6 */
	uint64_t rset = galloc(NULL, 128);
	((uint64_t *)host(rset))[fds[0] / 64] |= 1ULL << (fds[0] % 64);
	r = SC(RVSYS_pselect6, (uint64_t)fds[0] + 1, rset, 0, 0, ts0, 0);
	CHECK(r == 1, "pselect6 %ld", r);
	close((int)ep);
	close(fds[0]);
	close(fds[1]);
}

static void test_dup(void)
{
	long a = SC(RVSYS_dup, 1, 0, 0, 0, 0, 0);
	CHECK(a > 2, "dup %ld", a);
	long b = SC(RVSYS_dup3, (uint64_t)a, 200, 02000000, 0, 0, 0);
	CHECK(b == 200 && fcntl(200, F_GETFD) == FD_CLOEXEC, "dup3 %ld", b);
	CHECK(SC(RVSYS_dup3, (uint64_t)a, (uint64_t)a, 0, 0, 0, 0) == -EINVAL, "dup3 same fd");
	close((int)a);
	close(200);
}

static void test_sockets(void)
{
	uint64_t svg = galloc(NULL, 8);
	long r = SC(RVSYS_socketpair, AF_UNIX, SOCK_STREAM, 0, svg, 0, 0);
	int *sv = host(svg);

	CHECK(r == 0, "socketpair %ld", r);
	/* sendmsg with two iovecs and SCM_RIGHTS carrying fd 0 */
	uint64_t d = gstr("helloworld");
	uint64_t iov[4] = { d, 5, d + 5, 5 };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cm), &(int){ 0 }, sizeof(int));
	uint64_t msg[7] = { 0, 0, galloc(iov, sizeof(iov)), 2, galloc(cbuf, sizeof(cbuf)), sizeof(cbuf), 0 };
	r = SC(RVSYS_sendmsg, (uint64_t)sv[0], galloc(msg, sizeof(msg)), 0, 0, 0, 0);
	CHECK(r == 10, "sendmsg %ld", r);
	uint64_t rb = galloc(NULL, 16), rc = galloc(NULL, 64);
	uint64_t riov[2] = { rb, 16 };
	uint64_t rmsg[7] = { 0, 0, galloc(riov, sizeof(riov)), 1, rc, 64, 0 };
	uint64_t rmsgg = galloc(rmsg, sizeof(rmsg));
	r = SC(RVSYS_recvmsg, (uint64_t)sv[1], rmsgg, 0, 0, 0, 0);
	uint64_t *rm = host(rmsgg);
	CHECK(r == 10 && !memcmp(host(rb), "helloworld", 10), "recvmsg %ld", r);
	CHECK(rm[5] == CMSG_SPACE(sizeof(int)), "controllen %llu", (unsigned long long)rm[5]);
	struct cmsghdr *rcm = host(rc);
	int passed = -1;
	memcpy(&passed, CMSG_DATA(rcm), sizeof(int));
	CHECK(rcm->cmsg_type == SCM_RIGHTS && passed > 2, "SCM_RIGHTS fd %d", passed);
	if (passed > 2)
		close(passed);

	/* TCP over loopback */
	long ls = SC(RVSYS_socket, AF_INET, SOCK_STREAM | 02000000, 0, 0, 0, 0);
	uint8_t sin[16] = { AF_INET, 0, 0, 0, 127, 0, 0, 1 };
	CHECK(SC(RVSYS_bind, (uint64_t)ls, galloc(sin, 16), 16, 0, 0, 0) == 0, "bind");
	CHECK(SC(RVSYS_listen, (uint64_t)ls, 4, 0, 0, 0, 0) == 0, "listen");
	uint64_t name = galloc(NULL, 16), nlen = galloc(&(uint32_t){ 16 }, 4);
	CHECK(SC(RVSYS_getsockname, (uint64_t)ls, name, nlen, 0, 0, 0) == 0, "getsockname");
	long cs = SC(RVSYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);
	r = SC(RVSYS_connect, (uint64_t)cs, name, 16, 0, 0, 0);
	CHECK(r == 0, "connect %ld", r);
	uint64_t peer = galloc(NULL, 16), plen = galloc(&(uint32_t){ 16 }, 4);
	long as = SC(RVSYS_accept4, (uint64_t)ls, peer, plen, 02000000, 0, 0);
	CHECK(as >= 0 && *(uint32_t *)host(plen) == 16 && ((uint8_t *)host(peer))[4] == 127, "accept4 %ld", as);
	CHECK(SC(RVSYS_sendto, (uint64_t)cs, d, 5, 0, 0, 0) == 5, "sendto");
	r = SC(RVSYS_recvfrom, (uint64_t)as, rb, 16, 0, 0, 0);
	CHECK(r == 5, "recvfrom %ld", r);
	uint64_t ov = galloc(NULL, 4), ol = galloc(&(uint32_t){ 4 }, 4);
	r = SC(RVSYS_setsockopt, (uint64_t)cs, SOL_SOCKET, SO_KEEPALIVE, galloc(&(int){ 1 }, 4), 4, 0);
	CHECK(r == 0, "setsockopt %ld", r);
	r = SC(RVSYS_getsockopt, (uint64_t)cs, SOL_SOCKET, SO_KEEPALIVE, ov, ol, 0);
	CHECK(r == 0 && *(int *)host(ov) == 1, "getsockopt %ld", r);
	CHECK(SC(RVSYS_shutdown, (uint64_t)cs, SHUT_RDWR, 0, 0, 0, 0) == 0, "shutdown");
	close((int)as); close((int)cs); close((int)ls); close(sv[0]); close(sv[1]);
}

static void test_procfs(void)
{
	struct uproc_vma v[2] = {
		{ .start = 0x10000, .end = 0x12000, .prot = PROT_READ | PROT_EXEC },
		{ .start = UPROC_WINDOW - 0x8000, .end = UPROC_WINDOW, .prot = PROT_READ | PROT_WRITE },
	};
	char buf[4096] = { 0 };
	long fd;

	P->vmas = v;
	P->nvmas = 2;
	P->stack_top = UPROC_WINDOW;
	fd = SC(RVSYS_openat, AT_CWD, gstr("/proc/self/maps"), 02000000, 0, 0, 0);
	CHECK(fd >= 0 && fcntl((int)fd, F_GETFD) == FD_CLOEXEC, "open maps %ld", fd);
	CHECK(read((int)fd, buf, sizeof(buf) - 1) > 0, "read maps");
	CHECK(!strncmp(buf, "00010000-00012000 r-xp 00000000 00:00 0 \n", 41), "first line '%.60s'", buf);
	CHECK(strstr(buf, "3fffff8000-4000000000 rw-p") && strstr(buf, "[stack]\n"), "stack line: %s", buf);
	CHECK(write((int)fd, "x", 1) < 0, "maps not writable");
	close((int)fd);
	P->vmas = NULL;
	P->nvmas = 0;
	CHECK(SC(RVSYS_openat, AT_CWD, gstr("/proc/self/maps"), 2, 0, 0, 0) == -EACCES, "maps O_RDWR");
	fd = SC(RVSYS_openat, AT_CWD, gstr("/proc/cpuinfo"), 0, 0, 0, 0);
	memset(buf, 0, sizeof(buf));
	CHECK(fd >= 0 && read((int)fd, buf, sizeof(buf) - 1) > 0 &&
	      strstr(buf, "isa\t\t: rv64imafdc") && !strstr(buf, "GenuineIntel") && !strstr(buf, "AMD"),
	      "cpuinfo %ld", fd);
	close((int)fd);
	fd = SC(RVSYS_openat, AT_CWD, gstr("/proc/self/status"), 0, 0, 0, 0);
	CHECK(fd >= 0, "other /proc files are the host's %ld", fd);
	close((int)fd);
}

static void test_misc(void)
{
	uint64_t u = galloc(NULL, 390);
	CHECK(SC(RVSYS_uname, u, 0, 0, 0, 0, 0) == 0, "uname");
	CHECK(!strcmp((char *)host(u) + 4 * 65, "riscv64") && !strcmp(host(u), "Linux"), "machine");
	uint64_t rb = galloc(NULL, 64);
	CHECK(SC(RVSYS_getrandom, rb, 64, 0, 0, 0, 0) == 64, "getrandom");
	CHECK(SC(RVSYS_getpid, 0, 0, 0, 0, 0, 0) == getpid(), "getpid");
	CHECK(SC(RVSYS_getuid, 0, 0, 0, 0, 0, 0) == (long)getuid(), "getuid");
	uint64_t ts = galloc(NULL, 16);
	CHECK(SC(RVSYS_clock_gettime, CLOCK_MONOTONIC, ts, 0, 0, 0, 0) == 0 &&
	      ((int64_t *)host(ts))[0] > 0, "clock_gettime");
	CHECK(SC(RVSYS_clock_gettime, CLOCK_MONOTONIC, UPROC_WINDOW, 0, 0, 0, 0) == -EFAULT, "ts EFAULT");
	uint64_t req = galloc((int64_t[2]){ 0, 1000000 }, 16);
	CHECK(SC(RVSYS_nanosleep, req, 0, 0, 0, 0, 0) == 0, "nanosleep");
	CHECK(SC(RVSYS_gettimeofday, galloc(NULL, 16), 0, 0, 0, 0, 0) == 0, "gettimeofday");
	/* RLIMIT_AS is the guest's own, not applied to popek */
	struct rlimit host_as, set = { 1 << 30, 1 << 30 };
	getrlimit(RLIMIT_AS, &host_as);
	uint64_t old = galloc(NULL, 16);
	CHECK(SC(RVSYS_prlimit64, 0, RLIMIT_AS, galloc(&set, 16), old, 0, 0) == 0, "prlimit64 set");
	struct rlimit now;
	getrlimit(RLIMIT_AS, &now);
	CHECK(now.rlim_cur == host_as.rlim_cur, "host RLIMIT_AS untouched");
	CHECK(SC(RVSYS_prlimit64, 0, RLIMIT_AS, 0, old, 0, 0) == 0 &&
	      ((uint64_t *)host(old))[0] == 1 << 30, "prlimit64 get emulated");
	CHECK(SC(RVSYS_prlimit64, 0, RLIMIT_NOFILE, 0, old, 0, 0) == 0 &&
	      ((uint64_t *)host(old))[0] > 0, "RLIMIT_NOFILE");
	CHECK(SC(RVSYS_prlimit64, 0, 99, 0, old, 0, 0) == -EINVAL, "bad resource");
	uint64_t nm = gstr("guestname-long-truncated");
	CHECK(SC(RVSYS_prctl, 15, nm, 0, 0, 0, 0) == 0, "PR_SET_NAME");
	uint64_t gn = galloc(NULL, 16);
	CHECK(SC(RVSYS_prctl, 16, gn, 0, 0, 0, 0) == 0 && !strcmp(host(gn), "guestname-long-"), "PR_GET_NAME");
	CHECK(SC(RVSYS_prctl, 22, 0, 0, 0, 0, 0) == -EINVAL, "PR_SET_SECCOMP refused");
	CHECK(SC(RVSYS_personality, 0xffffffff, 0, 0, 0, 0, 0) == 0, "personality");
	CHECK(SC(RVSYS_riscv_flush_icache, 0x1000, 0x2000, 0, 0, 0, 0) == 0 &&
	      flushed_start == 0x1000 && flushed_len == 0x1000, "flush_icache");
	CHECK(SC(RVSYS_riscv_flush_icache, 0, 0, 2, 0, 0, 0) == -EINVAL, "flush_icache flags");
	int64_t pairs[6] = { 4, 0, 3, 0, 12345, 7 };   /* IMA_EXT_0, BASE_BEHAVIOR, unknown */
	uint64_t pg = galloc(pairs, sizeof(pairs));
	CHECK(SC(RVSYS_riscv_hwprobe, pg, 3, 0, 0, 0, 0) == 0, "hwprobe");
	int64_t *po = host(pg);
	CHECK(po[0] == 4 && (po[1] & 3) == 3 && po[2] == 3 && po[3] == 1 && po[4] == -1 && po[5] == 0,
	      "hwprobe answers %lld %lld %lld %lld", (long long)po[1], (long long)po[3],
	      (long long)po[4], (long long)po[5]);
	CHECK(SC(RVSYS_riscv_hwprobe, pg, 3, 0, 0, 1, 0) == -EINVAL, "hwprobe flags");
	CHECK(SC(RVSYS_riscv_hwprobe, G_BASE + G_SIZE - 8, 1, 0, 0, 0, 0) == -EFAULT, "hwprobe EFAULT");
	uint64_t si = galloc(NULL, 112);
	CHECK(SC(RVSYS_sysinfo, si, 0, 0, 0, 0, 0) == 0 && ((int64_t *)host(si))[0] > 0, "sysinfo uptime");
	CHECK(SC(RVSYS_sched_getaffinity, 0, 128, galloc(NULL, 128), 0, 0, 0) > 0, "getaffinity");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s TMPDIR EXE\n", argv[0]);
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	if (fake_uproc_init(argv[2]))
		return 2;

	test_stat();
	test_open_rw();
	test_dir_calls();
	test_sysroot();
	test_pipe_poll_epoll();
	test_dup();
	test_sockets();
	test_misc();
	test_procfs();
	printf("%s: %d failure(s)\n", argv[0], failures);
	return failures ? 1 : 0;
}

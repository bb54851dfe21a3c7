/*
 * File and directory system calls from a riscv64 guest: argv[1] is a
 * scratch directory on the host.  Exercises open flags, plain and vectored
 * I/O, seeking, truncation, the *at family, directory listing, links,
 * modes, times, the working directory, and the in-kernel copy calls.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "check.h"

static int dfd;

static void io(void)
{
	char buf[64] = { 0 };
	int fd = openat(dfd, "data", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0, "openat O_CREAT");
	CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "O_CLOEXEC applied");
	CHECK(write(fd, "0123456789", 10) == 10, "write");
	struct iovec wv[2] = { { "abc", 3 }, { "defg", 4 } };
	CHECK(writev(fd, wv, 2) == 7, "writev");
	CHECK(pwrite(fd, "XY", 2, 1) == 2, "pwrite");
	CHECK(lseek(fd, 0, SEEK_CUR) == 17, "lseek SEEK_CUR");
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek SEEK_SET");
	CHECK(read(fd, buf, sizeof(buf)) == 17 && !memcmp(buf, "0XY3456789abcdefg", 17), "read");
	char a[4] = { 0 }, b[5] = { 0 };
	struct iovec rv[2] = { { a, 3 }, { b, 4 } };
	CHECK(preadv(fd, rv, 2, 10) == 7 && !strcmp(a, "abc") && !strcmp(b, "defg"), "preadv");
	CHECK(pread(fd, buf, 4, 13) == 4 && !memcmp(buf, "defg", 4), "pread");
	CHECK(pwritev(fd, wv, 2, 20) == 7, "pwritev");
	CHECK(lseek(fd, 0, SEEK_END) == 27, "lseek SEEK_END after pwritev hole");
	CHECK(ftruncate(fd, 5) == 0 && lseek(fd, 0, SEEK_END) == 5, "ftruncate");
	CHECK(fallocate(fd, 0, 0, 8192) == 0 || errno == EOPNOTSUPP, "fallocate");
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync");
	CHECK(flock(fd, LOCK_EX | LOCK_NB) == 0 && flock(fd, LOCK_UN) == 0, "flock");
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	CHECK(fcntl(fd, F_SETLK, &fl) == 0, "F_SETLK");
	fl.l_type = F_WRLCK;   /* our own lock never conflicts: F_UNLCK back */
	CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK, "F_GETLK");
	int fl2 = fcntl(fd, F_GETFL);
	CHECK((fl2 & O_ACCMODE) == O_RDWR, "F_GETFL access mode");
	CHECK(fcntl(fd, F_SETFL, fl2 | O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND), "F_SETFL O_APPEND");
	close(fd);
	CHECK(read(fd, buf, 1) == -1 && errno == EBADF, "closed fd gives EBADF");
	CHECK(openat(dfd, "missing", O_RDONLY) == -1 && errno == ENOENT, "ENOENT");
	CHECK(openat(dfd, "data", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "O_DIRECTORY");
	CHECK(openat(dfd, "data", O_RDWR | O_CREAT | O_EXCL, 0644) == -1 && errno == EEXIST, "O_EXCL");
	OK("io");
}

static void names(void)
{
	char buf[256];
	struct stat st;

	CHECK(mkdirat(dfd, "sub", 0750) == 0, "mkdirat");
	CHECK(fstatat(dfd, "sub", &st, 0) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0750, "dir mode");
	CHECK(symlinkat("../data", dfd, "sub/link") == 0, "symlinkat");
	ssize_t n = readlinkat(dfd, "sub/link", buf, sizeof(buf));
	CHECK(n == 7 && !memcmp(buf, "../data", 7), "readlinkat");
	CHECK(fstatat(dfd, "sub/link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode), "lstat link");
	struct stat data;
	CHECK(fstatat(dfd, "data", &data, 0) == 0, "stat data");
	CHECK(fstatat(dfd, "sub/link", &st, 0) == 0 && S_ISREG(st.st_mode) && st.st_ino == data.st_ino,
	      "stat via link");
	CHECK(linkat(dfd, "data", dfd, "hard", 0) == 0, "linkat");
	CHECK(fstatat(dfd, "data", &st, 0) == 0 && st.st_nlink == 2, "nlink 2");
	CHECK(renameat(dfd, "hard", dfd, "sub/hard2") == 0, "renameat");
	CHECK(renameat2(dfd, "sub/hard2", dfd, "data", RENAME_NOREPLACE) == -1 && errno == EEXIST,
	      "renameat2 NOREPLACE");
	CHECK(faccessat(dfd, "data", R_OK | W_OK, 0) == 0, "faccessat");
	CHECK(faccessat(dfd, "nope", F_OK, 0) == -1 && errno == ENOENT, "faccessat ENOENT");
	CHECK(fchmodat(dfd, "data", 0600, 0) == 0 && fstatat(dfd, "data", &st, 0) == 0 &&
	      (st.st_mode & 0777) == 0600, "fchmodat");
	struct timespec ts[2] = { { 1000000000, 5 }, { 1234567890, 123456789 } };
	CHECK(utimensat(dfd, "data", ts, 0) == 0, "utimensat");
	CHECK(fstatat(dfd, "data", &st, 0) == 0 && st.st_mtim.tv_sec == 1234567890 &&
	      st.st_mtim.tv_nsec == 123456789 && st.st_atim.tv_sec == 1000000000, "times set");
	int fd = openat(dfd, "data", O_RDONLY);
	CHECK(fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640, "fchmod/fstat");
	CHECK(fchown(fd, getuid(), getgid()) == 0, "fchown to self");
	close(fd);

	/* directory listing through getdents64 */
	DIR *d = fdopendir(openat(dfd, "sub", O_RDONLY | O_DIRECTORY));
	int seen = 0;
	struct dirent *e;
	CHECK(d != NULL, "fdopendir");
	while (d && (e = readdir(d)))
		seen |= !strcmp(e->d_name, "link") ? 1 : !strcmp(e->d_name, "hard2") ? 2 :
			!strcmp(e->d_name, ".") ? 4 : 0;
	CHECK(seen == 7, "readdir entries");
	if (d)
		closedir(d);

	CHECK(unlinkat(dfd, "sub/link", 0) == 0 && unlinkat(dfd, "sub/hard2", 0) == 0, "unlinkat");
	CHECK(unlinkat(dfd, "sub", AT_REMOVEDIR) == 0, "rmdir");
	CHECK(unlinkat(dfd, "sub", AT_REMOVEDIR) == -1 && errno == ENOENT, "rmdir twice");
	OK("names");
}

/* Extended attributes: user.* may be unsupported by the file system, which
 * must then be reported as ENOTSUP (not ENOSYS: the call got through). */
static void xattrs(void)
{
	char val[32] = { 0 }, list[256] = { 0 };
	int fd = openat(dfd, "xattr-file", O_RDWR | O_CREAT, 0644);

	CHECK(fd >= 0, "create xattr-file");
	if (fsetxattr(fd, "user.popek", "value-1", 7, 0) != 0) {
		CHECK(errno == ENOTSUP || errno == EPERM, "fsetxattr unsupported, not ENOSYS");
		close(fd);
		OK("xattrs (unsupported here)");
		return;
	}
	CHECK(fgetxattr(fd, "user.popek", val, sizeof(val)) == 7 && !memcmp(val, "value-1", 7), "fgetxattr");
	CHECK(fgetxattr(fd, "user.popek", NULL, 0) == 7, "fgetxattr size query");
	CHECK(fgetxattr(fd, "user.popek", val, 2) == -1 && errno == ERANGE, "fgetxattr ERANGE");
	ssize_t n = flistxattr(fd, list, sizeof(list));
	CHECK(n > 0 && memmem(list, (size_t)n, "user.popek", 11), "flistxattr");
	CHECK(fremovexattr(fd, "user.popek") == 0, "fremovexattr");
	CHECK(fgetxattr(fd, "user.popek", val, sizeof(val)) == -1 && errno == ENODATA, "removed");
	close(fd);
	OK("xattrs");
}

static void cwd(const char *dir)
{
	char buf[4096], real[4096];

	CHECK(realpath(dir, real) != NULL, "realpath");
	CHECK(chdir(dir) == 0, "chdir");
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, real), "getcwd after chdir");
	CHECK(getcwd(buf, 2) == NULL && errno == ERANGE, "getcwd ERANGE");
	CHECK(truncate("data", 2) == 0, "truncate");
	CHECK(chdir("/") == 0 && fchdir(dfd) == 0, "fchdir");
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, real), "getcwd after fchdir");
	mode_t old = umask(027);
	CHECK(umask(old) == 027, "umask");
	struct statfs sfs;
	CHECK(statfs(".", &sfs) == 0 && sfs.f_bsize > 0 && sfs.f_blocks > 0, "statfs");
	CHECK(fstatfs(dfd, &sfs) == 0 && sfs.f_namelen > 0, "fstatfs");
	OK("cwd");
}

static void copies(void)
{
	char buf[32] = { 0 };
	int src = openat(dfd, "src", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int dst = openat(dfd, "dst", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK(write(src, "copy me please", 14) == 14, "write src");
	off_t off = 5;
	CHECK(sendfile(dst, src, &off, 9) == 9 && off == 14, "sendfile");
	CHECK(pread(dst, buf, sizeof(buf), 0) == 9 && !memcmp(buf, "me please", 9), "sendfile data");
	loff_t in = 0, out = 9;
	CHECK(copy_file_range(src, &in, dst, &out, 4, 0) == 4 && in == 4, "copy_file_range");
	CHECK(pread(dst, buf, sizeof(buf), 0) == 13 && !memcmp(buf, "me pleasecopy", 13), "copy data");

	int mfd = memfd_create("popek-test", MFD_CLOEXEC);
	CHECK(mfd >= 0 && write(mfd, "memfd", 5) == 5, "memfd_create");
	char *m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, mfd, 0);
	CHECK(m != MAP_FAILED && !memcmp(m, "memfd", 5), "mmap memfd");
	int p[2];
	CHECK(pipe(p) == 0, "pipe");
	CHECK(splice(src, &(loff_t){ 0 }, p[1], NULL, 4, 0) == 4, "splice file->pipe");
	CHECK(read(p[0], buf, 4) == 4 && !memcmp(buf, "copy", 4), "splice data");
	int hi = dup2(src, 100);
	CHECK(hi == 100, "dup2 100");
	CHECK(close_range(100, 100, 0) == 0 && fcntl(100, F_GETFD) == -1, "close_range");
	close(p[0]); close(p[1]); close(mfd); close(src); close(dst);
	OK("copies");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: files DIR\n");
		return 2;
	}
	dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open scratch dir");
	io();
	names();
	xattrs();
	cwd(argv[1]);
	copies();
	return check_done();
}

/*
 * File and directory system calls inside a scratch directory given as
 * argv[1]: create, write, read, seek, pread/pwrite, truncate, rename,
 * unlink, mkdir/rmdir, readdir (printed sorted), stat sizes and types,
 * symlinks, dup and O_APPEND.  Prints only what is the same on every host:
 * sizes, names, return values and errno names, never inode numbers or times.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(expr) check((expr), #expr, __LINE__)

static long check(long r, const char *what, int line)
{
	if (r < 0)
		printf("line %d: %s -> -1 errno=%s\n", line, what, strerrorname_np(errno));
	return r;
}

/* Print a call's result and, when it failed, the errno name (sequenced
 * explicitly: the order of printf's argument evaluation is unspecified). */
static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: %ld errno=%s\n", what, r, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		printf("opendir %s failed: %s\n", path, strerrorname_np(errno));
		return;
	}
	char *names[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_name);
	printf("dir:");
	for (int i = 0; i < n; i++) {
		struct stat st;
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (lstat(full, &st) == 0) {
			char kind = S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ? 'l' : 'f';
			/* directory sizes depend on the host file system: not printed */
			printf(" %s(%c%lld)", names[i], kind,
			       kind == 'd' ? 0LL : (long long)st.st_size);
		}
		free(names[i]);
	}
	printf("\n");
}

static void read_write(void)
{
	int fd = CHECK(open("data.bin", O_CREAT | O_RDWR | O_TRUNC, 0644));
	char buf[10000];
	for (int i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i % 251);
	printf("write %ld\n", CHECK(write(fd, buf, sizeof(buf))));
	printf("lseek end %ld\n", CHECK(lseek(fd, 0, SEEK_END)));
	printf("lseek set %ld\n", CHECK(lseek(fd, 1234, SEEK_SET)));
	char in[100];
	long n = CHECK(read(fd, in, sizeof(in)));
	printf("read %ld first=%d\n", n, (unsigned char)in[0]);
	printf("lseek cur %ld\n", CHECK(lseek(fd, -34, SEEK_CUR)));
	printf("pwrite %ld\n", CHECK(pwrite(fd, "HELLO", 5, 20000)));   /* makes a hole */
	n = CHECK(pread(fd, in, 5, 20000));
	printf("pread %ld [%.5s]\n", n, in);
	n = CHECK(pread(fd, in, 1, 15000));
	printf("pread hole %ld byte=%d\n", n, (unsigned char)in[0]);
	printf("pread eof %ld\n", CHECK(pread(fd, in, 10, 30000)));
	struct stat st;
	CHECK(fstat(fd, &st));
	printf("fstat size=%lld reg=%d mode=%o\n", (long long)st.st_size, S_ISREG(st.st_mode),
	       st.st_mode & 0777);
	CHECK(ftruncate(fd, 777));
	CHECK(fstat(fd, &st));
	printf("truncated size=%lld\n", (long long)st.st_size);
	struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	CHECK(lseek(fd, 0, SEEK_SET));
	printf("writev %ld\n", CHECK(writev(fd, iov, 3)));
	char x[3], y[5];
	struct iovec riov[2] = { { x, 3 }, { y, 5 } };
	CHECK(lseek(fd, 0, SEEK_SET));
	n = CHECK(readv(fd, riov, 2));
	printf("readv %ld [%.3s][%.5s]\n", n, x, y);
	CHECK(close(fd));
}

static void append_and_dup(void)
{
	int fd = CHECK(open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0600));
	CHECK(write(fd, "one\n", 4));
	int fd2 = CHECK(dup(fd));
	CHECK(lseek(fd2, 0, SEEK_SET));
	CHECK(write(fd2, "two\n", 4));              /* O_APPEND: still goes to the end */
	int fd3 = CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 50));
	long fl = CHECK(fcntl(fd3, F_GETFD));
	printf("dupfd>=50 %d cloexec=%d\n", fd3 >= 50, (int)(fl & FD_CLOEXEC));
	CHECK(close(fd));
	CHECK(close(fd2));
	CHECK(close(fd3));
	FILE *f = fopen("log.txt", "r");
	char line[64];
	while (f && fgets(line, sizeof(line), f))
		printf("log: %s", line);
	if (f)
		fclose(f);
}

static void names_and_dirs(void)
{
	CHECK(mkdir("sub", 0755));
	CHECK(mkdir("sub/inner", 0700));
	show("mkdir again", mkdir("sub", 0755));
	CHECK(rename("log.txt", "sub/moved.txt"));
	CHECK(symlink("moved.txt", "sub/link"));
	char target[64] = { 0 };
	long n = CHECK(readlink("sub/link", target, sizeof(target) - 1));
	printf("readlink %ld [%s]\n", n, target);
	struct stat st;
	CHECK(stat("sub/link", &st));
	printf("stat through link size=%lld\n", (long long)st.st_size);
	list_dir(".");
	list_dir("sub");
	show("open missing", open("nope/x", O_RDONLY));
	show("rmdir nonempty", rmdir("sub"));
	show("unlink dir", unlink("sub"));
	CHECK(unlink("sub/link"));
	CHECK(unlink("sub/moved.txt"));
	CHECK(rmdir("sub/inner"));
	CHECK(rmdir("sub"));
	int dfd = CHECK(open(".", O_RDONLY | O_DIRECTORY));
	int fd = CHECK(openat(dfd, "at.txt", O_CREAT | O_WRONLY | O_EXCL, 0640));
	show("openat excl again", openat(dfd, "at.txt", O_CREAT | O_WRONLY | O_EXCL, 0640));
	CHECK(close(fd));
	CHECK(fstatat(dfd, "at.txt", &st, 0));
	printf("fstatat size=%lld\n", (long long)st.st_size);
	CHECK(renameat(dfd, "at.txt", dfd, "at2.txt"));
	show("faccessat exists", faccessat(dfd, "at2.txt", R_OK, 0));
	show("faccessat missing", faccessat(dfd, "at.txt", F_OK, 0));
	CHECK(unlinkat(dfd, "at2.txt", 0));
	CHECK(close(dfd));
	list_dir(".");
	char cwd[4096];
	printf("getcwd ends with dir: %d\n", getcwd(cwd, sizeof(cwd)) != NULL);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || chdir(argv[1]) != 0) {
		printf("usage: file_io SCRATCH_DIR\n");
		return 2;
	}
	read_write();
	append_and_dup();
	names_and_dirs();
	unlink("data.bin");
	list_dir(".");
	return 0;
}

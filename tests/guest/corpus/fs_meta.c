/*
 * File metadata and the less common file system calls, whose structures
 * differ between x86-64 and riscv64 (struct stat, statx, statfs, flock,
 * siginfo for waitid) or which move data inside the kernel (sendfile,
 * copy_file_range, splice): timestamps set with utimensat and read back,
 * link counts, modes under a umask, FIFOs, record locks, renameat2 flags,
 * O_TMPFILE with linkat, fallocate, inotify events, waitid.  argv[1] is a
 * scratch directory; only host-independent facts are printed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: %ld errno=%s\n", what, r, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void write_file(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0666);
	write(fd, text, strlen(text));
	close(fd);
}

static void stat_fields(void)
{
	umask(022);
	write_file("a.txt", "0123456789");
	struct stat st;
	stat("a.txt", &st);
	printf("stat: size %lld mode %o nlink %lu regular %d\n", (long long)st.st_size,
	       st.st_mode & 07777, (unsigned long)st.st_nlink, S_ISREG(st.st_mode));
	show("link", link("a.txt", "b.txt"));
	stat("a.txt", &st);
	struct stat st2;
	stat("b.txt", &st2);
	printf("hard link: nlink %lu same inode %d\n", (unsigned long)st.st_nlink,
	       st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	struct timespec times[2] = { { 1000000000, 123456789 }, { 1234567890, 987654321 } };
	show("utimensat", utimensat(AT_FDCWD, "a.txt", times, 0));
	stat("a.txt", &st);
	printf("times: atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 42, 0 } };
	utimensat(AT_FDCWD, "a.txt", omit, 0);
	stat("a.txt", &st);
	printf("utime omit: atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec,
	       (long long)st.st_mtim.tv_sec);
	show("chmod 0741", chmod("a.txt", 0741));
	stat("a.txt", &st);
	printf("mode now %o\n", st.st_mode & 07777);
	show("access X_OK", access("a.txt", X_OK));
	show("truncate", truncate("a.txt", 3));
	struct statx sx;
	show("statx", statx(AT_FDCWD, "a.txt", 0, STATX_SIZE | STATX_MODE | STATX_NLINK, &sx));
	printf("statx: size %llu mode %o nlink %u has-size %d\n", (unsigned long long)sx.stx_size,
	       sx.stx_mode & 07777, sx.stx_nlink, !!(sx.stx_mask & STATX_SIZE));
	struct statfs fs1, fs2;
	statfs(".", &fs1);
	int dfd = open(".", O_RDONLY);
	fstatfs(dfd, &fs2);
	close(dfd);
	printf("statfs: same type %d bsize>0 %d\n", fs1.f_type == fs2.f_type, fs1.f_bsize > 0);
	show("mkfifo", mkfifo("fifo", 0600));
	lstat("fifo", &st);
	printf("fifo: %d\n", S_ISFIFO(st.st_mode));
	show("symlink", symlink("a.txt", "sym"));
	lstat("sym", &st);
	printf("lstat symlink: %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
	char real[4096];
	printf("realpath ends with a.txt: %d\n",
	       realpath("sym", real) && strlen(real) > 5 && !strcmp(real + strlen(real) - 5, "a.txt"));
}

static void renames_and_tmpfile(void)
{
	write_file("x", "X");
	write_file("y", "Y");
	show("renameat2 noreplace", renameat2(AT_FDCWD, "x", AT_FDCWD, "y", RENAME_NOREPLACE));
	show("renameat2 exchange", renameat2(AT_FDCWD, "x", AT_FDCWD, "y", RENAME_EXCHANGE));
	char c = 0;
	int fd = open("x", O_RDONLY);
	read(fd, &c, 1);
	close(fd);
	printf("x now holds %c\n", c);
	fd = open(".", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0) {
		printf("O_TMPFILE unsupported here\n");
		return;
	}
	write(fd, "tmp", 3);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	show("linkat tmpfile", linkat(AT_FDCWD, proc, AT_FDCWD, "from-tmp", AT_SYMLINK_FOLLOW));
	show("fallocate", fallocate(fd, 0, 0, 8192));
	struct stat st;
	fstat(fd, &st);
	printf("after fallocate size %lld\n", (long long)st.st_size);
	close(fd);
}

static void locks(void)
{
	int fd = open("lock", O_CREAT | O_RDWR, 0600);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
	show("F_SETLK", fcntl(fd, F_SETLK, &fl));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int cfd = open("lock", O_RDWR);
		struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };
		fcntl(cfd, F_GETLK, &q);
		/* report what the child saw through its exit status */
		_exit(q.l_type == F_WRLCK && q.l_start == 10 && q.l_len == 20 && q.l_pid == getppid()
		      ? 0 : 1);
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	show("waitid", waitid(P_PID, (id_t)pid, &si, WEXITED));
	printf("child saw the lock: %d, si_code is CLD_EXITED: %d\n", si.si_status == 0,
	       si.si_code == CLD_EXITED);
	show("flock", flock(fd, LOCK_EX | LOCK_NB));
	show("flock unlock", flock(fd, LOCK_UN));
	close(fd);
}

static void kernel_copies(void)
{
	write_file("src", "sendfile and friends move data in the kernel\n");
	int in = open("src", O_RDONLY), out = open("dst", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	off_t off = 9;
	show("sendfile", sendfile(out, in, &off, 10));
	printf("sendfile offset now %lld\n", (long long)off);
	loff_t ioff = 0, ooff = 10;
	show("copy_file_range", copy_file_range(in, &ioff, out, &ooff, 8, 0));
	int p[2];
	pipe(p);
	lseek(in, 0, SEEK_SET);
	show("splice to pipe", splice(in, NULL, p[1], NULL, 5, 0));
	char buf[16] = { 0 };
	read(p[0], buf, sizeof(buf) - 1);
	printf("spliced [%s]\n", buf);
	close(p[0]);
	close(p[1]);
	close(in);
	close(out);
	in = open("dst", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	read(in, buf, 15);
	close(in);
	printf("dst starts [%.15s]\n", buf);
}

static void notify(void)
{
	int in = inotify_init1(IN_NONBLOCK);
	int wd = inotify_add_watch(in, ".", IN_CREATE | IN_DELETE);
	printf("inotify watch: %d\n", wd > 0);
	write_file("watched", "w");
	unlink("watched");
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n = read(in, buf, sizeof(buf));
	for (char *p = buf; n > 0 && p < buf + n;) {
		struct inotify_event *ev = (struct inotify_event *)p;
		const char *kind = ev->mask & IN_CREATE ? "create" :
				   ev->mask & IN_DELETE ? "delete" : "other";
		printf("event %s %s\n", kind, ev->len ? ev->name : "");
		p += sizeof(*ev) + ev->len;
	}
	close(in);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || chdir(argv[1]) != 0) {
		printf("usage: fs_meta SCRATCH_DIR\n");
		return 2;
	}
	stat_fields();
	renames_and_tmpfile();
	locks();
	kernel_copies();
	notify();
	return 0;
}

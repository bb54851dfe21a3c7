/*
 * Prints what stat, lstat, fstat and statx say about each path argument as
 * "call path field=value ..." lines; the test compares them with Python's
 * os.stat()/os.lstat() of the same paths on the host.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static void print_stat(const char *call, const char *path, int r, const struct stat *st)
{
	if (r) {
		printf("%s %s error\n", call, path);
		return;
	}
	printf("%s %s dev=%llu ino=%llu mode=%o nlink=%llu uid=%u gid=%u rdev=%llu size=%lld "
	       "blksize=%ld blocks=%lld atime=%lld.%09ld mtime=%lld.%09ld ctime=%lld.%09ld\n",
	       call, path, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	       st->st_mode, (unsigned long long)st->st_nlink, st->st_uid, st->st_gid,
	       (unsigned long long)st->st_rdev, (long long)st->st_size, (long)st->st_blksize,
	       (long long)st->st_blocks, (long long)st->st_atim.tv_sec, st->st_atim.tv_nsec,
	       (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	       (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static void print_statx(const char *path)
{
	struct statx sx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx)) {
		printf("statx %s error\n", path);
		return;
	}
	printf("statx %s ino=%llu mode=%o nlink=%u uid=%u size=%llu mtime=%lld.%09u "
	       "dev=%u:%u\n", path, (unsigned long long)sx.stx_ino, sx.stx_mode, sx.stx_nlink,
	       sx.stx_uid, (unsigned long long)sx.stx_size, (long long)sx.stx_mtime.tv_sec,
	       sx.stx_mtime.tv_nsec, sx.stx_dev_major, sx.stx_dev_minor);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int fd;

		print_stat("stat", argv[i], stat(argv[i], &st), &st);
		print_stat("lstat", argv[i], lstat(argv[i], &st), &st);
		fd = open(argv[i], O_RDONLY | O_PATH | O_NOFOLLOW);
		print_stat("fstat", argv[i], fd < 0 ? -1 : fstat(fd, &st), &st);
		if (fd >= 0)
			close(fd);
		print_statx(argv[i]);
	}
	return 0;
}

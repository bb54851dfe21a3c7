/*
 * Raw disk image backend: open with an exclusive OFD lock, vectored
 * positional I/O, flush, discard and write-zeroes.  See disk_raw.h.
 */
#include "backends/disk_raw.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* OFD locks belong to the open file description, not the process, so they
 * also keep two disks of one VM apart, and vanish when the fd is closed. */
static int lock_image(int fd, bool readonly)
{
	struct flock fl = {
		.l_type = readonly ? F_RDLCK : F_WRLCK,
		.l_whence = SEEK_SET, .l_start = 0, .l_len = 0,
	};
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	/* Conflicting lock: say "busy" so the caller can name the cause. */
	return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
}

/* Punching a hole past the end of the file changes nothing but tells us
 * whether the file system supports it. */
static bool probe_punch_hole(int fd, uint64_t size)
{
	return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)size, 4096) == 0;
}

int disk_raw_open(struct disk_raw *d, const char *path, bool readonly)
{
	memset(d, 0, sizeof(*d));
	d->fd = -1;
	int fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int err = lock_image(fd, readonly);
	if (err)
		goto fail;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;   /* block devices would need BLKGETSIZE64: later */
		goto fail;
	}
	d->fd = fd;
	d->size = (uint64_t)st.st_size;
	d->readonly = readonly;
	d->can_punch_hole = !readonly && probe_punch_hole(fd, d->size);
	return 0;
fail:
	close(fd);
	return err;
}

void disk_raw_close(struct disk_raw *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* Advance an iovec array past n bytes already transferred. */
static int iov_advance(struct iovec *iov, int cnt, size_t n, int *first)
{
	while (*first < cnt && n >= iov[*first].iov_len) {
		n -= iov[*first].iov_len;
		(*first)++;
	}
	if (*first < cnt) {
		iov[*first].iov_base = (uint8_t *)iov[*first].iov_base + n;
		iov[*first].iov_len -= n;
	}
	return cnt - *first;
}

static ssize_t rw_all(struct disk_raw *d, const struct iovec *iov_in, int n, uint64_t off, bool write)
{
	struct iovec iov[IOV_MAX];
	if (n < 0 || n > IOV_MAX)
		return -EINVAL;
	memcpy(iov, iov_in, sizeof(*iov) * (size_t)n);
	ssize_t total = 0;
	int first = 0;
	while (first < n) {
		int left = n - first;
		ssize_t r = write ? pwritev(d->fd, iov + first, left, (off_t)off)
				  : preadv(d->fd, iov + first, left, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0) {
			if (write)
				return -EIO;
			/* Reading past the end of a file that shrank: zeroes. */
			for (int i = first; i < n; i++)
				memset(iov[i].iov_base, 0, iov[i].iov_len);
			return total;
		}
		total += r;
		off += (uint64_t)r;
		iov_advance(iov, n, (size_t)r, &first);
	}
	return total;
}

ssize_t disk_raw_preadv(struct disk_raw *d, const struct iovec *iov, int n, uint64_t off)
{
	return rw_all(d, iov, n, off, false);
}

ssize_t disk_raw_pwritev(struct disk_raw *d, const struct iovec *iov, int n, uint64_t off)
{
	if (d->readonly)
		return -EROFS;
	return rw_all(d, iov, n, off, true);
}

int disk_raw_flush(struct disk_raw *d)
{
	if (d->readonly)
		return 0;
	return fdatasync(d->fd) < 0 ? -errno : 0;
}

static bool range_ok(const struct disk_raw *d, uint64_t off, uint64_t len)
{
	return off <= d->size && len <= d->size - off;
}

int disk_raw_discard(struct disk_raw *d, uint64_t off, uint64_t len)
{
	if (d->readonly)
		return -EROFS;
	if (!range_ok(d, off, len))
		return -EINVAL;
	if (!d->can_punch_hole)
		return -EOPNOTSUPP;
	if (fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len) < 0)
		return -errno;
	return 0;
}

/* Fallback when the file system has no zero-range: write a zero buffer. */
static int write_zero_buffers(struct disk_raw *d, uint64_t off, uint64_t len)
{
	static const uint8_t zeroes[65536];
	while (len) {
		size_t chunk = len < sizeof(zeroes) ? (size_t)len : sizeof(zeroes);
		ssize_t r = pwrite(d->fd, zeroes, chunk, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		off += (uint64_t)r;
		len -= (uint64_t)r;
	}
	return 0;
}

int disk_raw_write_zeroes(struct disk_raw *d, uint64_t off, uint64_t len, bool may_unmap)
{
	if (d->readonly)
		return -EROFS;
	if (!range_ok(d, off, len))
		return -EINVAL;
	if (fallocate(d->fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len) == 0)
		return 0;
	if (may_unmap && d->can_punch_hole &&
	    fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off, (off_t)len) == 0)
		return 0;
	return write_zero_buffers(d, off, len);
}

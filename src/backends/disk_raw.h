/*
 * Raw disk image backend: a host file used byte for byte as the guest disk.
 *
 * Opening takes an OFD lock on the whole file: a write lock for read-write
 * disks, a read lock for read-only ones, so two VMs (or two disks of one
 * VM) can never write one image, while several read-only users may share it.
 * A second conflicting open fails with -EBUSY; the caller reports it
 * ("image is in use by another VM"), the backend never prints.
 *
 * All calls return bytes done or 0 on success, -errno on failure.
 */
#ifndef POPEK_BACKENDS_DISK_RAW_H
#define POPEK_BACKENDS_DISK_RAW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct disk_raw {
	int fd;
	uint64_t size;            /* bytes */
	bool readonly;
	bool can_punch_hole;      /* discard deallocates */
};

int disk_raw_open(struct disk_raw *d, const char *path, bool readonly);
void disk_raw_close(struct disk_raw *d);

/* Whole-vector I/O at byte offset off; short transfers are retried, so a
 * successful return always covers the whole vector. */
ssize_t disk_raw_preadv(struct disk_raw *d, const struct iovec *iov, int n, uint64_t off);
ssize_t disk_raw_pwritev(struct disk_raw *d, const struct iovec *iov, int n, uint64_t off);
int disk_raw_flush(struct disk_raw *d);
/* Deallocate [off, off+len) (reads back as zeroes); -EOPNOTSUPP if the
 * host file system cannot. */
int disk_raw_discard(struct disk_raw *d, uint64_t off, uint64_t len);
/* Make [off, off+len) read as zeroes; may deallocate when may_unmap. */
int disk_raw_write_zeroes(struct disk_raw *d, uint64_t off, uint64_t len, bool may_unmap);

#endif

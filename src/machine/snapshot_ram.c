/*
 * The memory file of a snapshot: guest RAM, sparse and compressed.
 *
 * Layout (little-endian):
 *   header  magic "POPEKMEM", version, page size, RAM size, snapshot id,
 *           number of pages present, CRC-32 of the header before it
 *   body    one zstd frame with its content checksum, holding the page
 *           bitmap (bit p set: page p is present) followed by the present
 *           pages in ascending order
 * Pages that are all zero are not written: a freshly booted guest leaves
 * most of its RAM untouched, and the restored machine's RAM starts zeroed.
 *
 * Loading streams the frame straight into guest RAM, so a corrupt body is
 * noticed (by zstd's checksum) only after some pages were written; the
 * machine being restored has not run and is discarded on any error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "machine/snapshot.h"
#include "machine/snapshot_format.h"
#include "vm/memory.h"

#define RAM_MAGIC "POPEKMEM"
#define RAM_VERSION 1
#define PAGE 4096u
#define IO_CHUNK (256u * 1024)
#define ZSTD_LEVEL 1   /* RAM is large and mostly compressible: favour speed */

struct ram_header {
	char magic[8];
	uint32_t version;
	uint32_t page_size;
	uint64_t ram_size;
	uint64_t id;
	uint64_t npresent;
	uint32_t crc;       /* over the bytes above */
	uint32_t reserved;
};

/* A stream of compressed output going to a file. */
struct ram_writer {
	int fd;
	ZSTD_CCtx *cctx;
	uint8_t *buf;
	int error;   /* first -errno */
};

int snap_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static bool page_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;
	for (unsigned i = 0; i < PAGE / 8; i++)
		if (w[i])
			return false;
	return true;
}

static void put(struct ram_writer *w, const void *src, size_t len, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { src, len, 0 };
	size_t left;
	do {
		ZSTD_outBuffer out = { w->buf, IO_CHUNK, 0 };
		left = ZSTD_compressStream2(w->cctx, &out, &in, mode);
		if (ZSTD_isError(left)) {
			w->error = -EIO;
			return;
		}
		int ret = snap_write_all(w->fd, w->buf, out.pos);
		if (ret < 0) {
			w->error = ret;
			return;
		}
	} while (mode == ZSTD_e_end ? left != 0 : in.pos < in.size);
}

static ZSTD_CCtx *make_cctx(void)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	if (!c)
		return NULL;
	ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, ZSTD_LEVEL);
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	/* Optional: a libzstd built without threads refuses, and that is fine. */
	ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers, 2);
	return c;
}

static uint64_t build_bitmap(const struct guest_mem *mem, uint8_t *bitmap)
{
	uint64_t npages = mem->size / PAGE, present = 0;
	for (uint64_t p = 0; p < npages; p++) {
		if (!page_is_zero(mem->host + p * PAGE)) {
			bitmap[p / 8] |= (uint8_t)(1u << (p % 8));
			present++;
		}
	}
	return present;
}

static int write_body(struct ram_writer *w, const struct guest_mem *mem, const uint8_t *bitmap,
		      size_t bitmap_len)
{
	uint64_t npages = mem->size / PAGE;
	put(w, bitmap, bitmap_len, ZSTD_e_continue);
	for (uint64_t p = 0; p < npages && !w->error; p++)
		if (bitmap[p / 8] & (1u << (p % 8)))
			put(w, mem->host + p * PAGE, PAGE, ZSTD_e_continue);
	if (!w->error)
		put(w, NULL, 0, ZSTD_e_end);
	return w->error;
}

int snapshot_ram_save(const struct guest_mem *mem, const char *path, uint64_t id,
		      char *err, size_t errlen)
{
	size_t bitmap_len = (size_t)((mem->size / PAGE + 7) / 8);
	uint8_t *bitmap = calloc(1, bitmap_len);
	struct ram_writer w = { .fd = -1, .cctx = make_cctx(), .buf = malloc(IO_CHUNK) };
	int ret = -ENOMEM;
	if (!bitmap || !w.cctx || !w.buf)
		goto out;
	struct ram_header h = { .magic = RAM_MAGIC, .version = RAM_VERSION, .page_size = PAGE,
				.ram_size = mem->size, .id = id };
	h.npresent = build_bitmap(mem, bitmap);
	h.crc = snapshot_crc32(0, &h, offsetof(struct ram_header, crc));
	w.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w.fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = snap_write_all(w.fd, &h, sizeof(h));
	if (ret == 0)
		ret = write_body(&w, mem, bitmap, bitmap_len);
	if (ret == 0 && fsync(w.fd) < 0)
		ret = -errno;
out:
	if (ret < 0)
		snprintf(err, errlen, "cannot write memory file '%s': %s", path, strerror(-ret));
	if (w.fd >= 0)
		close(w.fd);
	ZSTD_freeCCtx(w.cctx);
	free(w.buf);
	free(bitmap);
	return ret;
}

/* ---- loading ---- */

struct ram_reader {
	int fd;
	ZSTD_DCtx *dctx;
	uint8_t *buf;
	ZSTD_inBuffer in;
	size_t frame_left;   /* last decompressStream hint: 0 = frame complete */
};

/* Fill [dst, dst+len) from the stream.  -EBADMSG on corrupt or short data. */
static int take(struct ram_reader *r, void *dst, size_t len)
{
	ZSTD_outBuffer out = { dst, len, 0 };
	while (out.pos < out.size) {
		if (r->in.pos == r->in.size) {
			ssize_t n = read(r->fd, r->buf, IO_CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -errno : -EBADMSG;
			r->in = (ZSTD_inBuffer){ r->buf, (size_t)n, 0 };
		}
		r->frame_left = ZSTD_decompressStream(r->dctx, &out, &r->in);
		if (ZSTD_isError(r->frame_left))
			return -EBADMSG;
		if (r->frame_left == 0 && out.pos < out.size)
			return -EBADMSG;   /* the frame ended early */
	}
	return 0;
}

/* After the last page the frame must end (checksum verified) with no
 * bytes, compressed or not, left over. */
static int expect_end(struct ram_reader *r)
{
	uint8_t extra;
	if (r->frame_left != 0) {
		int ret = take(r, &extra, 1);
		if (ret == 0 || r->frame_left != 0)
			return -EBADMSG;
	}
	return r->in.pos == r->in.size && read(r->fd, &extra, 1) == 0 ? 0 : -EBADMSG;
}

static int check_header(const struct ram_header *h, const struct guest_mem *mem, uint64_t id,
			char *why, size_t whylen)
{
	if (memcmp(h->magic, RAM_MAGIC, 8) != 0 || h->version != RAM_VERSION ||
	    h->crc != snapshot_crc32(0, h, offsetof(struct ram_header, crc)))
		snprintf(why, whylen, "not a popek memory file (or corrupt header)");
	else if (h->page_size != PAGE || h->ram_size != mem->size)
		snprintf(why, whylen, "it holds %llu MiB of RAM, the snapshot %llu MiB",
			 (unsigned long long)(h->ram_size >> 20), (unsigned long long)(mem->size >> 20));
	else if (h->id != id)
		snprintf(why, whylen, "it belongs to another snapshot");
	else if (h->npresent > mem->size / PAGE)
		snprintf(why, whylen, "corrupt header");
	else
		return 0;
	return -EINVAL;
}

static uint64_t popcount_bitmap(const uint8_t *bitmap, size_t len)
{
	uint64_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += (uint64_t)__builtin_popcount(bitmap[i]);
	return n;
}

static int read_pages(struct ram_reader *r, struct guest_mem *mem, uint64_t npresent)
{
	uint64_t npages = mem->size / PAGE;
	size_t bitmap_len = (size_t)((npages + 7) / 8);
	uint8_t *bitmap = malloc(bitmap_len);
	if (!bitmap)
		return -ENOMEM;
	int ret = take(r, bitmap, bitmap_len);
	if (ret == 0 && popcount_bitmap(bitmap, bitmap_len) != npresent)
		ret = -EBADMSG;   /* also catches bits set past the last page */
	for (uint64_t p = 0; ret == 0 && p < npages; p++) {
		uint8_t *dst = mem->host + p * PAGE;
		if (bitmap[p / 8] & (1u << (p % 8)))
			ret = take(r, dst, PAGE);
		else if (!page_is_zero(dst))
			memset(dst, 0, PAGE);
	}
	free(bitmap);
	return ret ? ret : expect_end(r);
}

int snapshot_ram_load(struct guest_mem *mem, const char *path, uint64_t id,
		      char *err, size_t errlen)
{
	struct ram_header h;
	char why[128] = "";
	struct ram_reader r = { .fd = open(path, O_RDONLY | O_CLOEXEC) };
	if (r.fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open memory file '%s': %s", path, strerror(e));
		return -e;
	}
	int ret = -EBADMSG;
	if (read(r.fd, &h, sizeof(h)) != (ssize_t)sizeof(h)) {
		snprintf(why, sizeof(why), "truncated header");
		goto out;
	}
	ret = check_header(&h, mem, id, why, sizeof(why));
	if (ret < 0)
		goto out;
	r.dctx = ZSTD_createDCtx();
	r.buf = malloc(IO_CHUNK);
	ret = r.dctx && r.buf ? read_pages(&r, mem, h.npresent) : -ENOMEM;
	if (ret == -EBADMSG)
		snprintf(why, sizeof(why), "truncated or corrupt (checksum)");
out:
	if (ret < 0)
		snprintf(err, errlen, "memory file '%s': %s", path, why[0] ? why : strerror(-ret));
	ZSTD_freeDCtx(r.dctx);
	free(r.buf);
	close(r.fd);
	return ret;
}

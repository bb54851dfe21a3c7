/*
 * virtio-blk: parse each request chain, bounds-check it against the disk,
 * and run it on the raw backend.  Request-level problems (bad sector, odd
 * length, unknown type) fail just that request with a status byte;
 * structural queue problems are handled by the queue layer.  See blk.h.
 */
#include "devices/virtio/blk.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static_assert(offsetof(struct virtio_blk_config, blk_size) == 20, "virtio_blk_config layout");
static_assert(offsetof(struct virtio_blk_config, writeback) == 32, "virtio_blk_config layout");
static_assert(offsetof(struct virtio_blk_config, max_discard_sectors) == 36, "virtio_blk_config layout");
static_assert(offsetof(struct virtio_blk_config, write_zeroes_may_unmap) == 56, "virtio_blk_config layout");
static_assert(sizeof(struct virtio_blk_req_hdr) == 16, "request header");
static_assert(sizeof(struct virtio_blk_discard_wz) == 16, "discard segment");

#define SIZE_MAX_SEG (1u << 22)
#define MAX_ZERO_DISCARD_SECTORS (1u << 22)   /* 2 GiB per range */

static uint64_t nsectors(const struct virtio_blk *blk)
{
	return blk->disk->size / VIRTIO_BLK_SECTOR;
}

/* [sector, sector + bytes) lies on the disk, in whole sectors. */
static bool sectors_ok(const struct virtio_blk *blk, uint64_t sector, uint64_t bytes)
{
	return bytes % VIRTIO_BLK_SECTOR == 0 && sector <= nsectors(blk) &&
	       bytes / VIRTIO_BLK_SECTOR <= nsectors(blk) - sector;
}

static uint8_t do_read(struct virtio_blk *blk, struct virtio_blk_req *r)
{
	if (!sectors_ok(blk, r->hdr.sector, r->data_len))
		return VIRTIO_BLK_S_IOERR;
	ssize_t n = disk_raw_preadv(blk->disk, r->data, (int)r->ndata, r->hdr.sector * VIRTIO_BLK_SECTOR);
	if (n < 0)
		return VIRTIO_BLK_S_IOERR;
	r->written = (uint32_t)r->data_len;
	return VIRTIO_BLK_S_OK;
}

static uint8_t do_write(struct virtio_blk *blk, struct virtio_blk_req *r)
{
	if (blk->disk->readonly || !sectors_ok(blk, r->hdr.sector, r->data_len))
		return VIRTIO_BLK_S_IOERR;
	ssize_t n = disk_raw_pwritev(blk->disk, r->data, (int)r->ndata, r->hdr.sector * VIRTIO_BLK_SECTOR);
	return n < 0 ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

static uint8_t do_get_id(struct virtio_blk *blk, struct virtio_blk_req *r)
{
	size_t len = r->data_len < VIRTIO_BLK_ID_BYTES ? (size_t)r->data_len : VIRTIO_BLK_ID_BYTES;
	r->written = (uint32_t)iov_from_buf(r->data, r->ndata, 0, blk->serial, len);
	return VIRTIO_BLK_S_OK;
}

static uint8_t do_range(struct virtio_blk *blk, const struct virtio_blk_discard_wz *seg, bool zeroes)
{
	uint64_t bytes = (uint64_t)seg->num_sectors * VIRTIO_BLK_SECTOR;
	bool unmap = seg->flags & 1;
	if ((seg->flags & ~1u) || (!zeroes && unmap))
		return VIRTIO_BLK_S_UNSUPP;
	if (seg->num_sectors > MAX_ZERO_DISCARD_SECTORS || !sectors_ok(blk, seg->sector, bytes))
		return VIRTIO_BLK_S_IOERR;
	uint64_t off = seg->sector * VIRTIO_BLK_SECTOR;
	int err = zeroes ? disk_raw_write_zeroes(blk->disk, off, bytes, unmap)
			 : disk_raw_discard(blk->disk, off, bytes);
	return err ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* DISCARD and WRITE_ZEROES carry an array of ranges as their data. */
static uint8_t do_ranges(struct virtio_blk *blk, struct virtio_blk_req *r, bool zeroes)
{
	unsigned feature = zeroes ? VIRTIO_BLK_F_WRITE_ZEROES : VIRTIO_BLK_F_DISCARD;
	if (!virtio_has_feature(&blk->vdev, feature))
		return VIRTIO_BLK_S_UNSUPP;
	uint64_t nseg = r->data_len / sizeof(struct virtio_blk_discard_wz);
	if (r->data_len % sizeof(struct virtio_blk_discard_wz) || nseg == 0 ||
	    nseg > VIRTIO_BLK_MAX_DISCARD_SEG)
		return VIRTIO_BLK_S_IOERR;
	for (uint64_t i = 0; i < nseg; i++) {
		struct virtio_blk_discard_wz seg;
		iov_to_buf(r->data, r->ndata, i * sizeof(seg), &seg, sizeof(seg));
		uint8_t st = do_range(blk, &seg, zeroes);
		if (st != VIRTIO_BLK_S_OK)
			return st;
	}
	return VIRTIO_BLK_S_OK;
}

/* Types that move data into the guest take it from the writable part
 * (minus the status byte), the others from the readable part after the
 * header. */
static bool reads_into_guest(uint32_t type)
{
	return type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
}

static uint8_t run_request(struct virtio_blk *blk, const struct virtq_chain *c, struct virtio_blk_req *r)
{
	const struct iovec *out = c->iov, *in = c->iov + c->nout;
	if (iov_to_buf(out, c->nout, 0, &r->hdr, sizeof(r->hdr)) < sizeof(r->hdr))
		return VIRTIO_BLK_S_IOERR;
	if (reads_into_guest(r->hdr.type)) {
		r->data_len = c->in_len - 1;
		r->ndata = iov_slice(in, c->nin, 0, r->data_len, r->data, VIRTQ_MAX_SIZE);
	} else {
		r->data_len = c->out_len - sizeof(r->hdr);
		r->ndata = iov_slice(out, c->nout, sizeof(r->hdr), r->data_len, r->data, VIRTQ_MAX_SIZE);
	}
	switch (r->hdr.type) {
	case VIRTIO_BLK_T_IN:     return do_read(blk, r);
	case VIRTIO_BLK_T_OUT:    return do_write(blk, r);
	case VIRTIO_BLK_T_FLUSH:  return disk_raw_flush(blk->disk) ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID: return do_get_id(blk, r);
	case VIRTIO_BLK_T_DISCARD:      return do_ranges(blk, r, false);
	case VIRTIO_BLK_T_WRITE_ZEROES: return do_ranges(blk, r, true);
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/* Serve one chain and return the used length. */
static uint32_t serve_chain(struct virtio_blk *blk, const struct virtq_chain *c, struct virtio_blk_req *r)
{
	if (c->in_len == 0 || c->in_len > UINT32_MAX) {
		/* Nowhere to put a status byte: give the buffers back empty.
		 * Log once per device so a guest cannot flood the host log. */
		if (!blk->warned_no_status)
			fprintf(stderr, "virtio-blk: request without a status byte\n");
		blk->warned_no_status = true;
		return 0;
	}
	r->written = 0;
	uint8_t status = run_request(blk, c, r);
	iov_from_buf(c->iov + c->nout, c->nin, c->in_len - 1, &status, 1);
	return r->written + 1;
}

static void blk_queue_notify(struct virtio_device *vdev, int q)
{
	struct virtio_blk *blk = vdev->priv;
	struct virtq *vq = &vdev->vq[q];
	int served = 0;
	while (virtq_pop(vdev, vq, &blk->chain) > 0) {
		virtq_push(vdev, vq, blk->chain.head, serve_chain(blk, &blk->chain, &blk->req));
		served++;
	}
	if (served)
		virtq_notify(vdev, vq);
}

static const struct virtio_device_ops blk_ops = {
	.queue_notify = blk_queue_notify,
};

static void fill_config(struct virtio_blk *blk)
{
	struct virtio_blk_config *cfg = &blk->cfg;
	memset(cfg, 0, sizeof(*cfg));
	cfg->capacity = nsectors(blk);
	cfg->size_max = SIZE_MAX_SEG;
	cfg->seg_max = VIRTIO_BLK_QUEUE_SIZE - 2;   /* minus header and status */
	cfg->blk_size = VIRTIO_BLK_SECTOR;
	cfg->num_queues = 1;
	cfg->max_discard_sectors = MAX_ZERO_DISCARD_SECTORS;
	cfg->max_discard_seg = VIRTIO_BLK_MAX_DISCARD_SEG;
	cfg->discard_sector_alignment = 8;           /* 4 KiB: host page/fs block */
	cfg->max_write_zeroes_sectors = MAX_ZERO_DISCARD_SECTORS;
	cfg->max_write_zeroes_seg = VIRTIO_BLK_MAX_DISCARD_SEG;
	cfg->write_zeroes_may_unmap = blk->disk->can_punch_hole;
}

int virtio_blk_init(struct virtio_blk *blk, struct guest_mem *mem, struct disk_raw *disk,
		    const char *serial)
{
	if (!disk || disk->fd < 0)
		return -EINVAL;
	memset(blk, 0, sizeof(*blk));
	virtio_device_init(&blk->vdev, VIRTIO_ID_BLOCK, "blk", mem, 1, VIRTIO_BLK_QUEUE_SIZE, &blk_ops, blk);
	blk->disk = disk;
	if (serial)   /* a 20-byte serial has no NUL, as the spec allows */
		memcpy(blk->serial, serial, strnlen(serial, sizeof(blk->serial)));
	fill_config(blk);
	blk->vdev.config = &blk->cfg;
	blk->vdev.config_len = sizeof(blk->cfg);
	uint64_t f = 1ull << VIRTIO_BLK_F_SIZE_MAX | 1ull << VIRTIO_BLK_F_SEG_MAX |
		     1ull << VIRTIO_BLK_F_BLK_SIZE | 1ull << VIRTIO_BLK_F_FLUSH;
	if (disk->readonly)
		f |= 1ull << VIRTIO_BLK_F_RO;
	else
		f |= 1ull << VIRTIO_BLK_F_WRITE_ZEROES;
	if (disk->can_punch_hole)
		f |= 1ull << VIRTIO_BLK_F_DISCARD;
	blk->vdev.host_features |= f;
	return 0;
}

void virtio_blk_destroy(struct virtio_blk *blk)
{
	virtio_device_destroy(&blk->vdev);
}

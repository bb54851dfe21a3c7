/*
 * virtio-blk over a raw disk image (src/backends/disk_raw.h).
 *
 * Requests: IN, OUT, FLUSH, GET_ID, DISCARD, WRITE_ZEROES.  Each request is
 * one descriptor chain: a 16-byte header the device reads, data, and a
 * one-byte status the device writes.  Features offered: SIZE_MAX, SEG_MAX,
 * BLK_SIZE, FLUSH, WRITE_ZEROES (read-write disks), DISCARD (when the host
 * file system can punch holes), RO (read-only disks), plus the core's
 * VERSION_1, INDIRECT_DESC and EVENT_IDX.
 *
 * I/O is synchronous (preadv/pwritev over the whole chain) in the queue
 * notify path, so the vCPU that kicked waits for it.  It will move to an
 * io_uring thread; the request parsing here does not depend on that.
 */
#ifndef POPEK_DEVICES_VIRTIO_BLK_H
#define POPEK_DEVICES_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "backends/disk_raw.h"
#include "devices/virtio/virtio.h"

#define VIRTIO_BLK_F_SIZE_MAX     1
#define VIRTIO_BLK_F_SEG_MAX      2
#define VIRTIO_BLK_F_RO           5
#define VIRTIO_BLK_F_BLK_SIZE     6
#define VIRTIO_BLK_F_FLUSH        9
#define VIRTIO_BLK_F_DISCARD      13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_T_IN           0
#define VIRTIO_BLK_T_OUT          1
#define VIRTIO_BLK_T_FLUSH        4
#define VIRTIO_BLK_T_GET_ID       8
#define VIRTIO_BLK_T_DISCARD      11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES   20
#define VIRTIO_BLK_SECTOR     512
#define VIRTIO_BLK_QUEUE_SIZE 256
#define VIRTIO_BLK_MAX_DISCARD_SEG 32

/* The config space as the guest sees it (virtio 1.2, 5.2.4). */
struct virtio_blk_config {
	uint64_t capacity;              /* 512-byte sectors */
	uint32_t size_max;
	uint32_t seg_max;
	struct { uint16_t cylinders; uint8_t heads, sectors; } geometry;
	uint32_t blk_size;
	uint8_t physical_block_exp, alignment_offset;
	uint16_t min_io_size;
	uint32_t opt_io_size;
	uint8_t writeback, unused0;
	uint16_t num_queues;
	uint32_t max_discard_sectors, max_discard_seg, discard_sector_alignment;
	uint32_t max_write_zeroes_sectors, max_write_zeroes_seg;
	uint8_t write_zeroes_may_unmap, unused1[3];
};

/* The request header at the start of every chain. */
struct virtio_blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* One DISCARD / WRITE_ZEROES range. */
struct virtio_blk_discard_wz {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;                 /* bit 0: unmap */
};

/* A parsed request: where its data lives inside the chain. */
struct virtio_blk_req {
	struct virtio_blk_req_hdr hdr;
	struct iovec data[VIRTQ_MAX_SIZE];
	unsigned ndata;
	uint64_t data_len;
	uint32_t written;               /* bytes written to the guest (not status) */
};

struct virtio_blk {
	struct virtio_device vdev;
	struct disk_raw *disk;          /* not owned */
	struct virtio_blk_config cfg;
	char serial[VIRTIO_BLK_ID_BYTES];
	bool warned_no_status;
	/* Scratch for the request being served (the device lock serialises
	 * requests; too big for a vCPU thread's stack). */
	struct virtq_chain chain;
	struct virtio_blk_req req;
};

/* The disk must stay open while the device lives.  serial may be NULL. */
int virtio_blk_init(struct virtio_blk *blk, struct guest_mem *mem, struct disk_raw *disk,
		    const char *serial);
void virtio_blk_destroy(struct virtio_blk *blk);

#endif

/* Unit test: virtio-mmio transport, split queues, virtio-blk over a raw
 * image, virtio-rng, and a hostile driver: bad indexes, loops, buffers
 * outside RAM, huge lengths, avail index jumps, bad indirect tables. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "backends/disk_raw.h"
#include "devices/virtio/blk.h"
#include "unit.h"
#include "vdriver.h"

#define IMG_SIZE (1u << 20)
#define WANT_ALL (~0ull)
#define NEEDS_RESET VIRTIO_STATUS_DEVICE_NEEDS_RESET

static char img_path[256];
static struct fake_irqs irqs;
static struct irq_line line = { fake_irq_set, &irqs, 1 };

/* Buffers in guest RAM. */
#define HDR   (VD_BUF + 0x0000)
#define DATA  (VD_BUF + 0x1000)
#define STAT  (VD_BUF + 0x8000)
#define ITAB  (VD_BUF + 0x9000)   /* an indirect table */

/* What the image should hold: the pattern plus what the tests wrote. */
static uint8_t expect[IMG_SIZE];

static uint8_t pattern(uint64_t off) { return (uint8_t)(off * 13 + 7); }

static void make_image(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(img_path, sizeof(img_path), "%s/popek-blk-XXXXXX", tmp);
	int fd = mkstemp(img_path);
	static uint8_t buf[IMG_SIZE];
	for (uint64_t i = 0; i < IMG_SIZE; i++)
		buf[i] = expect[i] = pattern(i);
	CHECK_EQ(write(fd, buf, IMG_SIZE), IMG_SIZE);
	close(fd);
}


static void expect_fill(uint64_t off, const void *src, uint64_t len)
{
	memcpy(expect + off, src, len);
}

static bool image_as_expected(void)
{
	static uint8_t buf[IMG_SIZE];
	int fd = open(img_path, O_RDONLY);
	bool ok = pread(fd, buf, IMG_SIZE, 0) == IMG_SIZE;
	close(fd);
	return ok && !memcmp(buf, expect, IMG_SIZE);
}

static void put_hdr(struct vdriver *d, uint32_t type, uint64_t sector)
{
	struct virtio_blk_req_hdr h = { .type = type, .sector = sector };
	memcpy(vd_ptr(d, HDR), &h, sizeof(h));
	*(uint8_t *)vd_ptr(d, STAT) = 0xee;
}

static uint8_t status_byte(struct vdriver *d) { return *(uint8_t *)vd_ptr(d, STAT); }

/* header -> one data buffer -> status, submitted; returns the used length
 * or -1 if nothing came back. */
static int64_t simple_request(struct vdriver *d, uint32_t type, uint64_t sector, uint32_t len)
{
	bool to_guest = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
	put_hdr(d, type, sector);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	if (len) {
		vd_set_desc(d, 1, DATA, len, VIRTQ_DESC_F_NEXT | (to_guest ? VIRTQ_DESC_F_WRITE : 0), 2);
		vd_set_desc(d, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	} else {
		vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 2);
		vd_set_desc(d, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	}
	vd_submit(d, 0);
	struct virtq_used_elem *e = vd_reap(d);
	if (!e)
		return -1;
	CHECK_EQ(e->id, 0);
	return e->len;
}

static void test_transport(struct vdriver *d, struct virtio_blk *blk)
{
	CHECK_EQ(vd_rd(d, 0x000), 0x74726976);
	CHECK_EQ(vd_rd(d, 0x004), 2);
	CHECK_EQ(vd_rd(d, 0x008), VIRTIO_ID_BLOCK);
	CHECK_EQ(vd_rd(d, 0x00c), VIRTIO_MMIO_VENDOR);
	vd_wr(d, 0x030, 0);
	CHECK_EQ(vd_rd(d, 0x034), VIRTIO_BLK_QUEUE_SIZE);
	vd_wr(d, 0x030, 5);
	CHECK_EQ(vd_rd(d, 0x034), 0);       /* no such queue */
	/* A legacy driver (no VERSION_1) cannot get FEATURES_OK. */
	uint32_t st = vd_setup(d, WANT_ALL & ~(1ull << VIRTIO_F_VERSION_1), 16);
	CHECK_EQ(st & VIRTIO_STATUS_FEATURES_OK, 0);
	/* Nor can a driver claiming features we never offered. */
	vd_wr(d, 0x070, 0);
	vd_wr(d, 0x070, 3);
	vd_wr(d, 0x024, 1);
	vd_wr(d, 0x020, 1 | (1u << 20));
	vd_wr(d, 0x070, 3 | VIRTIO_STATUS_FEATURES_OK);
	CHECK_EQ(vd_rd(d, 0x070) & VIRTIO_STATUS_FEATURES_OK, 0);
	st = vd_setup(d, WANT_ALL, 16);
	CHECK_EQ(st, 0x0f);
	CHECK(d->features & (1ull << VIRTIO_BLK_F_FLUSH));
	CHECK(d->features & (1ull << VIRTIO_BLK_F_WRITE_ZEROES));
	CHECK_EQ(d->features & (1ull << VIRTIO_BLK_F_RO), 0);
	/* Config space: capacity (64-bit and as halves), blk_size, seg_max. */
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x100, 8, NULL), IMG_SIZE / 512);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x100, 4, NULL), IMG_SIZE / 512);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x104, 4, NULL), 0);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x114, 4, NULL), 512);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x10c, 4, NULL), VIRTIO_BLK_QUEUE_SIZE - 2);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0x100 + sizeof(blk->cfg), 4, NULL), 0);
	CHECK_EQ(bus_read(&d->bus, VD_MMIO + 0xfff, 1, NULL), 0);
	/* Queue registers are frozen while the queue is live. */
	vd_wr(d, 0x038, 8);
	CHECK_EQ(vd_rd(d, 0x038), 16);
	CHECK_EQ(vd_rd(d, 0x044), 1);
}

static void test_blk_io(struct vdriver *d)
{
	uint8_t *data = vd_ptr(d, DATA);
	/* Write 1 KiB at sector 4 in two buffers. */
	for (int i = 0; i < 1024; i++)
		data[i] = (uint8_t)(0xa0 ^ i);
	put_hdr(d, VIRTIO_BLK_T_OUT, 4);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	vd_set_desc(d, 1, DATA, 512, VIRTQ_DESC_F_NEXT, 2);
	vd_set_desc(d, 2, DATA + 512, 512, VIRTQ_DESC_F_NEXT, 3);
	vd_set_desc(d, 3, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	irqs.level[1] = 0;
	vd_submit(d, 0);
	struct virtq_used_elem *e = vd_reap(d);
	CHECK(e != NULL);
	if (e)
		CHECK_EQ(e->len, 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	CHECK_EQ(irqs.level[1], 1);
	CHECK_EQ(vd_rd(d, 0x060), VIRTIO_INT_VRING);
	vd_wr(d, 0x064, VIRTIO_INT_VRING);
	CHECK_EQ(irqs.level[1], 0);
	expect_fill(4 * 512, data, 1024);
	CHECK(image_as_expected());
	/* Read it back in three uneven buffers, header split in two. */
	memset(data, 0, 4096);
	put_hdr(d, VIRTIO_BLK_T_IN, 4);
	vd_set_desc(d, 5, HDR, 10, VIRTQ_DESC_F_NEXT, 6);
	vd_set_desc(d, 6, HDR + 10, 6, VIRTQ_DESC_F_NEXT, 7);
	vd_set_desc(d, 7, DATA, 100, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 8);
	vd_set_desc(d, 8, DATA + 100, 412, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 9);
	vd_set_desc(d, 9, DATA + 512, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 10);
	vd_set_desc(d, 10, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	vd_submit(d, 5);
	e = vd_reap(d);
	CHECK(e != NULL);
	if (e) {
		CHECK_EQ(e->id, 5);
		CHECK_EQ(e->len, 1025);
	}
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	bool same = true;
	for (int i = 0; i < 1024; i++)
		same &= data[i] == (uint8_t)(0xa0 ^ i);
	CHECK(same);
	/* Reading untouched sectors gives the image pattern. */
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_IN, 100, 512), 513);
	CHECK_EQ(data[0], pattern(100 * 512));
	CHECK_EQ(data[511], pattern(100 * 512 + 511));
	/* Flush and GET_ID. */
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_FLUSH, 0, 0), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_GET_ID, 0, 20), 21);
	CHECK(!memcmp(data, "popek-disk0\0", 12));
	/* Out of range, partial sectors and unknown types fail the request only. */
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_OUT, IMG_SIZE / 512 - 1, 1024), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_IOERR);
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_IN, UINT64_MAX / 256, 512), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_IOERR);
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_OUT, 0, 100), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_IOERR);
	CHECK_EQ(simple_request(d, 77, 0, 512), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_UNSUPP);
	CHECK(image_as_expected());
	/* WRITE_ZEROES over sectors 10..11. */
	struct virtio_blk_discard_wz wz = { .sector = 10, .num_sectors = 2 };
	memcpy(data, &wz, sizeof(wz));
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	memset(expect + 10 * 512, 0, 1024);
	CHECK(image_as_expected());
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_IN, 10, 1024), 1025);
	bool zero = true;
	for (int i = 0; i < 1024; i++)
		zero &= data[i] == 0;
	CHECK(zero);
	/* DISCARD: offered only when the host file system punches holes;
	 * either way the answer must match the offer. */
	struct virtio_blk_discard_wz dc = { .sector = 16, .num_sectors = 8 };
	memcpy(data, &dc, sizeof(dc));
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_DISCARD, 0, 16), 1);
	if (d->features & (1ull << VIRTIO_BLK_F_DISCARD)) {
		CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
		memset(expect + 16 * 512, 0, 8 * 512);
	} else {
		CHECK_EQ(status_byte(d), VIRTIO_BLK_S_UNSUPP);
	}
	CHECK(image_as_expected());
	/* Ranges past the end, or too many of them, fail. */
	dc.sector = IMG_SIZE / 512 - 1;
	dc.num_sectors = 2;
	memcpy(data, &dc, sizeof(dc));
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_IOERR);
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16 * (VIRTIO_BLK_MAX_DISCARD_SEG + 1)), 1);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_IOERR);
	CHECK(image_as_expected());
	CHECK_EQ(vd_rd(d, 0x070) & NEEDS_RESET, 0);
}

/* The same read through an indirect table. */
static void test_blk_indirect(struct vdriver *d)
{
	uint8_t *data = vd_ptr(d, DATA);
	struct virtq_desc *t = vd_ptr(d, ITAB);
	put_hdr(d, VIRTIO_BLK_T_IN, 200);
	t[0] = (struct virtq_desc){ HDR, 16, VIRTQ_DESC_F_NEXT, 1 };
	t[1] = (struct virtq_desc){ DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2 };
	t[2] = (struct virtq_desc){ STAT, 1, VIRTQ_DESC_F_WRITE, 0 };
	vd_set_desc(d, 3, ITAB, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	struct virtq_used_elem *e = vd_reap(d);
	CHECK(e != NULL);
	if (e)
		CHECK_EQ(e->len, 513);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	CHECK_EQ(data[7], pattern(200 * 512 + 7));
}

/* EVENT_IDX: the driver asks for an interrupt only after the 3rd buffer. */
static void test_event_idx(struct vdriver *d)
{
	CHECK(d->features & (1ull << VIRTIO_RING_F_EVENT_IDX));
	vd_wr(d, 0x064, 3);
	uint16_t first = d->used_seen;
	vd_avail(d)[2 + d->qsize] = (uint16_t)(first + 2);    /* used_event */
	int irq_count = 0;
	for (int i = 0; i < 3; i++) {
		simple_request(d, VIRTIO_BLK_T_FLUSH, 0, 0);
		if (vd_rd(d, 0x060)) {
			irq_count++;
			CHECK_EQ(i, 2);
			vd_wr(d, 0x064, 1);
		}
	}
	CHECK_EQ(irq_count, 1);
	/* The device published avail_event = where it will read next. */
	uint16_t avail_event = *(uint16_t *)((uint8_t *)vd_ptr(d, VD_USED) + 4 + 8 * d->qsize);
	CHECK_EQ(avail_event, d->avail_idx);
}

/* Several chains published before one kick, then enough single requests
 * to wrap the 16-bit ring indexes. */
static void test_batch_and_wrap(struct vdriver *d)
{
	put_hdr(d, VIRTIO_BLK_T_GET_ID, 0);
	for (unsigned i = 0; i < 4; i++) {
		vd_set_desc(d, 3 * i, HDR, 16, VIRTQ_DESC_F_NEXT, (uint16_t)(3 * i + 1));
		vd_set_desc(d, 3 * i + 1, DATA + 32 * i, 20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
			    (uint16_t)(3 * i + 2));
		vd_set_desc(d, 3 * i + 2, STAT + i, 1, VIRTQ_DESC_F_WRITE, 0);
		vd_avail(d)[2 + (d->avail_idx + i) % d->qsize] = (uint16_t)(3 * i);
	}
	d->avail_idx += 4;
	__atomic_store_n(&vd_avail(d)[1], d->avail_idx, __ATOMIC_RELEASE);
	vd_wr(d, 0x050, 0);
	for (unsigned i = 0; i < 4; i++) {
		struct virtq_used_elem *e = vd_reap(d);
		CHECK(e && e->id == 3 * i && e->len == 21);
	}
	CHECK(vd_reap(d) == NULL);
	bool ok = true;
	for (unsigned n = 0; n < 70000 && ok; n++)
		ok = simple_request(d, VIRTIO_BLK_T_GET_ID, 0, 20) == 21;
	CHECK(ok);
	CHECK_EQ(vd_rd(d, 0x070) & NEEDS_RESET, 0);
	/* Kicks before DRIVER_OK are ignored. */
	vd_wr(d, 0x070, 0x0b);
	put_hdr(d, VIRTIO_BLK_T_FLUSH, 0);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 2);
	vd_submit(d, 0);
	CHECK(vd_reap(d) == NULL);
	CHECK_EQ(vd_setup(d, WANT_ALL, 16), 0x0f);
}

/* After a hostile request: the device is marked broken, told the driver,
 * returned nothing, left the image alone; a reset brings it back. */
static void expect_broken(struct vdriver *d, const char *what)
{
	uint32_t st = vd_rd(d, 0x070);
	if (!(st & NEEDS_RESET))
		fprintf(stderr, "not broken after: %s\n", what);
	CHECK(st & NEEDS_RESET);
	CHECK(vd_rd(d, 0x060) & VIRTIO_INT_CONFIG);
	CHECK(vd_reap(d) == NULL);
	CHECK(image_as_expected());
	/* Kicks are ignored while broken. */
	vd_wr(d, 0x050, 0);
	CHECK(vd_reap(d) == NULL);
	CHECK_EQ(vd_setup(d, WANT_ALL, 16), 0x0f);
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_FLUSH, 0, 0), 1);
}

/* A well-formed write of sector 6 that each case then corrupts: if the
 * device ever ran it, the image would change. */
static void hostile_write(struct vdriver *d)
{
	put_hdr(d, VIRTIO_BLK_T_OUT, 6);
	memset(vd_ptr(d, DATA), 0x55, 4096);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	vd_set_desc(d, 1, DATA, 512, VIRTQ_DESC_F_NEXT, 2);
	vd_set_desc(d, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
}

static void test_hostile(struct vdriver *d)
{
	/* Head index out of range. */
	vd_submit(d, 16 + 3);
	expect_broken(d, "head out of range");
	/* next out of range. */
	hostile_write(d);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 999);
	vd_submit(d, 0);
	expect_broken(d, "next out of range");
	/* A chain that loops: 0 -> 1 -> 0. */
	hostile_write(d);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	vd_set_desc(d, 1, DATA, 512, VIRTQ_DESC_F_NEXT, 0);
	vd_submit(d, 0);
	expect_broken(d, "loop");
	/* A data buffer outside RAM. */
	hostile_write(d);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
	vd_set_desc(d, 1, 0x1000, 512, VIRTQ_DESC_F_NEXT, 2);
	vd_set_desc(d, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	vd_submit(d, 0);
	expect_broken(d, "buffer outside RAM");
	/* A huge length from a valid address, and one that wraps. */
	hostile_write(d);
	vd_set_desc(d, 1, DATA, 0xffffffff, VIRTQ_DESC_F_NEXT, 2);
	vd_submit(d, 0);
	expect_broken(d, "huge length");
	hostile_write(d);
	vd_set_desc(d, 1, UINT64_MAX - 10, 512, VIRTQ_DESC_F_NEXT, 2);
	vd_submit(d, 0);
	expect_broken(d, "wrapping address");
	/* The avail index jumps past the queue size. */
	hostile_write(d);
	d->avail_idx += 17;
	vd_submit(d, 0);
	expect_broken(d, "avail jump");
	/* Readable after writable. */
	hostile_write(d);
	vd_set_desc(d, 0, HDR, 16, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	vd_set_desc(d, 1, DATA, 512, VIRTQ_DESC_F_NEXT, 2);
	vd_submit(d, 0);
	expect_broken(d, "order");
	/* Indirect: nested, outside RAM, bad size, with NEXT, looping. */
	struct virtq_desc *t = vd_ptr(d, ITAB);
	hostile_write(d);
	t[0] = (struct virtq_desc){ HDR, 16, VIRTQ_DESC_F_NEXT, 1 };
	t[1] = (struct virtq_desc){ ITAB, 32, VIRTQ_DESC_F_INDIRECT, 0 };
	vd_set_desc(d, 3, ITAB, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	expect_broken(d, "nested indirect");
	vd_set_desc(d, 3, VD_RAM_BASE + VD_RAM_SIZE - 16, 32, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	expect_broken(d, "indirect outside RAM");
	vd_set_desc(d, 3, ITAB, 20, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	expect_broken(d, "indirect size");
	vd_set_desc(d, 3, ITAB, 0x7ffffff0, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	expect_broken(d, "indirect huge");
	vd_set_desc(d, 3, ITAB, 32, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 4);
	vd_submit(d, 3);
	expect_broken(d, "indirect + next");
	t[1] = (struct virtq_desc){ DATA, 512, VIRTQ_DESC_F_NEXT, 0 };
	vd_set_desc(d, 3, ITAB, 32, VIRTQ_DESC_F_INDIRECT, 0);
	vd_submit(d, 3);
	expect_broken(d, "indirect loop");
	/* Rings outside RAM at QueueReady. */
	vd_wr(d, 0x070, 0);
	vd_wr(d, 0x070, 3);
	vd_wr(d, 0x024, 1);
	vd_wr(d, 0x020, 1);
	vd_wr(d, 0x070, 0xb);
	vd_wr(d, 0x038, 16);
	vd_wr(d, 0x0a0, 0xfffffff0);
	vd_wr(d, 0x044, 1);
	CHECK_EQ(vd_rd(d, 0x044), 0);
	CHECK(vd_rd(d, 0x070) & NEEDS_RESET);
	vd_wr(d, 0x070, 0);
	vd_wr(d, 0x038, 12);                 /* not a power of two */
	vd_wr(d, 0x044, 1);
	CHECK_EQ(vd_rd(d, 0x044), 0);
	CHECK_EQ(vd_setup(d, WANT_ALL, 16), 0x0f);
	/* No writable byte for the status: returned empty, device still fine. */
	put_hdr(d, VIRTIO_BLK_T_FLUSH, 0);
	vd_set_desc(d, 0, HDR, 16, 0, 0);
	vd_submit(d, 0);
	struct virtq_used_elem *e = vd_reap(d);
	CHECK(e != NULL);
	if (e)
		CHECK_EQ(e->len, 0);
	CHECK_EQ(vd_rd(d, 0x070) & NEEDS_RESET, 0);
	/* A header shorter than 16 bytes fails the request. */
	vd_set_desc(d, 0, HDR, 8, VIRTQ_DESC_F_NEXT, 2);
	vd_set_desc(d, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
	vd_submit(d, 0);
	e = vd_reap(d);
	CHECK(e && e->len == 1 && status_byte(d) == VIRTIO_BLK_S_IOERR);
	CHECK(image_as_expected());
}

/* Snapshot the device mid-flight and carry on in a fresh one. */
static void test_snapshot(struct vdriver *d, struct virtio_blk *blk, struct disk_raw *disk)
{
	struct virtio_mmio_state st;
	(void)blk;
	virtio_mmio_save(&d->mmio, &st);
	static struct virtio_blk blk2;
	CHECK_EQ(virtio_blk_init(&blk2, &d->mem, disk, "popek-disk0"), 0);
	struct virtio_mmio m2;
	virtio_mmio_init(&m2, &blk2.vdev, NULL);
	CHECK_EQ(virtio_mmio_load(&m2, &st), 0);
	d->bus.regions[0].opaque = &m2;
	CHECK_EQ(simple_request(d, VIRTIO_BLK_T_IN, 1, 512), 513);
	CHECK_EQ(status_byte(d), VIRTIO_BLK_S_OK);
	/* A snapshot with rings outside RAM is refused. */
	st.dev.vq[0].used_gpa = 0x10;
	CHECK_EQ(virtio_mmio_load(&m2, &st), -EINVAL);
	d->bus.regions[0].opaque = &d->mmio;
	virtio_blk_destroy(&blk2);
}

static void test_readonly_and_lock(void)
{
	struct disk_raw rw, rw2, ro, ro2;
	CHECK_EQ(disk_raw_open(&rw, img_path, false), 0);
	CHECK_EQ(disk_raw_open(&rw2, img_path, false), -EBUSY);
	CHECK_EQ(disk_raw_open(&ro, img_path, true), -EBUSY);
	disk_raw_close(&rw);
	CHECK_EQ(disk_raw_open(&ro, img_path, true), 0);
	CHECK_EQ(disk_raw_open(&ro2, img_path, true), 0);
	CHECK_EQ(disk_raw_open(&rw2, img_path, false), -EBUSY);
	disk_raw_close(&ro2);

	static struct virtio_blk blk;
	struct vdriver d;
	CHECK_EQ(virtio_blk_init(&blk, NULL, &ro, NULL), 0);
	CHECK_EQ(vd_attach(&d, &blk.vdev, NULL), 0);
	CHECK_EQ(vd_setup(&d, WANT_ALL, 8), 0x0f);
	CHECK(d.features & (1ull << VIRTIO_BLK_F_RO));
	CHECK_EQ(d.features & (1ull << VIRTIO_BLK_F_WRITE_ZEROES), 0);
	CHECK_EQ(d.features & (1ull << VIRTIO_BLK_F_DISCARD), 0);
	memset(vd_ptr(&d, DATA), 0x77, 512);
	CHECK_EQ(simple_request(&d, VIRTIO_BLK_T_OUT, 50, 512), 1);
	CHECK_EQ(status_byte(&d), VIRTIO_BLK_S_IOERR);
	CHECK_EQ(simple_request(&d, VIRTIO_BLK_T_DISCARD, 0, 16), 1);
	CHECK_EQ(status_byte(&d), VIRTIO_BLK_S_UNSUPP);
	CHECK_EQ(simple_request(&d, VIRTIO_BLK_T_IN, 50, 512), 513);
	CHECK_EQ(*(uint8_t *)vd_ptr(&d, DATA), pattern(50 * 512));
	vd_detach(&d);
	virtio_blk_destroy(&blk);
	disk_raw_close(&ro);
	CHECK_EQ(disk_raw_open(&rw, "/nonexistent/popek.img", false), -ENOENT);
}

static void test_rng(void)
{
	struct virtio_rng rng;
	struct vdriver d;
	virtio_rng_init(&rng, NULL);
	CHECK_EQ(vd_attach(&d, &rng.vdev, NULL), 0);
	CHECK_EQ(vd_rd(&d, 0x008), VIRTIO_ID_RNG);
	CHECK_EQ(vd_setup(&d, WANT_ALL, 8), 0x0f);
	uint8_t *data = vd_ptr(&d, DATA);
	memset(data, 0, 128);
	vd_set_desc(&d, 0, DATA, 64, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	vd_set_desc(&d, 1, DATA + 64, 32, VIRTQ_DESC_F_WRITE, 0);
	vd_submit(&d, 0);
	struct virtq_used_elem *e = vd_reap(&d);
	CHECK(e != NULL);
	if (e)
		CHECK_EQ(e->len, 96);
	int nonzero = 0;
	for (int i = 0; i < 96; i++)
		nonzero += data[i] != 0;
	CHECK(nonzero > 60);
	CHECK_EQ(data[96], 0);
	vd_detach(&d);
	virtio_rng_destroy(&rng);
}

static void test_empty_slot(void)
{
	struct virtio_mmio m;
	virtio_mmio_init(&m, NULL, NULL);
	CHECK_EQ(virtio_mmio_read(&m, 0, 4), 0x74726976);
	CHECK_EQ(virtio_mmio_read(&m, 8, 4), 0);
	CHECK_EQ(virtio_mmio_read(&m, 0x70, 4), 0);
	virtio_mmio_write(&m, 0x70, 0xf, 4);
	CHECK_EQ(virtio_mmio_read(&m, 0x100, 4), 0);
}

int main(void)
{
	make_image();
	struct disk_raw disk;
	CHECK_EQ(disk_raw_open(&disk, img_path, false), 0);
	static struct virtio_blk blk;
	CHECK_EQ(virtio_blk_init(&blk, NULL, &disk, "popek-disk0"), 0);
	struct vdriver d;
	CHECK_EQ(vd_attach(&d, &blk.vdev, &line), 0);
	test_transport(&d, &blk);
	test_blk_io(&d);
	test_blk_indirect(&d);
	test_event_idx(&d);
	test_batch_and_wrap(&d);
	test_hostile(&d);
	test_snapshot(&d, &blk, &disk);
	vd_detach(&d);
	virtio_blk_destroy(&blk);
	disk_raw_close(&disk);
	test_readonly_and_lock();
	test_rng();
	test_empty_slot();
	unlink(img_path);
	return unit_exit("virtio");
}

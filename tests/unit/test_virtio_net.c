/*
 * Unit tests for virtio-net (src/devices/virtio/net.c) over virtio-mmio,
 * with a fake backend that records what the device transmits and a fake
 * driver (vdriver.h registers, rings laid out here for both queues).
 * Built and run by tests/test_net.py, release and ASan+UBSan.
 *
 * Checks: frames before DRIVER_OK are dropped; frames without receive
 * buffers wait in a bounded queue and flush in order on the next kick; a
 * device reset frees them; mergeable receive buffers (a frame over several
 * buffers, published together; too few buffers -> un-popped and retried);
 * transmit through the loop thread; malformed transmit chains dropped; a
 * receive buffer outside RAM marks the device broken without harm.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devices/virtio/net.h"
#include "vdriver.h"

#define QSIZE 16
#define RX_DESC  (VD_RAM_BASE + 0x0000)
#define RX_AVAIL (VD_RAM_BASE + 0x1000)
#define RX_USED  (VD_RAM_BASE + 0x2000)
#define TX_DESC  (VD_RAM_BASE + 0x4000)
#define TX_AVAIL (VD_RAM_BASE + 0x5000)
#define TX_USED  (VD_RAM_BASE + 0x6000)
#define RX_BUF   (VD_RAM_BASE + 0x10000)   /* 4 KiB per rx descriptor */
#define TX_BUF   (VD_RAM_BASE + 0x100000)  /* 128 KiB per tx descriptor */

static int failures;
#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

struct fake_backend {
	struct net_backend be;
	pthread_mutex_t lock;
	int nframes;
	size_t last_len;
	uint8_t last[NET_MAX_FRAME];
};

static int fake_send(struct net_backend *be, const void *frame, size_t len)
{
	struct fake_backend *f = (struct fake_backend *)be;
	pthread_mutex_lock(&f->lock);
	f->nframes++;
	f->last_len = len;
	memcpy(f->last, frame, len);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static void fake_destroy(struct net_backend *be)
{
	(void)be;   /* static in the test */
}

static const struct net_backend_ops fake_ops = { .send = fake_send, .destroy = fake_destroy };

static struct vdriver d;
static struct virtio_net *net;
static struct fake_backend fake;
static uint16_t rx_avail_idx, tx_avail_idx;

static uint16_t *ring16(uint64_t gpa) { return vd_ptr(&d, gpa); }
static struct virtq_desc *desc(uint64_t table, unsigned i)
{
	return (struct virtq_desc *)vd_ptr(&d, table) + i;
}
static struct virtq_used_elem *used_elem(uint64_t used, unsigned i)
{
	return (struct virtq_used_elem *)((uint8_t *)vd_ptr(&d, used) + 4) + i % QSIZE;
}
static uint16_t used_idx(uint64_t used)
{
	return __atomic_load_n(&ring16(used)[1], __ATOMIC_ACQUIRE);
}

static void setup_queue(unsigned q, uint64_t dsc, uint64_t avail, uint64_t used)
{
	vd_wr(&d, 0x030, q);
	vd_wr(&d, 0x038, QSIZE);
	vd_wr(&d, 0x080, (uint32_t)dsc);
	vd_wr(&d, 0x084, (uint32_t)(dsc >> 32));
	vd_wr(&d, 0x090, (uint32_t)avail);
	vd_wr(&d, 0x094, (uint32_t)(avail >> 32));
	vd_wr(&d, 0x0a0, (uint32_t)used);
	vd_wr(&d, 0x0a4, (uint32_t)(used >> 32));
	vd_wr(&d, 0x044, 1);
}

/* Negotiate VERSION_1 + MAC + MRG_RXBUF (if mrg) and bring both queues up. */
static void driver_setup(bool mrg)
{
	uint64_t want = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC |
			(mrg ? 1ull << VIRTIO_NET_F_MRG_RXBUF : 0);
	vd_wr(&d, 0x070, 0);
	vd_wr(&d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vd_wr(&d, 0x024, 0);
	vd_wr(&d, 0x020, (uint32_t)want);
	vd_wr(&d, 0x024, 1);
	vd_wr(&d, 0x020, (uint32_t)(want >> 32));
	vd_wr(&d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	memset(vd_ptr(&d, VD_RAM_BASE), 0, 0x8000);
	rx_avail_idx = tx_avail_idx = 0;
	setup_queue(VIRTIO_NET_RXQ, RX_DESC, RX_AVAIL, RX_USED);
	setup_queue(VIRTIO_NET_TXQ, TX_DESC, TX_AVAIL, TX_USED);
	vd_wr(&d, 0x070, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		      VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	CHECK(vd_rd(&d, 0x070) & VIRTIO_STATUS_DRIVER_OK);
}

/* Post one writable rx buffer in descriptor slot (i % QSIZE), no kick. */
static void post_rx(unsigned i, uint64_t addr, uint32_t len)
{
	unsigned slot = i % QSIZE;
	*desc(RX_DESC, slot) = (struct virtq_desc){ .addr = addr, .len = len,
						     .flags = VIRTQ_DESC_F_WRITE };
	ring16(RX_AVAIL)[2 + rx_avail_idx % QSIZE] = (uint16_t)slot;
	rx_avail_idx++;
	__atomic_store_n(&ring16(RX_AVAIL)[1], rx_avail_idx, __ATOMIC_RELEASE);
}

static void kick(unsigned q) { vd_wr(&d, 0x050, q); }

static void make_frame(uint8_t *f, size_t len, uint32_t seq)
{
	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)(seq * 7 + i);
	memcpy(f + 14, &seq, sizeof(seq));
}

static const struct virtio_net_hdr *rx_hdr(unsigned slot)
{
	return vd_ptr(&d, RX_BUF + 4096ull * slot);
}

static void test_dropped_before_driver_ok(void)
{
	uint8_t f[60];
	make_frame(f, sizeof(f), 1);
	uint64_t before = net->rx_dropped;
	virtio_net_receive(net, f, sizeof(f));
	CHECK(net->rx_dropped == before + 1);
	CHECK(net->npending == 0);
}

static void test_pending_is_bounded_and_flushes_in_order(void)
{
	static uint8_t f[1514];
	driver_setup(false);
	for (uint32_t seq = 0; seq < 200; seq++) {
		make_frame(f, sizeof(f), seq);
		virtio_net_receive(net, f, sizeof(f));
	}
	CHECK(net->npending == VIRTIO_NET_RX_PENDING_FRAMES);
	CHECK(net->pending_bytes <= VIRTIO_NET_RX_PENDING_BYTES);
	CHECK(net->rx_dropped >= 200 - VIRTIO_NET_RX_PENDING_FRAMES);
	for (unsigned i = 0; i < QSIZE; i++)
		post_rx(i, RX_BUF + 4096ull * i, 4096);
	kick(VIRTIO_NET_RXQ);
	CHECK(used_idx(RX_USED) == QSIZE);
	CHECK(net->npending == VIRTIO_NET_RX_PENDING_FRAMES - QSIZE);
	for (unsigned i = 0; i < QSIZE; i++) {
		uint32_t seq;
		const struct virtq_used_elem *e = used_elem(RX_USED, i);
		CHECK(e->id == i && e->len == 12 + sizeof(f));
		CHECK(rx_hdr(i)->num_buffers == 1);
		memcpy(&seq, (const uint8_t *)rx_hdr(i) + 12 + 14, sizeof(seq));
		CHECK(seq == i);
	}
	vd_wr(&d, 0x070, 0);   /* reset frees what still waits */
	CHECK(net->npending == 0 && net->pending_bytes == 0);
}

static void test_mergeable_spans_buffers(void)
{
	static uint8_t f[2500];
	driver_setup(true);
	for (unsigned i = 0; i < 3; i++)
		post_rx(i, RX_BUF + 4096ull * i, 1000);
	make_frame(f, sizeof(f), 42);
	virtio_net_receive(net, f, sizeof(f));
	CHECK(used_idx(RX_USED) == 3);
	CHECK(used_elem(RX_USED, 0)->len == 1000 && used_elem(RX_USED, 1)->len == 1000);
	CHECK(used_elem(RX_USED, 2)->len == 12 + sizeof(f) - 2000);
	CHECK(rx_hdr(0)->num_buffers == 3);
	uint8_t got[sizeof(f)];
	memcpy(got, (const uint8_t *)rx_hdr(0) + 12, 988);
	memcpy(got + 988, rx_hdr(1), 1000);
	memcpy(got + 1988, rx_hdr(2), sizeof(f) - 1988);
	CHECK(memcmp(got, f, sizeof(f)) == 0);

	/* Too few buffers: nothing is published, the frame waits. */
	post_rx(3, RX_BUF + 4096ull * 3, 100);
	virtio_net_receive(net, f, 1500);
	CHECK(used_idx(RX_USED) == 3 && net->npending == 1);
	post_rx(4, RX_BUF + 4096ull * 4, 1000);
	post_rx(5, RX_BUF + 4096ull * 5, 1000);
	kick(VIRTIO_NET_RXQ);
	CHECK(used_idx(RX_USED) == 6 && net->npending == 0);
	CHECK(rx_hdr(3)->num_buffers == 3);
	CHECK(used_elem(RX_USED, 3)->len == 100 && used_elem(RX_USED, 5)->len == 1512 - 1100);
}

static void test_rx_buffer_outside_ram_breaks_device(void)
{
	uint8_t f[60];
	driver_setup(true);
	post_rx(0, VD_RAM_BASE + VD_RAM_SIZE - 16, 4096);
	make_frame(f, sizeof(f), 3);
	virtio_net_receive(net, f, sizeof(f));
	CHECK(vd_rd(&d, 0x070) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	CHECK(used_idx(RX_USED) == 0);
	virtio_net_receive(net, f, sizeof(f));   /* and stays harmless */
	CHECK(net->npending == 0);
}

static void post_tx(unsigned slot, uint32_t hdr_len, uint32_t data_len)
{
	uint64_t buf = TX_BUF + 0x20000ull * slot;
	*desc(TX_DESC, 2 * slot) = (struct virtq_desc){ .addr = buf, .len = hdr_len,
		.flags = data_len ? VIRTQ_DESC_F_NEXT : 0, .next = (uint16_t)(2 * slot + 1) };
	*desc(TX_DESC, 2 * slot + 1) = (struct virtq_desc){ .addr = buf + hdr_len, .len = data_len };
	ring16(TX_AVAIL)[2 + tx_avail_idx % QSIZE] = (uint16_t)(2 * slot);
	tx_avail_idx++;
	__atomic_store_n(&ring16(TX_AVAIL)[1], tx_avail_idx, __ATOMIC_RELEASE);
}

static bool wait_used(uint64_t used, uint16_t want)
{
	for (int i = 0; i < 2000 && used_idx(used) != want; i++)
		usleep(1000);
	return used_idx(used) == want;
}

static int sent_frames(void)
{
	pthread_mutex_lock(&fake.lock);
	int n = fake.nframes;
	pthread_mutex_unlock(&fake.lock);
	return n;
}

static void test_transmit(void)
{
	driver_setup(true);
	uint8_t *data = vd_ptr(&d, TX_BUF + 12);
	make_frame(data, 60, 9);
	post_tx(0, 12, 60);
	kick(VIRTIO_NET_TXQ);
	CHECK(wait_used(TX_USED, 1));
	CHECK(sent_frames() == 1 && fake.last_len == 60 && memcmp(fake.last, data, 60) == 0);

	/* A header alone, and a frame bigger than any Ethernet frame: both
	 * come back to the driver, neither reaches the backend. */
	uint64_t dropped = net->tx_dropped;
	post_tx(1, 12, 0);
	post_tx(2, 12, NET_MAX_FRAME + 100);
	kick(VIRTIO_NET_TXQ);
	CHECK(wait_used(TX_USED, 3));
	CHECK(sent_frames() == 1);
	CHECK(net->tx_dropped == dropped + 2);
}

int main(void)
{
	struct loop *loop;
	if (loop_create(&loop) < 0)
		return 2;
	net = calloc(1, sizeof(*net));
	uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	if (!net || virtio_net_init(net, NULL, mac, loop) < 0)
		return 2;
	pthread_mutex_init(&fake.lock, NULL);
	fake.be.ops = &fake_ops;
	virtio_net_attach(net, &fake.be);
	if (vd_attach(&d, &net->vdev, NULL) < 0 || loop_start(loop) < 0)
		return 2;
	CHECK(vd_rd(&d, 0x008) == VIRTIO_ID_NET);
	CHECK(vd_rd(&d, 0x100) == 0x12005452);   /* MAC bytes 0-3 */

	test_dropped_before_driver_ok();
	test_pending_is_bounded_and_flushes_in_order();
	test_mergeable_spans_buffers();
	test_rx_buffer_outside_ram_breaks_device();
	test_transmit();

	loop_destroy(loop);
	virtio_net_destroy(net);
	free(net);
	guest_mem_destroy(&d.mem);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	else
		printf("virtio-net: all checks passed\n");
	return failures ? 1 : 0;
}

/* Unit test: the devices assembled as the virt machine lays them out on
 * one bus, with device interrupts routed through the PLIC to a hart's
 * SEIP/MEIP and the CLINT driving MTIP/MSIP: the wiring contract the
 * machine layer relies on, exercised end to end through bus accesses. */
#include <string.h>
#include <time.h>

#include "devices/clint.h"
#include "devices/plic.h"
#include "devices/rtc_goldfish.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "unit.h"
#include "vdriver.h"

#define SEIP (1ull << MIP_SEIP)
#define MEIP (1ull << MIP_MEIP)

static struct fake_harts harts;
static char out[64];
static size_t outlen;
static int power;

static void tx(void *opaque, const uint8_t *buf, size_t len)
{
	(void)opaque;
	if (outlen + len < sizeof(out))
		memcpy(out + outlen, buf, len), outlen += len;
}

static void on_power(void *opaque, enum syscon_event ev, int code)
{
	(void)opaque; (void)code;
	power = ev == SYSCON_POWEROFF ? 1 : -1;
}

static uint64_t rd(struct vdriver *d, uint64_t a, unsigned size)
{
	bool hit;
	uint64_t v = bus_read(&d->bus, a, size, &hit);
	CHECK(hit);
	return v;
}

static void wr(struct vdriver *d, uint64_t a, uint64_t v, unsigned size)
{
	bool hit;
	bus_write(&d->bus, a, v, size, &hit);
	CHECK(hit);
}

/* S-mode context of hart 0 is context 1. */
#define S_ENABLE    (PLIC_BASE + 0x2080)
#define S_THRESHOLD (PLIC_BASE + 0x201000)
#define S_CLAIM     (PLIC_BASE + 0x201004)

int main(void)
{
	static struct plic plic;
	static struct clint clint;
	static struct uart16550 uart;
	static struct syscon sys;
	static struct rtc_goldfish rtc;
	static struct virtio_rng rng;
	static struct vdriver d;
	struct hart_irq_sink sink = { fake_set_mip, &harts };

	CHECK_EQ(plic_init(&plic, 1, &sink), 0);
	CHECK_EQ(clint_init(&clint, 1, &sink, NULL), 0);
	struct irq_line uart_irq = plic_irq_line(&plic, UART_IRQ);
	struct irq_line rtc_irq = plic_irq_line(&plic, RTC_GOLDFISH_IRQ);
	struct irq_line vio_irq = plic_irq_line(&plic, VIRTIO_MMIO_IRQ0);
	struct uart_ops ops = { .tx = tx };
	uart_init(&uart, &uart_irq, &ops);
	syscon_init(&sys, on_power, NULL);
	rtc_goldfish_init(&rtc, &rtc_irq, NULL);
	virtio_rng_init(&rng, NULL);
	CHECK_EQ(vd_attach(&d, &rng.vdev, &vio_irq), 0);
	CHECK_EQ(bus_register(&d.bus, CLINT_BASE, CLINT_SIZE, &clint, clint_mmio_read, clint_mmio_write, "clint"), 0);
	CHECK_EQ(bus_register(&d.bus, PLIC_BASE, PLIC_SIZE, &plic, plic_mmio_read, plic_mmio_write, "plic"), 0);
	CHECK_EQ(bus_register(&d.bus, UART_BASE, UART_SIZE, &uart, uart_mmio_read, uart_mmio_write, "uart"), 0);
	CHECK_EQ(bus_register(&d.bus, SYSCON_BASE, SYSCON_SIZE, &sys, syscon_mmio_read, syscon_mmio_write, "syscon"), 0);
	CHECK_EQ(bus_register(&d.bus, RTC_GOLDFISH_BASE, RTC_GOLDFISH_SIZE, &rtc,
			      rtc_goldfish_mmio_read, rtc_goldfish_mmio_write, "rtc"), 0);

	/* Console output. */
	for (const char *s = "boot\n"; *s; s++)
		wr(&d, UART_BASE, (uint8_t)*s, 1);
	CHECK(outlen == 5 && !memcmp(out, "boot\n", 5));

	/* UART receive interrupt -> PLIC source 10 -> SEIP. */
	wr(&d, PLIC_BASE + 4 * UART_IRQ, 1, 4);
	wr(&d, PLIC_BASE + 4 * VIRTIO_MMIO_IRQ0, 1, 4);
	wr(&d, PLIC_BASE + 4 * RTC_GOLDFISH_IRQ, 1, 4);
	wr(&d, S_ENABLE, (1u << UART_IRQ) | (1u << VIRTIO_MMIO_IRQ0) | (1u << RTC_GOLDFISH_IRQ), 4);
	wr(&d, S_THRESHOLD, 0, 4);
	wr(&d, UART_BASE + 1, 0x01, 1);
	CHECK_EQ(harts.mip[0], 0);
	CHECK_EQ(uart_receive(&uart, (const uint8_t *)"k", 1), 1);
	CHECK_EQ(harts.mip[0], SEIP);
	CHECK_EQ(rd(&d, S_CLAIM, 4), UART_IRQ);
	CHECK_EQ(harts.mip[0], 0);
	CHECK_EQ(rd(&d, UART_BASE, 1), 'k');
	wr(&d, S_CLAIM, UART_IRQ, 4);
	CHECK_EQ(harts.mip[0], 0);

	/* virtio-rng completion -> PLIC source 1 -> SEIP; ack drops the line. */
	CHECK_EQ(vd_setup(&d, ~0ull, 8), 0x0f);
	vd_set_desc(&d, 0, VD_BUF, 32, VIRTQ_DESC_F_WRITE, 0);
	vd_submit(&d, 0);
	CHECK_EQ(harts.mip[0], SEIP);
	CHECK_EQ(rd(&d, S_CLAIM, 4), VIRTIO_MMIO_IRQ0);
	CHECK_EQ(rd(&d, VIRTIO_MMIO_BASE + 0x60, 4), VIRTIO_INT_VRING);
	wr(&d, VIRTIO_MMIO_BASE + 0x64, VIRTIO_INT_VRING, 4);
	wr(&d, S_CLAIM, VIRTIO_MMIO_IRQ0, 4);
	CHECK_EQ(harts.mip[0], 0);
	struct virtq_used_elem *e = vd_reap(&d);
	CHECK(e && e->len == 32);

	/* RTC alarm in the past -> source 11. */
	wr(&d, RTC_GOLDFISH_BASE + 0x10, 1, 4);
	wr(&d, RTC_GOLDFISH_BASE + 0x08, 1, 4);
	CHECK_EQ(rd(&d, S_CLAIM, 4), RTC_GOLDFISH_IRQ);
	wr(&d, RTC_GOLDFISH_BASE + 0x1c, 1, 4);
	wr(&d, S_CLAIM, RTC_GOLDFISH_IRQ, 4);
	CHECK_EQ(harts.mip[0], 0);

	/* M-mode context (0) sees nothing it has not enabled. */
	CHECK_EQ(rd(&d, PLIC_BASE + 0x200004, 4), 0);

	/* CLINT: timer due now, software interrupt. */
	wr(&d, CLINT_BASE + 0x4000, 0, 8);
	CHECK_EQ(harts.mip[0], 1ull << MIP_MTIP);
	wr(&d, CLINT_BASE + 0x4000, UINT64_MAX, 8);
	wr(&d, CLINT_BASE, 1, 4);
	CHECK_EQ(harts.mip[0], 1ull << MIP_MSIP);
	wr(&d, CLINT_BASE, 0, 4);
	uint64_t t0 = rd(&d, CLINT_BASE + 0xbff8, 8);
	struct timespec ts = { 0, 2000000 };
	nanosleep(&ts, NULL);
	CHECK(rd(&d, CLINT_BASE + 0xbff8, 8) >= t0 + 2 * CLINT_FREQ_HZ / 1000);

	/* Empty space between devices is a bus miss (access fault). */
	bool hit = true;
	bus_read(&d.bus, 0x10000100, 4, &hit);
	CHECK(!hit);

	/* Power off. */
	wr(&d, SYSCON_BASE, 0x5555, 4);
	CHECK_EQ(power, 1);

	vd_detach(&d);
	virtio_rng_destroy(&rng);
	rtc_goldfish_destroy(&rtc);
	uart_destroy(&uart);
	clint_destroy(&clint);
	plic_destroy(&plic);
	return unit_exit("platform");
}

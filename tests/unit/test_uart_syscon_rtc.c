/* Unit test: 16550A UART (transmit, loopback, receive FIFO with interrupts,
 * the host queue's backpressure and survival across FIFO clears), the
 * syscon power device and the goldfish RTC. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "devices/rtc_goldfish.h"
#include "devices/syscon.h"
#include "devices/uart16550.h"
#include "unit.h"

enum { RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

static uint8_t txbuf[8192];
static size_t txlen;
static int space_calls;

static void tx(void *opaque, const uint8_t *buf, size_t len)
{
	(void)opaque;
	memcpy(txbuf + txlen, buf, len);
	txlen += len;
}

static void rx_space(void *opaque) { (void)opaque; space_calls++; }

static uint8_t rd(struct uart16550 *u, int reg) { return (uint8_t)uart_mmio_read(u, reg, 1); }
static void wr(struct uart16550 *u, int reg, uint8_t v) { uart_mmio_write(u, reg, v, 1); }

static void test_uart_tx_and_regs(struct uart16550 *u, struct fake_irqs *irqs)
{
	CHECK_EQ(rd(u, IIR), 0x01);
	CHECK_EQ(rd(u, LSR), 0x60);
	wr(u, RBR, 'h');
	wr(u, RBR, 'i');
	CHECK_EQ(txlen, 2);
	CHECK(!memcmp(txbuf, "hi", 2));
	/* Divisor latch */
	wr(u, LCR, 0x83);
	wr(u, RBR, 0x01);
	wr(u, IER, 0x02);
	CHECK_EQ(rd(u, RBR), 0x01);
	CHECK_EQ(rd(u, IER), 0x02);
	wr(u, LCR, 0x03);
	CHECK_EQ(rd(u, IER), 0);
	CHECK_EQ(txlen, 2);
	wr(u, SCR, 0x5a);
	CHECK_EQ(rd(u, SCR), 0x5a);
	CHECK_EQ(rd(u, MSR), 0xb0);
	/* THR-empty interrupt: enabling it fires; reading IIR acknowledges. */
	wr(u, IER, 0x02);
	CHECK_EQ(irqs->level[UART_IRQ], 1);
	CHECK_EQ(rd(u, IIR), 0x02);
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	CHECK_EQ(rd(u, IIR), 0x01);
	wr(u, RBR, '!');
	CHECK_EQ(irqs->level[UART_IRQ], 1);
	wr(u, IER, 0);
	CHECK_EQ(irqs->level[UART_IRQ], 0);
}

static void test_uart_loopback(struct uart16550 *u, struct fake_irqs *irqs)
{
	size_t before = txlen;
	wr(u, FCR, 0x07);                 /* FIFO on, trigger 1 */
	wr(u, MCR, 0x10 | 0x0b);          /* loop, DTR, RTS, OUT2 */
	CHECK_EQ(rd(u, MSR) & 0xf0, 0xb0); /* DCD, DSR, CTS looped back */
	wr(u, IER, 0x01);
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	wr(u, RBR, 'x');
	wr(u, RBR, 'y');
	CHECK_EQ(txlen, before);          /* nothing left the chip */
	CHECK_EQ(irqs->level[UART_IRQ], 1);
	CHECK_EQ(rd(u, IIR), 0xc4);
	CHECK_EQ(rd(u, LSR) & 1, 1);
	CHECK_EQ(rd(u, RBR), 'x');
	CHECK_EQ(rd(u, RBR), 'y');
	CHECK_EQ(rd(u, LSR) & 1, 0);
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	/* Overrun: 17 bytes into a 16-byte FIFO sets OE once. */
	for (int i = 0; i < 17; i++)
		wr(u, RBR, (uint8_t)i);
	CHECK_EQ(rd(u, LSR) & 0x02, 0x02);
	CHECK_EQ(rd(u, LSR) & 0x02, 0);
	wr(u, FCR, 0x03);
	CHECK_EQ(rd(u, LSR) & 1, 0);
	wr(u, IER, 0);
	wr(u, MCR, 0x08);
}

static void test_uart_receive(struct uart16550 *u, struct fake_irqs *irqs)
{
	/* Bytes arriving before the guest listens wait in the host queue,
	 * and survive the driver's FIFO clear and RBR read at start-up. */
	CHECK_EQ(uart_receive(u, (const uint8_t *)"ls\n", 3), 3);
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	CHECK_EQ(rd(u, LSR) & 1, 0);
	wr(u, FCR, 0x07);
	CHECK_EQ(rd(u, RBR), 0);
	wr(u, FCR, 0xc1);                 /* trigger level 14 */
	wr(u, IER, 0x05);                 /* now listening */
	CHECK_EQ(irqs->level[UART_IRQ], 1);
	CHECK_EQ(rd(u, IIR), 0xcc);       /* below trigger: timeout */
	CHECK_EQ(rd(u, RBR), 'l');
	CHECK_EQ(rd(u, RBR), 's');
	CHECK_EQ(rd(u, RBR), '\n');
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	/* Backpressure: the host queue and the FIFO together hold
	 * UART_HOST_QUEUE bytes (room for a FIFO clear to hand bytes back). */
	static uint8_t big[UART_HOST_QUEUE + 100];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	size_t took = uart_receive(u, big, sizeof(big));
	CHECK_EQ(took, UART_HOST_QUEUE);
	CHECK_EQ(uart_rx_space(u), 0);
	CHECK_EQ(rd(u, IIR), 0xc4);       /* 16 bytes >= trigger 14 */
	CHECK_EQ(space_calls, 0);
	size_t got = 0;
	bool order_ok = true;
	while (rd(u, LSR) & 1) {
		if (rd(u, RBR) != (uint8_t)(got * 7))
			order_ok = false;
		got++;
		if (got == 1)
			CHECK_EQ(space_calls, 1);
	}
	CHECK(order_ok);
	CHECK_EQ(got, took);
	/* The rest goes in after the space callback. */
	CHECK_EQ(uart_receive(u, big + took, sizeof(big) - took), sizeof(big) - took);
	while (rd(u, LSR) & 1) {
		if (rd(u, RBR) != (uint8_t)(got * 7))
			order_ok = false;
		got++;
	}
	CHECK(order_ok);
	CHECK_EQ(got, sizeof(big));
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	/* A FIFO clear while bytes wait in it loses none of them: they are
	 * offered again, in order, after the clear. */
	CHECK_EQ(uart_receive(u, (const uint8_t *)"abc", 3), 3);
	CHECK_EQ(rd(u, LSR) & 1, 1);
	wr(u, FCR, 0xc7);                 /* clear both FIFOs, keep them on */
	CHECK_EQ(rd(u, RBR), 'a');
	CHECK_EQ(rd(u, RBR), 'b');
	CHECK_EQ(rd(u, RBR), 'c');
	CHECK_EQ(rd(u, LSR) & 1, 0);
	/* Polling guests: without ERBFI, input shows up only in poll mode. */
	wr(u, IER, 0);
	uart_receive(u, (const uint8_t *)"p", 1);
	CHECK_EQ(rd(u, LSR) & 1, 0);
	uart_set_poll_input(u, true);
	CHECK_EQ(rd(u, LSR) & 1, 1);
	CHECK_EQ(rd(u, RBR), 'p');
	CHECK_EQ(irqs->level[UART_IRQ], 0);
	/* Hostile accesses */
	CHECK_EQ(uart_mmio_read(u, 8, 1), 0);
	CHECK_EQ(uart_mmio_read(u, 0, 4), 0);
	uart_mmio_write(u, 0xff, 1, 1);
}

static void test_uart_snapshot(struct uart16550 *u)
{
	struct uart_state st;
	uart_receive(u, (const uint8_t *)"ab", 2);
	uart_save(u, &st);
	struct uart16550 u2;
	struct fake_irqs irqs2 = { 0 };
	struct irq_line line = { fake_irq_set, &irqs2, UART_IRQ };
	uart_init(&u2, &line, NULL);
	CHECK_EQ(uart_load(&u2, &st), 0);
	CHECK_EQ(rd(&u2, RBR), 'a');
	CHECK_EQ(rd(&u2, RBR), 'b');
	st.fifo_count = 1000;
	CHECK_EQ(uart_load(&u2, &st), -EINVAL);
	uart_destroy(&u2);
}

/* Host input from one thread, a guest draining it from another: every
 * byte arrives once, in order, with backpressure instead of loss. */
#define STRESS_BYTES 200000
static void *stress_producer(void *opaque)
{
	struct uart16550 *u = opaque;
	uint8_t chunk[333];
	size_t sent = 0;
	while (sent < STRESS_BYTES) {
		size_t n = sizeof(chunk) < STRESS_BYTES - sent ? sizeof(chunk) : STRESS_BYTES - sent;
		for (size_t i = 0; i < n; i++)
			chunk[i] = (uint8_t)((sent + i) % 251);
		size_t off = 0;
		while (off < n) {
			off += uart_receive(u, chunk + off, n - off);
			if (off < n)
				sched_yield();
		}
		sent += n;
	}
	return NULL;
}

static void test_uart_threads(void)
{
	struct fake_irqs irqs = { 0 };
	struct irq_line line = { fake_irq_set, &irqs, UART_IRQ };
	struct uart16550 u;
	uart_init(&u, &line, NULL);
	wr(&u, FCR, 0x01);
	wr(&u, IER, 0x01);
	pthread_t t;
	pthread_create(&t, NULL, stress_producer, &u);
	size_t got = 0;
	bool ok = true;
	while (got < STRESS_BYTES) {
		if (!(rd(&u, LSR) & 1)) {
			sched_yield();
			continue;
		}
		ok &= rd(&u, RBR) == (uint8_t)(got % 251);
		got++;
	}
	pthread_join(t, NULL);
	CHECK(ok);
	CHECK_EQ(got, STRESS_BYTES);
	CHECK_EQ(rd(&u, LSR) & 1, 0);
	uart_destroy(&u);
}

static void test_uart(void)
{
	struct fake_irqs irqs = { 0 };
	struct irq_line line = { fake_irq_set, &irqs, UART_IRQ };
	struct uart_ops ops = { .tx = tx, .rx_space = rx_space };
	struct uart16550 u;
	uart_init(&u, &line, &ops);
	test_uart_tx_and_regs(&u, &irqs);
	test_uart_loopback(&u, &irqs);
	test_uart_receive(&u, &irqs);
	test_uart_snapshot(&u);
	uart_destroy(&u);
	test_uart_threads();
}

static int last_event = -1, last_code = -1;
static void power_event(void *opaque, enum syscon_event ev, int code)
{
	(void)opaque;
	last_event = ev;
	last_code = code;
}

static void test_syscon(void)
{
	struct syscon s;
	syscon_init(&s, power_event, NULL);
	syscon_mmio_write(&s, 0, 0x1234, 4);
	CHECK_EQ(last_event, -1);
	syscon_mmio_write(&s, 0, 0x5555, 4);
	CHECK_EQ(last_event, SYSCON_POWEROFF);
	CHECK_EQ(last_code, 0);
	syscon_mmio_write(&s, 0, 0x7777, 4);
	CHECK_EQ(last_event, SYSCON_REBOOT);
	syscon_mmio_write(&s, 0, (42u << 16) | 0x3333, 4);
	CHECK_EQ(last_event, SYSCON_FAIL);
	CHECK_EQ(last_code, 42);
	last_event = -1;
	syscon_mmio_write(&s, 4, 0x5555, 4);
	syscon_mmio_write(&s, 0, 0x5555, 2);
	CHECK_EQ(last_event, -1);
	CHECK_EQ(syscon_mmio_read(&s, 0, 4), 0);
}

static uint64_t fake_realtime = 1700000000ull * 1000000000ull;
static uint64_t fake_clock(void) { return fake_realtime; }

static void test_rtc(void)
{
	struct fake_irqs irqs = { 0 };
	struct irq_line line = { fake_irq_set, &irqs, RTC_GOLDFISH_IRQ };
	struct rtc_goldfish r;
	rtc_goldfish_init(&r, &line, fake_clock);
	uint64_t lo = rtc_goldfish_mmio_read(&r, 0x00, 4);
	uint64_t hi = rtc_goldfish_mmio_read(&r, 0x04, 4);
	CHECK_EQ(hi << 32 | lo, fake_realtime);
	/* Set the time: high then low. */
	uint64_t want = 1000000000000ull;
	rtc_goldfish_mmio_write(&r, 0x04, want >> 32, 4);
	rtc_goldfish_mmio_write(&r, 0x00, (uint32_t)want, 4);
	fake_realtime += 5;
	lo = rtc_goldfish_mmio_read(&r, 0x00, 4);
	hi = rtc_goldfish_mmio_read(&r, 0x04, 4);
	CHECK_EQ(hi << 32 | lo, want + 5);
	/* Alarm 1000 ns ahead, interrupt enabled. */
	uint64_t alarm = want + 1005;
	rtc_goldfish_mmio_write(&r, 0x10, 1, 4);
	rtc_goldfish_mmio_write(&r, 0x0c, alarm >> 32, 4);
	rtc_goldfish_mmio_write(&r, 0x08, (uint32_t)alarm, 4);
	CHECK_EQ(rtc_goldfish_mmio_read(&r, 0x18, 4), 1);
	CHECK_EQ(irqs.level[RTC_GOLDFISH_IRQ], 0);
	CHECK_EQ(rtc_goldfish_deadline_ns(&r), fake_realtime + 1000);
	fake_realtime += 1000;
	rtc_goldfish_update(&r);
	CHECK_EQ(irqs.level[RTC_GOLDFISH_IRQ], 1);
	CHECK_EQ(rtc_goldfish_mmio_read(&r, 0x18, 4), 0);
	CHECK_EQ(rtc_goldfish_deadline_ns(&r), UINT64_MAX);
	rtc_goldfish_mmio_write(&r, 0x1c, 1, 4);
	CHECK_EQ(irqs.level[RTC_GOLDFISH_IRQ], 0);
	/* An alarm in the past fires at once; clearing it disarms. */
	rtc_goldfish_mmio_write(&r, 0x08, 0, 4);
	CHECK_EQ(irqs.level[RTC_GOLDFISH_IRQ], 1);
	rtc_goldfish_mmio_write(&r, 0x1c, 1, 4);
	rtc_goldfish_mmio_write(&r, 0x0c, 0xffffffff, 4);
	rtc_goldfish_mmio_write(&r, 0x08, 0, 4);
	rtc_goldfish_mmio_write(&r, 0x14, 1, 4);
	CHECK_EQ(rtc_goldfish_mmio_read(&r, 0x18, 4), 0);
	CHECK_EQ(irqs.level[RTC_GOLDFISH_IRQ], 0);
	rtc_goldfish_destroy(&r);
}

int main(void)
{
	test_uart();
	test_syscon();
	test_rtc();
	return unit_exit("uart_syscon_rtc");
}

/*
 * 16550A UART at 0x10000000 (reg-shift 0, PLIC source 10), the guest's
 * serial console.
 *
 * Output: every byte the guest transmits goes to the tx callback at once
 * (there is no baud-rate pacing), so THR is always empty again right after
 * a write and the THR-empty interrupt follows each byte.
 *
 * Input has two stages.  The console layer pushes host bytes with
 * uart_receive() into a bounded host-side queue; bytes move from there into
 * the guest-visible 16-byte receive FIFO only while the guest listens:
 * receive interrupts enabled (IER.ERBFI), or poll mode switched on with
 * uart_set_poll_input() for guests that poll LSR (firmware, bare-metal
 * programs).  Poll mode is off by default because Linux's 8250 start-up
 * clears the FIFO and reads RBR before enabling interrupts, which would
 * eat bytes typed (or piped) before the driver was ready.  When
 * the host queue is full uart_receive() accepts fewer bytes than offered:
 * the caller keeps the rest and retries after the rx_space callback fires.
 */
#ifndef POPEK_DEVICES_UART16550_H
#define POPEK_DEVICES_UART16550_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/irq.h"

#define UART_BASE        0x10000000ull
#define UART_SIZE        0x100ull
#define UART_IRQ         10
#define UART_CLOCK_HZ    0x384000u     /* clock-frequency in the device tree */
#define UART_FIFO_SIZE   16
#define UART_HOST_QUEUE  4096

struct uart_ops {
	/* Guest transmitted bytes. */
	void (*tx)(void *opaque, const uint8_t *buf, size_t len);
	/* The host queue had been full and has room again (may be NULL). */
	void (*rx_space)(void *opaque);
	void *opaque;
};

/* Register file and FIFOs; plain data, so it doubles as the snapshot. */
struct uart_state {
	uint8_t ier, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	uint8_t thr_ipending;                    /* THR-empty interrupt latched */
	uint8_t fifo[UART_FIFO_SIZE];            /* guest-visible receive FIFO */
	uint32_t fifo_head, fifo_count;
	uint8_t host[UART_HOST_QUEUE];           /* host bytes not yet offered */
	uint32_t host_head, host_count;
};

struct uart16550 {
	pthread_mutex_t lock;
	struct uart_state s;
	bool host_was_full;
	bool poll_input;
	int irq_level;
	struct irq_line irq;
	struct uart_ops ops;
};

void uart_init(struct uart16550 *u, const struct irq_line *irq, const struct uart_ops *ops);
void uart_destroy(struct uart16550 *u);

/* Bus callbacks (opaque = struct uart16550 *); byte registers. */
uint64_t uart_mmio_read(void *opaque, uint64_t offset, unsigned size);
void uart_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size);

/* Queue host input; returns how many bytes were accepted (0..len). */
size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len);
/* Offer host input without IER.ERBFI (for polling guests). */
void uart_set_poll_input(struct uart16550 *u, bool on);
/* Free room in the host queue. */
size_t uart_rx_space(struct uart16550 *u);

void uart_save(struct uart16550 *u, struct uart_state *st);
int uart_load(struct uart16550 *u, const struct uart_state *st);

#endif

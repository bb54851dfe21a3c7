/*
 * 16550A UART: register file, the receive FIFO with its host-side queue,
 * loopback, and the interrupt identification logic.  See uart16550.h.
 */
#include "devices/uart16550.h"

#include <errno.h>
#include <string.h>

enum {
	REG_RBR_THR_DLL = 0, REG_IER_DLM = 1, REG_IIR_FCR = 2, REG_LCR = 3,
	REG_MCR = 4, REG_LSR = 5, REG_MSR = 6, REG_SCR = 7,
};
#define IER_ERBFI 0x01   /* received data available */
#define IER_ETBEI 0x02   /* THR empty */
#define IER_ELSI  0x04   /* receiver line status */
#define IIR_NONE  0x01
#define IIR_RLS   0x06
#define IIR_RDA   0x04
#define IIR_CTI   0x0c
#define IIR_THRI  0x02
#define IIR_FIFO  0xc0
#define FCR_ENABLE    0x01
#define FCR_CLEAR_RX  0x02
#define LCR_DLAB  0x80
#define MCR_LOOP  0x10
#define LSR_DR    0x01
#define LSR_OE    0x02
#define LSR_THRE  0x20
#define LSR_TEMT  0x40
#define MSR_IDLE  0xb0   /* DCD, DSR, CTS: a cable with someone listening */

static const uint8_t trigger_levels[4] = { 1, 4, 8, 14 };

void uart_init(struct uart16550 *u, const struct irq_line *irq, const struct uart_ops *ops)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	if (irq)
		u->irq = *irq;
	if (ops)
		u->ops = *ops;
	u->s.lsr = LSR_THRE | LSR_TEMT;
	u->s.msr = MSR_IDLE;
	u->s.dll = 12;   /* 9600 baud at 1.8432 MHz, the power-on divisor */
}

void uart_destroy(struct uart16550 *u)
{
	pthread_mutex_destroy(&u->lock);
}

static bool fifo_push(struct uart_state *s, uint8_t b)
{
	if (s->fifo_count >= UART_FIFO_SIZE)
		return false;
	s->fifo[(s->fifo_head + s->fifo_count++) % UART_FIFO_SIZE] = b;
	return true;
}

static uint8_t fifo_pop(struct uart_state *s)
{
	if (s->fifo_count == 0)
		return 0;
	uint8_t b = s->fifo[s->fifo_head];
	s->fifo_head = (s->fifo_head + 1) % UART_FIFO_SIZE;
	s->fifo_count--;
	return b;
}

/* Offer queued host bytes to the guest while it listens (see the header).
 * Not in loopback: the receiver is then wired to the transmitter. */
static void refill_locked(struct uart16550 *u)
{
	struct uart_state *s = &u->s;
	if ((s->mcr & MCR_LOOP) || !((s->ier & IER_ERBFI) || u->poll_input))
		return;
	while (s->host_count && s->fifo_count < UART_FIFO_SIZE) {
		fifo_push(s, s->host[s->host_head]);
		s->host_head = (s->host_head + 1) % UART_HOST_QUEUE;
		s->host_count--;
	}
}

static uint8_t iir_locked(const struct uart16550 *u)
{
	const struct uart_state *s = &u->s;
	if ((s->ier & IER_ELSI) && (s->lsr & LSR_OE))
		return IIR_RLS;
	if ((s->ier & IER_ERBFI) && s->fifo_count) {
		/* Below the trigger level the real chip reports a character
		 * timeout after four character times; we report it at once. */
		bool fifo = s->fcr & FCR_ENABLE;
		if (fifo && s->fifo_count < trigger_levels[s->fcr >> 6])
			return IIR_CTI;
		return IIR_RDA;
	}
	if ((s->ier & IER_ETBEI) && s->thr_ipending)
		return IIR_THRI;
	return IIR_NONE;
}

static void update_irq_locked(struct uart16550 *u)
{
	int level = iir_locked(u) != IIR_NONE;
	if (level != u->irq_level) {
		u->irq_level = level;
		irq_set(&u->irq, level);
	}
}

static uint8_t lsr_locked(struct uart16550 *u)
{
	refill_locked(u);
	uint8_t v = u->s.lsr | (u->s.fifo_count ? LSR_DR : 0);
	u->s.lsr &= ~LSR_OE;   /* overrun is reported once */
	return v;
}

static uint8_t msr_locked(const struct uart_state *s)
{
	if (!(s->mcr & MCR_LOOP))
		return MSR_IDLE;
	/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD. */
	return (uint8_t)(((s->mcr & 0x01) << 5) | ((s->mcr & 0x02) << 3) |
			 ((s->mcr & 0x04) << 4) | ((s->mcr & 0x08) << 4));
}

static uint8_t read_locked(struct uart16550 *u, uint64_t reg)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR_DLL: {
		if (dlab)
			return s->dll;
		refill_locked(u);
		uint8_t b = fifo_pop(s);
		refill_locked(u);   /* keep the FIFO topped up from the host queue */
		return b;
	}
	case REG_IER_DLM:
		return dlab ? s->dlm : s->ier;
	case REG_IIR_FCR: {
		uint8_t iir = iir_locked(u);
		if (iir == IIR_THRI)
			s->thr_ipending = 0;   /* reading IIR acknowledges THRE */
		return iir | ((s->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
	}
	case REG_LCR: return s->lcr;
	case REG_MCR: return s->mcr;
	case REG_LSR: return lsr_locked(u);
	case REG_MSR: return msr_locked(s);
	case REG_SCR: return s->scr;
	}
	return 0;
}

static void transmit_locked(struct uart16550 *u, uint8_t b)
{
	struct uart_state *s = &u->s;
	if (s->mcr & MCR_LOOP) {
		if (!fifo_push(s, b))
			s->lsr |= LSR_OE;
	} else if (u->ops.tx) {
		u->ops.tx(u->ops.opaque, &b, 1);
	}
	s->thr_ipending = 1;   /* sent at once: THR is empty again */
}

static void write_fcr_locked(struct uart16550 *u, uint8_t v)
{
	struct uart_state *s = &u->s;
	/* Clearing (or toggling) the FIFO must not lose host input: Linux's
	 * 8250 start-up clears it every time the port is opened, which would
	 * eat bytes piped in before the shell runs.  The unread bytes go back
	 * to the front of the host queue and arrive again, as if they had come
	 * in just after the clear. */
	if ((v & FCR_CLEAR_RX) || ((v ^ s->fcr) & FCR_ENABLE)) {
		/* In loopback the FIFO holds the guest's own bytes: those go. */
		while (s->fifo_count && !(s->mcr & MCR_LOOP)) {
			uint32_t last = (s->fifo_head + s->fifo_count - 1) % UART_FIFO_SIZE;
			s->host_head = (s->host_head + UART_HOST_QUEUE - 1) % UART_HOST_QUEUE;
			s->host[s->host_head] = s->fifo[last];
			s->host_count++;
			s->fifo_count--;
		}
		s->fifo_head = 0;
		s->fifo_count = 0;
	}
	s->fcr = v & 0xc1;
}

static void write_locked(struct uart16550 *u, uint64_t reg, uint8_t v)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & LCR_DLAB;
	switch (reg) {
	case REG_RBR_THR_DLL:
		if (dlab)
			s->dll = v;
		else
			transmit_locked(u, v);
		break;
	case REG_IER_DLM:
		if (dlab) {
			s->dlm = v;
			break;
		}
		if ((v & IER_ETBEI) && !(s->ier & IER_ETBEI))
			s->thr_ipending = 1;   /* THR is empty: enabling fires at once */
		s->ier = v & 0x0f;
		refill_locked(u);
		break;
	case REG_IIR_FCR: write_fcr_locked(u, v); break;
	case REG_LCR: s->lcr = v; break;
	case REG_MCR:
		s->mcr = v & 0x1f;
		refill_locked(u);
		break;
	case REG_SCR: s->scr = v; break;
	default: break;   /* LSR and MSR are read-only */
	}
}

/* Called after a register access with the lock dropped: the console may
 * push more input from inside rx_space. */
static bool host_space_returned_locked(struct uart16550 *u)
{
	if (u->host_was_full && u->s.host_count + u->s.fifo_count < UART_HOST_QUEUE) {
		u->host_was_full = false;
		return u->ops.rx_space != NULL;
	}
	return false;
}

uint64_t uart_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
	struct uart16550 *u = opaque;
	if (size != 1 || offset > REG_SCR)
		return 0;
	pthread_mutex_lock(&u->lock);
	uint8_t v = read_locked(u, offset);
	update_irq_locked(u);
	bool notify = host_space_returned_locked(u);
	pthread_mutex_unlock(&u->lock);
	if (notify)
		u->ops.rx_space(u->ops.opaque);
	return v;
}

void uart_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
	struct uart16550 *u = opaque;
	if (size != 1 || offset > REG_SCR)
		return;
	pthread_mutex_lock(&u->lock);
	write_locked(u, offset, (uint8_t)value);
	update_irq_locked(u);
	bool notify = host_space_returned_locked(u);
	pthread_mutex_unlock(&u->lock);
	if (notify)
		u->ops.rx_space(u->ops.opaque);
}

size_t uart_receive(struct uart16550 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;
	pthread_mutex_lock(&u->lock);
	struct uart_state *s = &u->s;
	for (;;) {
		/* Leave room for a FIFO's worth of bytes handed back by a clear. */
		while (n < len && s->host_count + s->fifo_count < UART_HOST_QUEUE)
			s->host[(s->host_head + s->host_count++) % UART_HOST_QUEUE] = buf[n++];
		uint32_t queued = s->host_count;
		refill_locked(u);
		if (n == len || s->host_count == queued)
			break;
	}
	if (n < len)
		u->host_was_full = true;
	update_irq_locked(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}

void uart_set_poll_input(struct uart16550 *u, bool on)
{
	pthread_mutex_lock(&u->lock);
	u->poll_input = on;
	refill_locked(u);
	update_irq_locked(u);
	pthread_mutex_unlock(&u->lock);
}

size_t uart_rx_space(struct uart16550 *u)
{
	pthread_mutex_lock(&u->lock);
	size_t n = UART_HOST_QUEUE - u->s.host_count - u->s.fifo_count;
	pthread_mutex_unlock(&u->lock);
	return n;
}

void uart_save(struct uart16550 *u, struct uart_state *st)
{
	pthread_mutex_lock(&u->lock);
	*st = u->s;
	pthread_mutex_unlock(&u->lock);
}

int uart_load(struct uart16550 *u, const struct uart_state *st)
{
	if (st->fifo_head >= UART_FIFO_SIZE || st->fifo_count > UART_FIFO_SIZE ||
	    st->host_head >= UART_HOST_QUEUE || st->host_count > UART_HOST_QUEUE)
		return -EINVAL;
	pthread_mutex_lock(&u->lock);
	u->s = *st;
	u->irq_level = 0;
	irq_set(&u->irq, 0);   /* drive the line afresh from the loaded state */
	update_irq_locked(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}

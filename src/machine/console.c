/*
 * Host console: stdin reader thread with QEMU-style Ctrl-A escapes, raw
 * terminal mode, and lossless hand-off of input to the guest UART.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "machine/console.h"

#define CTRL_A 0x01
#define PENDING_MAX 4096

struct console {
	int in_fd, out_fd;
	bool tty;
	struct termios saved;
	struct console_sink sink;
	pthread_t thread;
	bool thread_started;
	int wake[2];                /* pipe: kick or stop the reader */
	volatile int stopping;
	pthread_mutex_t out_lock;
	uint8_t pending[PENDING_MAX];
	size_t npending;
	bool escape;                /* previous byte was Ctrl-A */
};

static struct termios *restore_termios;
static int restore_fd = -1;

static void restore_terminal(void)
{
	if (restore_termios && restore_fd >= 0)
		tcsetattr(restore_fd, TCSANOW, restore_termios);
}

static void enter_raw_mode(struct console *c)
{
	if (tcgetattr(c->in_fd, &c->saved) < 0)
		return;
	c->tty = true;
	restore_termios = &c->saved;
	restore_fd = c->in_fd;
	atexit(restore_terminal);
	struct termios raw = c->saved;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR;   /* keep the host's newline handling for our own messages */
	tcsetattr(c->in_fd, TCSANOW, &raw);
}

/* Offer pending bytes to the guest; keep what it does not take. */
static void flush_pending(struct console *c)
{
	if (!c->npending)
		return;
	size_t n = c->sink.accept(c->sink.opaque, c->pending, c->npending);
	if (n > c->npending)
		n = c->npending;
	memmove(c->pending, c->pending + n, c->npending - n);
	c->npending -= n;
}

/* Terminal escapes: Ctrl-A X quits, Ctrl-A Ctrl-A is a literal Ctrl-A. */
static bool filter_byte(struct console *c, uint8_t b, uint8_t *out)
{
	if (!c->tty) {
		*out = b;
		return true;
	}
	if (c->escape) {
		c->escape = false;
		if (b == 'x' || b == 'X') {
			c->sink.quit(c->sink.opaque);
			return false;
		}
		*out = b;   /* Ctrl-A Ctrl-A, or an unknown escape: pass it on */
		return true;
	}
	if (b == CTRL_A) {
		c->escape = true;
		return false;
	}
	*out = b;
	return true;
}

static void read_input(struct console *c, bool *eof)
{
	uint8_t buf[256];
	size_t room = PENDING_MAX - c->npending;
	if (room > sizeof(buf))
		room = sizeof(buf);
	ssize_t n = read(c->in_fd, buf, room);
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		*eof = true;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		uint8_t b;
		if (filter_byte(c, buf[i], &b))
			c->pending[c->npending++] = b;
	}
}

static void *reader_main(void *arg)
{
	struct console *c = arg;
	bool eof = c->in_fd < 0;
	while (!c->stopping) {
		flush_pending(c);
		struct pollfd fds[2] = {
			{ .fd = c->wake[0], .events = POLLIN },
			{ .fd = (eof || c->npending == PENDING_MAX) ? -1 : c->in_fd, .events = POLLIN },
		};
		/* With input waiting for the guest, look again soon even if no
		 * kick comes (a guest that polls its UART never interrupts us). */
		int timeout = c->npending ? 10 : -1;
		if (poll(fds, 2, timeout) < 0 && errno != EINTR)
			break;
		if (fds[0].revents & POLLIN) {
			char drain[64];
			if (read(c->wake[0], drain, sizeof(drain)) < 0 && errno != EAGAIN)
				break;
		}
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_input(c, &eof);
	}
	return NULL;
}

struct console *console_start(int in_fd, int out_fd, const struct console_sink *sink)
{
	struct console *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->sink = *sink;
	pthread_mutex_init(&c->out_lock, NULL);
	if (pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(c);
		return NULL;
	}
	if (in_fd >= 0 && isatty(in_fd))
		enter_raw_mode(c);
	if (pthread_create(&c->thread, NULL, reader_main, c) == 0)
		c->thread_started = true;
	return c;
}

void console_output(struct console *c, const uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&c->out_lock);
	while (len) {
		ssize_t n = write(c->out_fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;   /* output closed: the guest keeps running */
		buf += n;
		len -= (size_t)n;
	}
	pthread_mutex_unlock(&c->out_lock);
}

void console_kick(struct console *c)
{
	char b = 0;
	if (write(c->wake[1], &b, 1) < 0) {
		/* pipe full: a wake-up is already pending */
	}
}

void console_stop(struct console *c)
{
	if (!c)
		return;
	c->stopping = 1;
	console_kick(c);
	if (c->thread_started)
		pthread_join(c->thread, NULL);
	restore_terminal();
	restore_termios = NULL;
	close(c->wake[0]);
	close(c->wake[1]);
	free(c);
}

/*
 * The host side of the guest console: reads the host's standard input on
 * its own thread and feeds it to the UART, writes guest output to standard
 * output.  On a terminal it switches to raw mode (restored at exit) and
 * understands QEMU's escape: Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A.
 *
 * Input is never dropped: the sink may accept fewer bytes than offered
 * (the guest has not opened its UART yet, or its FIFO is full), and the
 * console keeps the rest and offers it again when console_kick() is called
 * or after a short wait.  End of input is not a reason to stop the guest.
 */
#ifndef POPEK_MACHINE_CONSOLE_H
#define POPEK_MACHINE_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct console_sink {
	/* Returns how many bytes were taken (0..len). Called on the console thread. */
	size_t (*accept)(void *opaque, const uint8_t *buf, size_t len);
	/* The user asked to quit (Ctrl-A X). */
	void (*quit)(void *opaque);
	void *opaque;
};

struct console;

/* in_fd < 0: no input. Returns NULL with errno set on failure. */
struct console *console_start(int in_fd, int out_fd, const struct console_sink *sink);
/* Guest output. Thread-safe. */
void console_output(struct console *c, const uint8_t *buf, size_t len);
/* The UART can take more input now. */
void console_kick(struct console *c);
/* Stop the thread and restore the terminal. */
void console_stop(struct console *c);

#endif

/*
 * Terminal ioctls from a riscv64 guest whose stdin/stdout are a pty the
 * test created: isatty, tcgetattr/tcsetattr round trips (the kernel
 * termios layout and flag bits), window size get/set, FIONREAD, and an
 * unknown request failing cleanly.  Prints "winsize=ROWSxCOLS" as found.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"

int main(void)
{
	struct termios t, raw, back;
	struct winsize ws;
	int p[2], n = -1;

	CHECK(isatty(0) && isatty(1), "isatty on the pty");
	CHECK(tcgetattr(0, &t) == 0, "tcgetattr");
	CHECK((t.c_lflag & ICANON) && (t.c_lflag & ECHO), "pty starts canonical with echo");
	raw = t;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 3;
	raw.c_cc[VTIME] = 7;
	CHECK(tcsetattr(0, TCSANOW, &raw) == 0, "tcsetattr raw");
	CHECK(tcgetattr(0, &back) == 0 && !(back.c_lflag & (ICANON | ECHO)) && back.c_cc[VMIN] == 3 &&
	      back.c_cc[VTIME] == 7 && (back.c_cflag & CSIZE) == CS8, "raw mode read back");
	CHECK(cfsetospeed(&back, B9600) == 0 && tcsetattr(0, TCSADRAIN, &back) == 0, "set speed");
	CHECK(tcgetattr(0, &back) == 0 && cfgetospeed(&back) == B9600, "speed read back");
	CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0, "restore");
	CHECK(tcgetattr(0, &back) == 0 && (back.c_lflag & ICANON), "restored canonical");
	CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ");
	printf("winsize=%dx%d\n", ws.ws_row, ws.ws_col);
	ws.ws_row = 40;
	ws.ws_col = 120;
	CHECK(ioctl(1, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ");
	CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 40 && ws.ws_col == 120, "winsize set");
	CHECK(tcflush(0, TCIFLUSH) == 0, "tcflush");
	CHECK(pipe(p) == 0 && write(p[1], "abc", 3) == 3, "pipe");
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 3, "FIONREAD");
	int on = 1;
	CHECK(ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK), "FIONBIO");
	CHECK(ioctl(p[0], FIOCLEX) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC, "FIOCLEX");
	CHECK(!isatty(p[0]) && errno == ENOTTY, "pipe is not a tty");
	CHECK(ioctl(p[0], _IOR('x', 0x77, int), &n) == -1, "unknown ioctl fails");
	/* A pty of the guest's own: TIOCSPTLCK, TIOCGPTN, then data across. */
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0, "posix_openpt/grantpt/unlockpt");
	char *name = m >= 0 ? ptsname(m) : NULL;
	CHECK(name && !strncmp(name, "/dev/pts/", 9), "ptsname");
	int s = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	CHECK(s >= 0 && isatty(s), "open slave");
	if (s >= 0) {
		struct termios st;
		char buf[16] = { 0 };
		tcgetattr(s, &st);
		cfmakeraw(&st);
		CHECK(tcsetattr(s, TCSANOW, &st) == 0, "slave raw");
		CHECK(write(m, "hi", 2) == 2 && read(s, buf, sizeof(buf)) == 2 && !memcmp(buf, "hi", 2),
		      "master -> slave");
		close(s);
	}
	if (m >= 0)
		close(m);
	return check_done();
}

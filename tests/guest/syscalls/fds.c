/*
 * Descriptor calls from a riscv64 guest: pipes, dup/dup2/dup3, fcntl flags,
 * poll and select (ppoll/pselect6 underneath), epoll with 64-bit user data
 * (whose struct layout differs between riscv64 and x86-64), eventfd and
 * timerfd.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void pipes_and_dup(void)
{
	int p[2];
	char c;

	CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC, "pipe2 O_CLOEXEC");
	CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[0], F_GETFL) & O_ACCMODE) == O_RDONLY,
	      "pipe2 O_NONBLOCK, read end");
	CHECK(read(p[0], &c, 1) == -1 && errno == EAGAIN, "EAGAIN on empty pipe");
	CHECK(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK), "clear O_NONBLOCK");
	CHECK(fcntl(p[0], F_SETFD, 0) == 0 && fcntl(p[0], F_GETFD) == 0, "F_SETFD");
	int d = dup(p[1]);
	CHECK(d > p[1] || d > 2, "dup");
	CHECK(write(d, "z", 1) == 1 && read(p[0], &c, 1) == 1 && c == 'z', "data through dup");
	CHECK(dup2(p[1], 50) == 50 && fcntl(50, F_GETFD) == 0, "dup2");
	CHECK(dup3(p[1], 51, O_CLOEXEC) == 51 && fcntl(51, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC");
	CHECK(dup3(51, 51, 0) == -1 && errno == EINVAL, "dup3 same fd");
	int hi = fcntl(p[0], F_DUPFD_CLOEXEC, 60);
	CHECK(hi >= 60 && fcntl(hi, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
	CHECK(fcntl(p[0], F_GETPIPE_SZ) >= 4096, "F_GETPIPE_SZ");
	close(50); close(51); close(hi); close(d);
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 0, "EOF after writers closed");
	close(p[0]);
	OK("pipes_and_dup");
}

static void poll_select(void)
{
	int p[2];
	struct pollfd pf[2];

	CHECK(pipe(p) == 0, "pipe");
	pf[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pf[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	CHECK(poll(pf, 2, 0) == 1 && pf[1].revents == POLLOUT && pf[0].revents == 0, "poll writable only");
	CHECK(write(p[1], "x", 1) == 1, "write");
	CHECK(poll(pf, 2, 1000) == 2 && (pf[0].revents & POLLIN), "poll readable");
	struct timespec ts = { 0, 1000000 };
	CHECK(ppoll(pf, 1, &ts, NULL) == 1, "ppoll");
	fd_set r, w;
	FD_ZERO(&r); FD_ZERO(&w);
	FD_SET(p[0], &r); FD_SET(p[1], &w);
	struct timeval tv = { 1, 0 };
	CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 2 && FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w), "select");
	char c;
	CHECK(read(p[0], &c, 1) == 1, "drain");
	FD_ZERO(&r); FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 20000 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(select(p[0] + 1, &r, NULL, NULL, &tv) == 0, "select timeout");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 15, "select waited");
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	ts = (struct timespec){ 0, 1000000 };
	CHECK(ppoll(pf, 1, &ts, &mask) == 0, "ppoll with sigmask, timeout");
	close(p[0]); close(p[1]);
	OK("poll_select");
}

static void epoll_eventfd(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int p[2];
	struct epoll_event ev, out[4];

	CHECK(ep >= 0 && efd >= 0 && pipe(p) == 0, "create");
	ev.events = EPOLLIN;
	ev.data.u64 = 0x0123456789abcdefULL;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0, "epoll_ctl add eventfd");
	ev.events = EPOLLIN | EPOLLET;
	ev.data.u64 = 0xfedcba9876543210ULL;
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl add pipe");
	CHECK(epoll_wait(ep, out, 4, 0) == 0, "nothing ready");
	CHECK(eventfd_write(efd, 3) == 0 && write(p[1], "ab", 2) == 2, "make ready");
	int n = epoll_wait(ep, out, 4, 1000);
	int seen = 0;
	for (int i = 0; i < n; i++) {
		if (out[i].data.u64 == 0x0123456789abcdefULL && (out[i].events & EPOLLIN))
			seen |= 1;
		if (out[i].data.u64 == 0xfedcba9876543210ULL && (out[i].events & EPOLLIN))
			seen |= 2;
	}
	CHECK(n == 2 && seen == 3, "epoll_wait events and data");
	eventfd_t v;
	CHECK(eventfd_read(efd, &v) == 0 && v == 3, "eventfd_read");
	CHECK(epoll_wait(ep, out, 4, 0) == 0, "edge-triggered pipe not reported again");
	CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0, "epoll_ctl del");
	ev.events = EPOLLOUT;
	ev.data.fd = p[1];
	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == 0, "add write end");
	sigset_t mask;
	sigemptyset(&mask);
	CHECK(epoll_pwait(ep, out, 1, 100, &mask) == 1 && out[0].data.fd == p[1] &&
	      out[0].events == EPOLLOUT, "epoll_pwait with mask");
	close(ep); close(efd); close(p[0]); close(p[1]);
	OK("epoll_eventfd");
}

static void timerfd(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	struct itimerspec its = { { 0, 0 }, { 0, 5000000 } }, cur;
	uint64_t ticks = 0;

	CHECK(fd >= 0, "timerfd_create");
	CHECK(timerfd_settime(fd, 0, &its, NULL) == 0, "timerfd_settime");
	CHECK(timerfd_gettime(fd, &cur) == 0, "timerfd_gettime");
	CHECK(read(fd, &ticks, 8) == 8 && ticks == 1, "timerfd fired once");
	close(fd);
	OK("timerfd");
}

int main(void)
{
	pipes_and_dup();
	poll_select();
	epoll_eventfd();
	timerfd();
	return check_done();
}

/*
 * Readiness and descriptor plumbing, all deterministic: poll, select and
 * epoll on pipes (readable after a write, POLLHUP after the writer closes),
 * O_NONBLOCK and EAGAIN, eventfd counters, socketpair datagrams and
 * streams, passing a descriptor with SCM_RIGHTS, and F_GETFL/F_SETFL.
 * The structures involved (pollfd, fd_set, epoll_event, msghdr, cmsghdr)
 * all need translation or careful copying by the process VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *what, long r)
{
	if (r < 0)
		printf("%s: %ld errno=%s\n", what, r, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void with_poll(void)
{
	int p[2];
	pipe(p);
	struct pollfd fds[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	show("poll empty pipe", poll(fds, 2, 0));
	printf("  revents %#x %#x\n", fds[0].revents, fds[1].revents);
	write(p[1], "xyz", 3);
	show("poll after write", poll(fds, 2, 0));
	printf("  revents %#x %#x\n", fds[0].revents, fds[1].revents);
	close(p[1]);
	fds[1].fd = -1;                      /* ignored entry */
	show("poll after close", poll(fds, 2, 100));
	printf("  revents %#x %#x\n", fds[0].revents, fds[1].revents);
	char buf[8];
	show("read rest", read(p[0], buf, sizeof(buf)));
	show("read eof", read(p[0], buf, sizeof(buf)));
	close(p[0]);
	struct pollfd bad = { 1000, POLLIN, 0 };
	show("poll closed fd", poll(&bad, 1, 0));
	printf("  revents %#x\n", bad.revents);
}

static void with_select(void)
{
	int p[2];
	pipe(p);
	fd_set r, w;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	struct timeval tv = { 0, 0 };
	show("select empty", select(p[1] + 1, &r, &w, NULL, &tv));
	printf("  r=%d w=%d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	write(p[1], "a", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_usec = 1000;
	show("select readable", select(p[0] + 1, &r, NULL, NULL, &tv));
	printf("  r=%d\n", FD_ISSET(p[0], &r));
	close(p[0]);
	close(p[1]);
}

static void with_epoll(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int p[2];
	pipe(p);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ULL };
	show("epoll_ctl add", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	show("epoll_ctl add again", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	struct epoll_event out[4];
	show("epoll_wait empty", epoll_wait(ep, out, 4, 0));
	write(p[1], "hello", 5);
	int n = epoll_wait(ep, out, 4, 100);
	show("epoll_wait ready", n);
	if (n > 0)
		printf("  events %#x data %#llx\n", out[0].events, (unsigned long long)out[0].data.u64);
	close(p[1]);
	n = epoll_wait(ep, out, 4, 100);
	show("epoll_wait hup", n);
	if (n > 0)
		printf("  events %#x\n", out[0].events);
	show("epoll_ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	show("epoll_wait none", epoll_wait(ep, out, 4, 0));
	close(p[0]);
	close(ep);
}

static void nonblocking_and_eventfd(void)
{
	int p[2];
	pipe2(p, O_NONBLOCK);
	char c;
	show("nonblocking read", read(p[0], &c, 1));
	int fl = fcntl(p[0], F_GETFL);
	printf("F_GETFL nonblock=%d rdonly=%d\n", !!(fl & O_NONBLOCK), (fl & O_ACCMODE) == O_RDONLY);
	fcntl(p[0], F_SETFL, fl & ~O_NONBLOCK);
	printf("F_SETFL cleared=%d\n", !(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);

	int e = eventfd(5, EFD_NONBLOCK);
	uint64_t v = 7;
	show("eventfd write", write(e, &v, 8));
	v = 0;
	show("eventfd read", read(e, &v, 8));
	printf("  value %llu\n", (unsigned long long)v);
	show("eventfd read empty", read(e, &v, 8));
	show("eventfd short read", read(e, &v, 4));
	close(e);
	int es = eventfd(3, EFD_SEMAPHORE);
	read(es, &v, 8);
	printf("semaphore read %llu\n", (unsigned long long)v);
	close(es);
}

static void sockets(void)
{
	int sv[2];
	show("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	send(sv[0], "one", 3, 0);
	send(sv[0], "second", 6, 0);
	char buf[64];
	show("recv 1", recv(sv[1], buf, sizeof(buf), 0));
	show("recv 2 truncated", recv(sv[1], buf, 3, 0));   /* datagram boundaries */
	show("recv empty", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	/* pass a pipe's read end across with SCM_RIGHTS */
	int p[2];
	pipe(p);
	write(p[1], "through", 7);
	char data = 'D';
	struct iovec iov = { &data, 1 };
	union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.space, .msg_controllen = sizeof(ctl.space) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	show("sendmsg", sendmsg(sv[0], &msg, 0));
	close(p[0]);

	char got = 0;
	struct iovec riov = { &got, 1 };
	union { struct cmsghdr h; char space[CMSG_SPACE(sizeof(int))]; } rctl;
	struct msghdr rmsg = { .msg_iov = &riov, .msg_iovlen = 1,
			       .msg_control = rctl.space, .msg_controllen = sizeof(rctl.space) };
	show("recvmsg", recvmsg(sv[1], &rmsg, 0));
	struct cmsghdr *rc = CMSG_FIRSTHDR(&rmsg);
	int passed = -1;
	if (rc && rc->cmsg_type == SCM_RIGHTS)
		memcpy(&passed, CMSG_DATA(rc), sizeof(int));
	printf("  data %c, got fd: %d\n", got, passed >= 0);
	if (passed >= 0) {
		char t[16] = { 0 };
		show("read passed fd", read(passed, t, sizeof(t) - 1));
		printf("  [%s]\n", t);
		close(passed);
	}
	shutdown(sv[0], SHUT_WR);
	show("recv after shutdown", recv(sv[1], buf, sizeof(buf), 0));
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	with_poll();
	with_select();
	with_epoll();
	nonblocking_and_eventfd();
	sockets();
	return 0;
}

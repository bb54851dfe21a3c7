/*
 * Sockets from a riscv64 guest: socketpair, Unix stream and datagram, TCP
 * and UDP over loopback, socket options and names, sendmsg/recvmsg with
 * scatter/gather and SCM_RIGHTS, sendmmsg/recvmmsg, shutdown.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"

static void pair_and_rights(void)
{
	int sv[2], p[2];
	char buf[32] = { 0 };

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC, "SOCK_CLOEXEC");
	CHECK(pipe(p) == 0, "pipe");
	struct iovec iov[2] = { { "scatter", 7 }, { "gather", 6 } };
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl = { 0 };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2, .msg_control = ctl.b,
			    .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &p[1], sizeof(int));
	CHECK(sendmsg(sv[0], &m, 0) == 13, "sendmsg");

	char a[5] = { 0 }, b[16] = { 0 };
	struct iovec riov[2] = { { a, 4 }, { b, 15 } };
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } rctl = { 0 };
	struct msghdr rm = { .msg_iov = riov, .msg_iovlen = 2, .msg_control = rctl.b,
			     .msg_controllen = sizeof(rctl.b) };
	CHECK(recvmsg(sv[1], &rm, 0) == 13 && !strcmp(a, "scat") && !strcmp(b, "tergather"), "recvmsg data");
	c = CMSG_FIRSTHDR(&rm);
	int fd = -1;
	CHECK(c && c->cmsg_type == SCM_RIGHTS, "SCM_RIGHTS received");
	if (c)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	CHECK(fd >= 0 && write(fd, "via passed fd", 13) == 13, "write via passed fd");
	CHECK(read(p[0], buf, sizeof(buf)) == 13 && !memcmp(buf, "via passed fd", 13), "passed fd works");
	CHECK(shutdown(sv[0], SHUT_WR) == 0 && read(sv[1], buf, 1) == 0, "shutdown gives EOF");
	close(fd); close(p[0]); close(p[1]); close(sv[0]); close(sv[1]);
	OK("pair_and_rights");
}

static void unix_dgram(void)
{
	int sv[2];
	char buf[64];

	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "dgram pair");
	struct mmsghdr mm[2];
	struct iovec v[2] = { { "one", 3 }, { "two!", 4 } };
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr.msg_iov = &v[0]; mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &v[1]; mm[1].msg_hdr.msg_iovlen = 1;
	CHECK(sendmmsg(sv[0], mm, 2, 0) == 2 && mm[0].msg_len == 3 && mm[1].msg_len == 4, "sendmmsg");
	char r0[8] = { 0 }, r1[8] = { 0 };
	struct iovec rv[2] = { { r0, 8 }, { r1, 8 } };
	memset(mm, 0, sizeof(mm));
	mm[0].msg_hdr.msg_iov = &rv[0]; mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &rv[1]; mm[1].msg_hdr.msg_iovlen = 1;
	CHECK(recvmmsg(sv[1], mm, 2, MSG_DONTWAIT, NULL) == 2 && mm[1].msg_len == 4 &&
	      !strcmp(r0, "one") && !strcmp(r1, "two!"), "recvmmsg");
	CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == -1 && errno == EAGAIN, "empty EAGAIN");
	close(sv[0]); close(sv[1]);
	OK("unix_dgram");
}

static void tcp_loopback(void)
{
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t len = sizeof(sa);
	int one = 1, v = 0;
	char buf[64] = { 0 };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(ls >= 0, "socket");
	CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0, "SO_REUSEADDR");
	len = sizeof(v);
	CHECK(getsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0 && v == 1 && len == 4, "getsockopt");
	CHECK(bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0, "bind");
	CHECK(listen(ls, 8) == 0, "listen");
	len = sizeof(sa);
	CHECK(getsockname(ls, (struct sockaddr *)&sa, &len) == 0 && sa.sin_port != 0, "getsockname");
	int cs = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(connect(cs, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect");
	struct sockaddr_in peer;
	len = sizeof(peer);
	int as = accept4(ls, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK);
	CHECK(as >= 0 && len == sizeof(peer) && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "accept4");
	CHECK((fcntl(as, F_GETFL) & O_NONBLOCK) != 0, "SOCK_NONBLOCK on accepted");
	CHECK(setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "TCP_NODELAY");
	CHECK(send(cs, "ping", 4, 0) == 4, "send");
	struct pollfd pf = { as, POLLIN, 0 };
	CHECK(poll(&pf, 1, 2000) == 1, "poll accepted");
	CHECK(recv(as, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "ping", 4), "recv");
	len = sizeof(peer);
	CHECK(getpeername(cs, (struct sockaddr *)&peer, &len) == 0 && peer.sin_port == sa.sin_port, "getpeername");
	struct timeval tv = { 0, 50000 };
	CHECK(setsockopt(cs, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO");
	CHECK(recv(cs, buf, 1, 0) == -1 && (errno == EAGAIN || errno == EWOULDBLOCK), "recv times out");
	close(as); close(cs); close(ls);
	OK("tcp_loopback");
}

static void udp_loopback(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET }, from;
	socklen_t len = sizeof(sa);
	char buf[32] = { 0 };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(a, (struct sockaddr *)&sa, sizeof(sa)) == 0, "udp bind");
	CHECK(getsockname(a, (struct sockaddr *)&sa, &len) == 0, "udp getsockname");
	CHECK(sendto(b, "datagram", 8, 0, (struct sockaddr *)&sa, sizeof(sa)) == 8, "sendto");
	len = sizeof(from);
	CHECK(recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 8 &&
	      !memcmp(buf, "datagram", 8) && from.sin_family == AF_INET, "recvfrom");
	close(a); close(b);
	OK("udp_loopback");
}

static void unix_named(const char *dir)
{
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	int ls = socket(AF_UNIX, SOCK_STREAM, 0), cs = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(su.sun_path, sizeof(su.sun_path), "%s/sock", dir);
	unlink(su.sun_path);
	CHECK(bind(ls, (struct sockaddr *)&su, sizeof(su)) == 0 && listen(ls, 1) == 0, "unix bind/listen");
	CHECK(connect(cs, (struct sockaddr *)&su, sizeof(su)) == 0, "unix connect");
	int as = accept(ls, NULL, NULL);
	CHECK(as >= 0, "unix accept");
	struct ucred cr;
	socklen_t len = sizeof(cr);
	CHECK(getsockopt(as, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 && cr.pid == getpid(), "SO_PEERCRED");
	close(as); close(cs); close(ls);
	unlink(su.sun_path);
	OK("unix_named");
}

/* Interface queries through ioctl (struct ifconf carries a pointer). */
static void interfaces(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq reqs[32];
	struct ifconf ifc = { .ifc_len = sizeof(reqs), .ifc_req = reqs };
	int found = 0;

	CHECK(ioctl(fd, SIOCGIFCONF, &ifc) == 0 && ifc.ifc_len > 0 &&
	      ifc.ifc_len % (int)sizeof(struct ifreq) == 0, "SIOCGIFCONF");
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&reqs[i].ifr_addr;
		if (!strcmp(reqs[i].ifr_name, "lo") && sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			found = 1;
	}
	CHECK(found, "lo listed with 127.0.0.1");
	struct ifreq r = { 0 };
	strcpy(r.ifr_name, "lo");
	CHECK(ioctl(fd, SIOCGIFFLAGS, &r) == 0 && (r.ifr_flags & IFF_LOOPBACK), "SIOCGIFFLAGS");
	CHECK(ioctl(fd, SIOCGIFINDEX, &r) == 0 && r.ifr_ifindex > 0 &&
	      (unsigned)r.ifr_ifindex == if_nametoindex("lo"), "SIOCGIFINDEX");
	close(fd);
	OK("interfaces");
}

int main(int argc, char **argv)
{
	pair_and_rights();
	unix_dgram();
	tcp_loopback();
	udp_loopback();
	unix_named(argc > 1 ? argv[1] : "/tmp");
	interfaces();
	return check_done();
}

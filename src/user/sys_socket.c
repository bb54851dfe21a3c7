/*
 * Sockets.  Address families, socket types (SOCK_NONBLOCK/SOCK_CLOEXEC are
 * the O_* bits on both), SOL_SOCKET option numbers, struct sockaddr_*,
 * struct msghdr/mmsghdr and struct cmsghdr are the same on riscv64 and
 * x86-64, and file descriptors in SCM_RIGHTS are host descriptors already.
 * What needs work is every pointer inside a structure: msghdr's name, iov
 * array and control buffer, and the BPF program of SO_ATTACH_FILTER.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"

/* Most messages one sendmmsg/recvmmsg handles (callers loop on a short
 * count, and Linux caps vlen at UIO_MAXIOV anyway). */
#define MMSG_MAX 64

/* riscv64 struct msghdr: pointers and sizes are 64-bit, namelen and flags
 * 32-bit, exactly like x86-64's; kept separate so the guest side stays
 * in guest terms. */
struct rv_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad1;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
	uint32_t pad2;
};
_Static_assert(sizeof(struct rv_msghdr) == RV_SIZEOF_MSGHDR, "msghdr");
_Static_assert(sizeof(struct msghdr) == RV_SIZEOF_MSGHDR, "host msghdr");

static long do_socket(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_socket, (int)a[0], (int)a[1], (int)a[2]));
}

static long do_socketpair(struct uthread *t, const uint64_t a[6])
{
	int sv[2];

	if (syscall(SYS_socketpair, (int)a[0], (int)a[1], (int)a[2], sv) < 0)
		return -errno;
	if (uproc_write(t->proc, a[3], sv, sizeof(sv))) {
		close(sv[0]);
		close(sv[1]);
		return -EFAULT;
	}
	return 0;
}

/* bind/connect: (fd, addr, addrlen) with the address read by the host. */
static long addr_in(struct uthread *t, const uint64_t a[6], long host_nr)
{
	uint32_t len = (uint32_t)a[2];
	void *addr;

	if (len > 4096)
		return -EINVAL;
	if (sys_opt(t, a[1], len, &addr))
		return -EFAULT;
	return sys_ret(syscall(host_nr, sys_fd(a[0]), addr, len));
}

static long do_bind(struct uthread *t, const uint64_t a[6]) { return addr_in(t, a, SYS_bind); }
static long do_connect(struct uthread *t, const uint64_t a[6]) { return addr_in(t, a, SYS_connect); }

static long do_listen(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_listen, sys_fd(a[0]), (int)a[1]));
}

/* An (addr, addrlen*) output pair: the length is in/out, the address
 * buffer is as big as the length says.  Both may be absent. */
static int addr_out(struct uthread *t, uint64_t gaddr, uint64_t glen, void **addr, void **lenp)
{
	uint32_t len = 0;

	*addr = *lenp = NULL;
	if (!glen)
		return gaddr ? -EFAULT : 0;
	if (uproc_read(t->proc, &len, glen, sizeof(len)))
		return -EFAULT;
	if ((int32_t)len < 0)
		return -EINVAL;
	*lenp = sys_buf(t, glen, sizeof(len));
	if (sys_opt(t, gaddr, len, addr))
		return -EFAULT;
	return 0;
}

static long accept_common(struct uthread *t, const uint64_t a[6], int flags)
{
	void *addr, *len;
	int r = addr_out(t, a[1], a[2], &addr, &len);

	if (r)
		return r;
	return sys_ret(syscall(SYS_accept4, sys_fd(a[0]), addr, len, flags));
}

static long do_accept(struct uthread *t, const uint64_t a[6]) { return accept_common(t, a, 0); }
static long do_accept4(struct uthread *t, const uint64_t a[6]) { return accept_common(t, a, (int)a[3]); }

static long name_common(struct uthread *t, const uint64_t a[6], long host_nr)
{
	void *addr, *len;
	int r = addr_out(t, a[1], a[2], &addr, &len);

	if (r)
		return r;
	if (!len)
		return -EFAULT;
	return sys_ret(syscall(host_nr, sys_fd(a[0]), addr, len));
}

static long do_getsockname(struct uthread *t, const uint64_t a[6]) { return name_common(t, a, SYS_getsockname); }
static long do_getpeername(struct uthread *t, const uint64_t a[6]) { return name_common(t, a, SYS_getpeername); }

/* sendto(fd, buf, len, flags, addr, addrlen) */
static long do_sendto(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]), *addr;
	uint32_t alen = (uint32_t)a[5];

	if (!buf)
		return -EFAULT;
	if (alen > 4096)
		return -EINVAL;
	if (sys_opt(t, a[4], alen, &addr))
		return -EFAULT;
	return sys_ret(syscall(SYS_sendto, sys_fd(a[0]), buf, (size_t)a[2], (int)a[3], addr, alen));
}

/* recvfrom(fd, buf, len, flags, addr*, addrlen*) */
static long do_recvfrom(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[1], a[2]), *addr, *len;
	int r;

	if (!buf)
		return -EFAULT;
	r = addr_out(t, a[4], a[5], &addr, &len);
	if (r)
		return r;
	return sys_ret(syscall(SYS_recvfrom, sys_fd(a[0]), buf, (size_t)a[2], (int)a[3], addr, len));
}

/* SO_ATTACH_FILTER / SO_ATTACH_REUSEPORT_CBPF carry struct sock_fprog
 * { u16 len; u64 filter; } whose filter pointer is a guest address. */
static long attach_filter(struct uthread *t, const uint64_t a[6])
{
	struct { uint16_t len; uint16_t pad[3]; uint64_t filter; } g;
	struct { unsigned short len; void *filter; } h;

	if ((uint32_t)a[4] < sizeof(g))
		return -EINVAL;
	if (uproc_read(t->proc, &g, a[3], sizeof(g)))
		return -EFAULT;
	h.len = g.len;
	h.filter = sys_buf(t, g.filter, (uint64_t)g.len * 8);
	if (!h.filter)
		return -EFAULT;
	return sys_ret(syscall(SYS_setsockopt, sys_fd(a[0]), (int)a[1], (int)a[2], &h, sizeof(h)));
}

static long do_setsockopt(struct uthread *t, const uint64_t a[6])
{
	uint32_t len = (uint32_t)a[4];
	void *val;

	if ((int)a[1] == SOL_SOCKET && ((int)a[2] == SO_ATTACH_FILTER ||
					 (int)a[2] == SO_ATTACH_REUSEPORT_CBPF))
		return attach_filter(t, a);
	if (len > 65536)
		return -EINVAL;
	if (sys_opt(t, a[3], len, &val))
		return -EFAULT;
	return sys_ret(syscall(SYS_setsockopt, sys_fd(a[0]), (int)a[1], (int)a[2], val, len));
}

static long do_getsockopt(struct uthread *t, const uint64_t a[6])
{
	void *val, *len;
	int r = addr_out(t, a[3], a[4], &val, &len);

	if (r)
		return r;
	if (!len)
		return -EFAULT;
	return sys_ret(syscall(SYS_getsockopt, sys_fd(a[0]), (int)a[1], (int)a[2], val, len));
}

static long do_shutdown(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_shutdown, sys_fd(a[0]), (int)a[1]));
}

/* Build a host msghdr from a guest one; iov must hold SYS_IOV_MAX. */
static long msg_in(struct uthread *t, const struct rv_msghdr *g, struct msghdr *h, struct iovec *iov)
{
	long n;

	memset(h, 0, sizeof(*h));
	if (g->namelen > 4096 || g->controllen > (1u << 20))
		return -EINVAL;
	if (sys_opt(t, g->name, g->namelen, &h->msg_name) ||
	    sys_opt(t, g->control, g->controllen, &h->msg_control))
		return -EFAULT;
	n = sys_iov_get(t, g->iov, g->iovlen, iov);
	if (n < 0)
		return n == -EINVAL ? -EMSGSIZE : n;
	h->msg_namelen = g->name ? g->namelen : 0;
	h->msg_iov = iov;
	h->msg_iovlen = (size_t)n;
	h->msg_controllen = g->control ? g->controllen : 0;
	h->msg_flags = 0;
	return 0;
}

/* After recvmsg: the kernel updated namelen, controllen and flags. */
static void msg_out(const struct msghdr *h, struct rv_msghdr *g)
{
	g->namelen = h->msg_namelen;
	g->controllen = h->msg_controllen;
	g->flags = h->msg_flags;
}

static long msg_common(struct uthread *t, const uint64_t a[6], int is_recv)
{
	struct iovec iov[SYS_IOV_MAX];
	struct rv_msghdr g;
	struct msghdr h;
	long r;

	if (uproc_read(t->proc, &g, a[1], sizeof(g)))
		return -EFAULT;
	r = msg_in(t, &g, &h, iov);
	if (r)
		return r;
	if (!is_recv)
		return sys_ret(syscall(SYS_sendmsg, sys_fd(a[0]), &h, (int)a[2]));
	r = sys_ret(syscall(SYS_recvmsg, sys_fd(a[0]), &h, (int)a[2]));
	if (r >= 0) {
		msg_out(&h, &g);
		if (uproc_write(t->proc, a[1], &g, sizeof(g)))
			return -EFAULT;
	}
	return r;
}

static long do_sendmsg(struct uthread *t, const uint64_t a[6]) { return msg_common(t, a, 0); }
static long do_recvmsg(struct uthread *t, const uint64_t a[6]) { return msg_common(t, a, 1); }

/* sendmmsg(fd, msgvec, vlen, flags) / recvmmsg(fd, msgvec, vlen, flags,
 * timeout): each guest mmsghdr is a msghdr plus the u32 msg_len result. */
static long mmsg_common(struct uthread *t, const uint64_t a[6], int is_recv)
{
	unsigned vlen = (unsigned)a[2] > MMSG_MAX ? MMSG_MAX : (unsigned)a[2];
	struct rv_msghdr g[MMSG_MAX];
	struct mmsghdr h[MMSG_MAX];
	struct iovec *iov;
	void *tmo = NULL;
	long r = 0;

	if (is_recv && sys_opt(t, a[4], RV_SIZEOF_TIMESPEC, &tmo))
		return -EFAULT;
	iov = calloc((size_t)vlen ? vlen : 1, SYS_IOV_MAX * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	for (unsigned i = 0; i < vlen && !r; i++) {
		if (uproc_read(t->proc, &g[i], a[1] + (uint64_t)i * RV_SIZEOF_MMSGHDR, sizeof(g[i])))
			r = -EFAULT;
		else
			r = msg_in(t, &g[i], &h[i].msg_hdr, iov + (size_t)i * SYS_IOV_MAX);
		h[i].msg_len = 0;
	}
	if (!r)
		r = is_recv ? sys_ret(syscall(SYS_recvmmsg, sys_fd(a[0]), h, vlen, (int)a[3], tmo))
			    : sys_ret(syscall(SYS_sendmmsg, sys_fd(a[0]), h, vlen, (int)a[3]));
	for (long i = 0; r > 0 && i < r; i++) {
		uint64_t base = a[1] + (uint64_t)i * RV_SIZEOF_MMSGHDR;
		uint32_t len = h[i].msg_len;

		msg_out(&h[i].msg_hdr, &g[i]);
		if ((is_recv && uproc_write(t->proc, base, &g[i], sizeof(g[i]))) ||
		    uproc_write(t->proc, base + RV_SIZEOF_MSGHDR, &len, sizeof(len)))
			r = -EFAULT;
	}
	free(iov);
	return r;
}

static long do_sendmmsg(struct uthread *t, const uint64_t a[6]) { return mmsg_common(t, a, 0); }
static long do_recvmmsg(struct uthread *t, const uint64_t a[6]) { return mmsg_common(t, a, 1); }

void sys_socket_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_socket, do_socket);
	SYS_SET(tbl, RVSYS_socketpair, do_socketpair);
	SYS_SET(tbl, RVSYS_bind, do_bind);
	SYS_SET(tbl, RVSYS_connect, do_connect);
	SYS_SET(tbl, RVSYS_listen, do_listen);
	SYS_SET(tbl, RVSYS_accept, do_accept);
	SYS_SET(tbl, RVSYS_accept4, do_accept4);
	SYS_SET(tbl, RVSYS_getsockname, do_getsockname);
	SYS_SET(tbl, RVSYS_getpeername, do_getpeername);
	SYS_SET(tbl, RVSYS_sendto, do_sendto);
	SYS_SET(tbl, RVSYS_recvfrom, do_recvfrom);
	SYS_SET(tbl, RVSYS_setsockopt, do_setsockopt);
	SYS_SET(tbl, RVSYS_getsockopt, do_getsockopt);
	SYS_SET(tbl, RVSYS_shutdown, do_shutdown);
	SYS_SET(tbl, RVSYS_sendmsg, do_sendmsg);
	SYS_SET(tbl, RVSYS_recvmsg, do_recvmsg);
	SYS_SET(tbl, RVSYS_sendmmsg, do_sendmmsg);
	SYS_SET(tbl, RVSYS_recvmmsg, do_recvmmsg);
}

/*
 * ioctl: a whitelist.  An ioctl argument's meaning depends on the driver, so
 * passing unknown requests through would let a guest hand the host kernel a
 * pointer with the wrong size; every request we accept says how big its
 * argument is, and everything else is -ENOTTY (what Linux answers for a
 * request the file does not understand).
 *
 * Request numbers: riscv64 and x86-64 both use <asm-generic/ioctls.h>, and
 * the kernel termios / termios2 / winsize structures and their flag bits
 * (<asm-generic/termbits.h>) are the same, so accepted requests pass
 * through unchanged; the static asserts pin that against the host headers.
 */
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"

#define IFREQ_SIZE 40   /* struct ifreq on both 64-bit ABIs */

enum ioctl_arg {
	ARG_NONE,   /* no argument */
	ARG_VAL,    /* an integer passed by value */
	ARG_PTR,    /* a pointer to `size` bytes */
};

struct ioctl_desc {
	uint32_t req;
	uint8_t kind;
	uint8_t size;
};

static const struct ioctl_desc ioctls[] = {
	{ 0x5401, ARG_PTR, sizeof(struct rv_termios) },   /* TCGETS */
	{ 0x5402, ARG_PTR, sizeof(struct rv_termios) },   /* TCSETS */
	{ 0x5403, ARG_PTR, sizeof(struct rv_termios) },   /* TCSETSW */
	{ 0x5404, ARG_PTR, sizeof(struct rv_termios) },   /* TCSETSF */
	{ 0x802C542A, ARG_PTR, sizeof(struct rv_termios2) }, /* TCGETS2 */
	{ 0x402C542B, ARG_PTR, sizeof(struct rv_termios2) }, /* TCSETS2 */
	{ 0x402C542C, ARG_PTR, sizeof(struct rv_termios2) }, /* TCSETSW2 */
	{ 0x402C542D, ARG_PTR, sizeof(struct rv_termios2) }, /* TCSETSF2 */
	{ 0x5409, ARG_VAL, 0 },    /* TCSBRK */
	{ 0x540A, ARG_VAL, 0 },    /* TCXONC */
	{ 0x540B, ARG_VAL, 0 },    /* TCFLSH */
	{ 0x540C, ARG_NONE, 0 },   /* TIOCEXCL */
	{ 0x540D, ARG_NONE, 0 },   /* TIOCNXCL */
	{ 0x540E, ARG_VAL, 0 },    /* TIOCSCTTY */
	{ 0x540F, ARG_PTR, 4 },    /* TIOCGPGRP */
	{ 0x5410, ARG_PTR, 4 },    /* TIOCSPGRP */
	{ 0x5411, ARG_PTR, 4 },    /* TIOCOUTQ */
	{ 0x5413, ARG_PTR, RV_SIZEOF_WINSIZE }, /* TIOCGWINSZ */
	{ 0x5414, ARG_PTR, RV_SIZEOF_WINSIZE }, /* TIOCSWINSZ */
	{ 0x5415, ARG_PTR, 4 },    /* TIOCMGET */
	{ 0x5416, ARG_PTR, 4 },    /* TIOCMBIS */
	{ 0x5417, ARG_PTR, 4 },    /* TIOCMBIC */
	{ 0x5418, ARG_PTR, 4 },    /* TIOCMSET */
	{ 0x541B, ARG_PTR, 4 },    /* FIONREAD */
	{ 0x541D, ARG_NONE, 0 },   /* TIOCCONS */
	{ 0x5420, ARG_PTR, 4 },    /* TIOCPKT */
	{ 0x5421, ARG_PTR, 4 },    /* FIONBIO */
	{ 0x5422, ARG_NONE, 0 },   /* TIOCNOTTY */
	{ 0x5423, ARG_PTR, 4 },    /* TIOCSETD */
	{ 0x5424, ARG_PTR, 4 },    /* TIOCGETD */
	{ 0x5429, ARG_PTR, 4 },    /* TIOCGSID */
	{ 0x80045430, ARG_PTR, 4 }, /* TIOCGPTN */
	{ 0x40045431, ARG_PTR, 4 }, /* TIOCSPTLCK */
	{ 0x5425, ARG_VAL, 0 },    /* TCSBRKP */
	{ 0x80045432, ARG_PTR, 4 }, /* TIOCGDEV */
	{ 0x40045436, ARG_VAL, 0 }, /* TIOCSIG */
	{ 0x80045438, ARG_PTR, 4 }, /* TIOCGPKT */
	{ 0x80045439, ARG_PTR, 4 }, /* TIOCGPTLCK */
	{ 0x80045440, ARG_PTR, 4 }, /* TIOCGEXCL */
	{ 0x5441, ARG_VAL, 0 },    /* TIOCGPTPEER */
	{ 0x5450, ARG_NONE, 0 },   /* FIONCLEX */
	{ 0x5451, ARG_NONE, 0 },   /* FIOCLEX */
	{ 0x5452, ARG_PTR, 4 },    /* FIOASYNC */
	{ 0x5460, ARG_PTR, 8 },    /* FIOQSIZE */
	{ 0x8905, ARG_PTR, 4 },    /* SIOCATMARK */
	{ 0x40049409, ARG_VAL, 0 }, /* FICLONE */
	{ 0x80086601, ARG_PTR, 8 }, /* FS_IOC_GETFLAGS */
	{ 0x40086602, ARG_PTR, 8 }, /* FS_IOC_SETFLAGS */
	/* block devices (mkfs, dd, lsblk-like tools) */
	{ 0x80081272, ARG_PTR, 8 }, /* BLKGETSIZE64 */
	{ 0x1260, ARG_PTR, 8 },    /* BLKGETSIZE */
	{ 0x1268, ARG_PTR, 4 },    /* BLKSSZGET */
	{ 0x80081270, ARG_PTR, 8 }, /* BLKBSZGET */
	{ 0x125e, ARG_PTR, 4 },    /* BLKROGET */
	{ 0x1261, ARG_NONE, 0 },   /* BLKFLSBUF */
	/* network interface queries: struct ifreq (40 bytes, no pointers for
	 * these requests); the setters are left out on purpose */
	{ 0x8906, ARG_PTR, 16 },   /* SIOCGSTAMP_OLD */
	{ 0x8910, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFNAME */
	{ 0x8913, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFFLAGS */
	{ 0x8915, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFADDR */
	{ 0x8917, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFDSTADDR */
	{ 0x8919, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFBRDADDR */
	{ 0x891b, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFNETMASK */
	{ 0x891d, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFMETRIC */
	{ 0x8921, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFMTU */
	{ 0x8927, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFHWADDR */
	{ 0x8933, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFINDEX */
	{ 0x8942, ARG_PTR, IFREQ_SIZE }, /* SIOCGIFTXQLEN */
};

/* SIOCGIFCONF's struct ifconf { int len; char *buf; } holds a guest pointer. */
#define RV_SIOCGIFCONF 0x8912

_Static_assert(TCGETS == 0x5401 && TCSETSF == 0x5404, "termios ioctls");
_Static_assert(TIOCGWINSZ == 0x5413 && TIOCSCTTY == 0x540E, "tty ioctls");
_Static_assert(FIONREAD == 0x541B && FIONBIO == 0x5421 && FIOCLEX == 0x5451, "fio ioctls");
_Static_assert(TIOCGPTN == 0x80045430 && TIOCSPTLCK == 0x40045431, "pty ioctls");
_Static_assert(sizeof(struct winsize) == RV_SIZEOF_WINSIZE, "winsize");
_Static_assert(sizeof(struct ifreq) == IFREQ_SIZE && SIOCGIFCONF == RV_SIOCGIFCONF, "ifreq");
_Static_assert(sizeof(struct rv_termios) == 36 && sizeof(struct rv_termios2) == 44, "termios");

static const struct ioctl_desc *ioctl_find(uint32_t req)
{
	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]); i++)
		if (ioctls[i].req == req)
			return &ioctls[i];
	return NULL;
}

static long ifconf(struct uthread *t, int fd, uint64_t garg)
{
	struct { int32_t len; int32_t pad; uint64_t buf; } g;
	struct ifconf h;
	long r;

	if (uproc_read(t->proc, &g, garg, sizeof(g)))
		return -EFAULT;
	if (g.len < 0)
		return -EINVAL;
	h.ifc_len = g.len;
	h.ifc_buf = NULL;
	if (g.buf && !(h.ifc_buf = sys_buf(t, g.buf, (uint64_t)g.len)))
		return -EFAULT;
	r = sys_ret(syscall(SYS_ioctl, fd, SIOCGIFCONF, &h));
	if (r < 0)
		return r;
	g.len = h.ifc_len;
	return uproc_write(t->proc, garg, &g, sizeof(g)) ? -EFAULT : r;
}

static long do_ioctl(struct uthread *t, const uint64_t a[6])
{
	const struct ioctl_desc *d;
	void *p;

	if ((uint32_t)a[1] == RV_SIOCGIFCONF)
		return ifconf(t, sys_fd(a[0]), a[2]);
	/* The request is an unsigned int; Linux ignores the upper half. */
	d = ioctl_find((uint32_t)a[1]);
	if (!d)
		return -ENOTTY;
	switch (d->kind) {
	case ARG_NONE:
		return sys_ret(syscall(SYS_ioctl, sys_fd(a[0]), (unsigned long)d->req, 0UL));
	case ARG_VAL:
		return sys_ret(syscall(SYS_ioctl, sys_fd(a[0]), (unsigned long)d->req, (unsigned long)a[2]));
	default:
		p = sys_buf(t, a[2], d->size);
		if (!p)
			return -EFAULT;
		return sys_ret(syscall(SYS_ioctl, sys_fd(a[0]), (unsigned long)d->req, p));
	}
}

void sys_ioctl_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_ioctl, do_ioctl);
}

/*
 * Process identity: pids, user and group ids, process groups and sessions.
 * The guest process is the host process, so these are the host's answers.
 * Raw system calls on purpose: the host libc's setuid() family changes every
 * host thread, while the kernel call (what the guest asked for) changes only
 * the calling thread; the guest's own libc broadcasts it to its threads.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/sys_numbers.h"

/* Calls whose arguments are plain integers map one to one. */
#define PASS0(name) \
	static long do_##name(struct uthread *t, const uint64_t a[6]) \
	{ (void)t; (void)a; return sys_ret(syscall(SYS_##name)); }
#define PASS1(name) \
	static long do_##name(struct uthread *t, const uint64_t a[6]) \
	{ (void)t; return sys_ret(syscall(SYS_##name, (long)(int)a[0])); }
#define PASS2(name) \
	static long do_##name(struct uthread *t, const uint64_t a[6]) \
	{ (void)t; return sys_ret(syscall(SYS_##name, (long)(int)a[0], (long)(int)a[1])); }
#define PASS3(name) \
	static long do_##name(struct uthread *t, const uint64_t a[6]) \
	{ (void)t; return sys_ret(syscall(SYS_##name, (long)(int)a[0], (long)(int)a[1], \
					  (long)(int)a[2])); }

PASS0(getpid)
PASS0(getppid)
PASS0(getuid)
PASS0(geteuid)
PASS0(getgid)
PASS0(getegid)
PASS0(setsid)
PASS1(setuid)
PASS1(setgid)
PASS1(getpgid)
PASS1(getsid)
PASS1(setfsuid)
PASS1(setfsgid)
PASS2(setpgid)
PASS2(setreuid)
PASS2(setregid)
PASS3(setresuid)
PASS3(setresgid)

/* getresuid(ruid*, euid*, suid*): three 4-byte outputs. */
static long get3(struct uthread *t, const uint64_t a[6], long host_nr)
{
	void *p[3];

	for (int i = 0; i < 3; i++)
		if (!(p[i] = sys_buf(t, a[i], sizeof(uint32_t))))
			return -EFAULT;
	return sys_ret(syscall(host_nr, p[0], p[1], p[2]));
}

static long do_getresuid(struct uthread *t, const uint64_t a[6]) { return get3(t, a, SYS_getresuid); }
static long do_getresgid(struct uthread *t, const uint64_t a[6]) { return get3(t, a, SYS_getresgid); }

/* getgroups(size, list): size 0 asks for the count and list may be NULL. */
static long do_getgroups(struct uthread *t, const uint64_t a[6])
{
	int n = (int)a[0];
	void *list;

	if (n < 0)
		return -EINVAL;
	if (sys_opt(t, a[1], (uint64_t)n * sizeof(uint32_t), &list))
		return -EFAULT;
	return sys_ret(syscall(SYS_getgroups, n, list));
}

static long do_setgroups(struct uthread *t, const uint64_t a[6])
{
	int n = (int)a[0];
	void *list;

	if (n < 0 || n > 65536)
		return -EINVAL;
	if (sys_opt(t, a[1], (uint64_t)n * sizeof(uint32_t), &list))
		return -EFAULT;
	return sys_ret(syscall(SYS_setgroups, n, list));
}

void sys_ids_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_getpid, do_getpid);
	SYS_SET(tbl, RVSYS_getppid, do_getppid);
	SYS_SET(tbl, RVSYS_getuid, do_getuid);
	SYS_SET(tbl, RVSYS_geteuid, do_geteuid);
	SYS_SET(tbl, RVSYS_getgid, do_getgid);
	SYS_SET(tbl, RVSYS_getegid, do_getegid);
	SYS_SET(tbl, RVSYS_setsid, do_setsid);
	SYS_SET(tbl, RVSYS_setuid, do_setuid);
	SYS_SET(tbl, RVSYS_setgid, do_setgid);
	SYS_SET(tbl, RVSYS_getpgid, do_getpgid);
	SYS_SET(tbl, RVSYS_getsid, do_getsid);
	SYS_SET(tbl, RVSYS_setfsuid, do_setfsuid);
	SYS_SET(tbl, RVSYS_setfsgid, do_setfsgid);
	SYS_SET(tbl, RVSYS_setpgid, do_setpgid);
	SYS_SET(tbl, RVSYS_setreuid, do_setreuid);
	SYS_SET(tbl, RVSYS_setregid, do_setregid);
	SYS_SET(tbl, RVSYS_setresuid, do_setresuid);
	SYS_SET(tbl, RVSYS_setresgid, do_setresgid);
	SYS_SET(tbl, RVSYS_getresuid, do_getresuid);
	SYS_SET(tbl, RVSYS_getresgid, do_getresgid);
	SYS_SET(tbl, RVSYS_getgroups, do_getgroups);
	SYS_SET(tbl, RVSYS_setgroups, do_setgroups);
}

/*
 * Clocks, sleeps and interval timers.  Every time structure (timespec,
 * timeval, itimerval, itimerspec, tms) is made of 64-bit fields on both
 * ABIs and clock ids are the same numbers, so these are pass-throughs with
 * checked pointers.  A sleep interrupted by a host signal returns -EINTR
 * with the remaining time written, as Linux does; the dispatcher handles
 * the signal.
 *
 * Timers that signal (setitimer, timer_create) raise the signal on the
 * host; the process VM's host handler forwards it to the guest.
 */
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/uproc_priv.h"
#include "user/sys_numbers.h"

/* struct sigevent is 64 bytes on both 64-bit ABIs. */
#define RV_SIZEOF_SIGEVENT 64

static long do_clock_gettime(struct uthread *t, const uint64_t a[6])
{
	void *ts = sys_buf(t, a[1], RV_SIZEOF_TIMESPEC);

	if (!ts)
		return -EFAULT;
	return sys_ret(syscall(SYS_clock_gettime, (clockid_t)a[0], ts));
}

static long do_clock_settime(struct uthread *t, const uint64_t a[6])
{
	void *ts = sys_buf(t, a[1], RV_SIZEOF_TIMESPEC);

	if (!ts)
		return -EFAULT;
	return sys_ret(syscall(SYS_clock_settime, (clockid_t)a[0], ts));
}

static long do_clock_getres(struct uthread *t, const uint64_t a[6])
{
	void *ts;

	if (sys_opt(t, a[1], RV_SIZEOF_TIMESPEC, &ts))
		return -EFAULT;
	return sys_ret(syscall(SYS_clock_getres, (clockid_t)a[0], ts));
}

static long do_clock_nanosleep(struct uthread *t, const uint64_t a[6])
{
	void *req = sys_buf(t, a[2], RV_SIZEOF_TIMESPEC), *rem;

	if (!req || sys_opt(t, a[3], RV_SIZEOF_TIMESPEC, &rem))
		return -EFAULT;
	return uproc_blocking_syscall(t, SYS_clock_nanosleep, (clockid_t)a[0], (int)a[1], (long)req, (long)rem, 0, 0);
}

static long do_nanosleep(struct uthread *t, const uint64_t a[6])
{
	void *req = sys_buf(t, a[0], RV_SIZEOF_TIMESPEC), *rem;

	if (!req || sys_opt(t, a[1], RV_SIZEOF_TIMESPEC, &rem))
		return -EFAULT;
	return uproc_blocking_syscall(t, SYS_nanosleep, (long)req, (long)rem, 0, 0, 0, 0);
}

/* gettimeofday(tv, tz): both optional. */
static long do_gettimeofday(struct uthread *t, const uint64_t a[6])
{
	void *tv, *tz;

	if (sys_opt(t, a[0], RV_SIZEOF_TIMEVAL, &tv) || sys_opt(t, a[1], 8, &tz))
		return -EFAULT;
	return sys_ret(syscall(SYS_gettimeofday, tv, tz));
}

static long do_settimeofday(struct uthread *t, const uint64_t a[6])
{
	void *tv, *tz;

	if (sys_opt(t, a[0], RV_SIZEOF_TIMEVAL, &tv) || sys_opt(t, a[1], 8, &tz))
		return -EFAULT;
	return sys_ret(syscall(SYS_settimeofday, tv, tz));
}

static long do_times(struct uthread *t, const uint64_t a[6])
{
	void *buf;

	if (sys_opt(t, a[0], RV_SIZEOF_TMS, &buf))
		return -EFAULT;
	return sys_ret(syscall(SYS_times, buf));
}

static long do_getitimer(struct uthread *t, const uint64_t a[6])
{
	void *cur = sys_buf(t, a[1], RV_SIZEOF_ITIMERVAL);

	if (!cur)
		return -EFAULT;
	return sys_ret(syscall(SYS_getitimer, (int)a[0], cur));
}

static long do_setitimer(struct uthread *t, const uint64_t a[6])
{
	void *nv, *ov;

	if (sys_opt(t, a[1], RV_SIZEOF_ITIMERVAL, &nv) || sys_opt(t, a[2], RV_SIZEOF_ITIMERVAL, &ov))
		return -EFAULT;
	return sys_ret(syscall(SYS_setitimer, (int)a[0], nv, ov));
}

static long do_timer_create(struct uthread *t, const uint64_t a[6])
{
	void *sev, *id = sys_buf(t, a[2], sizeof(int));

	if (!id || sys_opt(t, a[1], RV_SIZEOF_SIGEVENT, &sev))
		return -EFAULT;
	return sys_ret(syscall(SYS_timer_create, (clockid_t)a[0], sev, id));
}

static long do_timer_settime(struct uthread *t, const uint64_t a[6])
{
	void *nv = sys_buf(t, a[2], RV_SIZEOF_ITIMERSPEC), *ov;

	if (!nv || sys_opt(t, a[3], RV_SIZEOF_ITIMERSPEC, &ov))
		return -EFAULT;
	return sys_ret(syscall(SYS_timer_settime, (int)a[0], (int)a[1], nv, ov));
}

static long do_timer_gettime(struct uthread *t, const uint64_t a[6])
{
	void *cur = sys_buf(t, a[1], RV_SIZEOF_ITIMERSPEC);

	if (!cur)
		return -EFAULT;
	return sys_ret(syscall(SYS_timer_gettime, (int)a[0], cur));
}

static long do_timer_getoverrun(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_timer_getoverrun, (int)a[0]));
}

static long do_timer_delete(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_timer_delete, (int)a[0]));
}

void sys_time_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_clock_gettime, do_clock_gettime);
	SYS_SET(tbl, RVSYS_clock_settime, do_clock_settime);
	SYS_SET(tbl, RVSYS_clock_getres, do_clock_getres);
	SYS_SET(tbl, RVSYS_clock_nanosleep, do_clock_nanosleep);
	SYS_SET(tbl, RVSYS_nanosleep, do_nanosleep);
	SYS_SET(tbl, RVSYS_gettimeofday, do_gettimeofday);
	SYS_SET(tbl, RVSYS_settimeofday, do_settimeofday);
	SYS_SET(tbl, RVSYS_times, do_times);
	SYS_SET(tbl, RVSYS_getitimer, do_getitimer);
	SYS_SET(tbl, RVSYS_setitimer, do_setitimer);
	SYS_SET(tbl, RVSYS_timer_create, do_timer_create);
	SYS_SET(tbl, RVSYS_timer_settime, do_timer_settime);
	SYS_SET(tbl, RVSYS_timer_gettime, do_timer_gettime);
	SYS_SET(tbl, RVSYS_timer_getoverrun, do_timer_getoverrun);
	SYS_SET(tbl, RVSYS_timer_delete, do_timer_delete);
}

/*
 * Everything else a riscv64 libc asks the kernel about itself: uname (the
 * machine is riscv64, the rest is the host's), getrandom, resource limits,
 * usage, sysinfo, prctl, the scheduler, personality, membarrier, and
 * riscv_flush_icache (riscv_hwprobe is in sys_hwprobe.c).
 *
 * Resource limits that describe popek's own address space (RLIMIT_AS,
 * RLIMIT_DATA, RLIMIT_STACK) are emulated for the calling process: applying
 * a guest's RLIMIT_AS to the host would stop popek from reserving its guest
 * window.  The other limits are the host's.
 *
 * sys_misc_register also registers the ids and socket families.
 */
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "user/sys_abi.h"
#include "user/sys_common.h"
#include "user/sys_numbers.h"
#include "user/uproc_priv.h"

/* asm-generic resource numbers: x86-64 uses the same table. */
enum { RV_RLIMIT_DATA = 2, RV_RLIMIT_STACK = 3, RV_RLIMIT_AS = 9, RV_RLIM_NLIMITS = 16 };

static pthread_mutex_t rlimit_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rlimit emulated[RV_RLIM_NLIMITS];
static bool emulated_valid[RV_RLIM_NLIMITS];

static long do_uname(struct uthread *t, const uint64_t a[6])
{
	struct utsname u;

	_Static_assert(sizeof(u) == RV_SIZEOF_UTSNAME, "struct utsname");
	if (uname(&u) < 0)
		return -errno;
	memset(u.machine, 0, sizeof(u.machine));
	strcpy(u.machine, "riscv64");
	return uproc_write(t->proc, a[0], &u, sizeof(u)) ? -EFAULT : 0;
}

static long do_getrandom(struct uthread *t, const uint64_t a[6])
{
	void *buf = sys_buf(t, a[0], a[1]);

	if (!buf)
		return -EFAULT;
	return sys_ret(syscall(SYS_getrandom, buf, (size_t)a[1], (unsigned)a[2]));
}

static bool rlimit_is_emulated(int res)
{
	return res == RV_RLIMIT_AS || res == RV_RLIMIT_DATA || res == RV_RLIMIT_STACK;
}

/* Get and/or set an emulated limit (host limits are the starting values). */
static long rlimit_emulate(int res, const struct rlimit *nv, struct rlimit *ov)
{
	long r = 0;

	pthread_mutex_lock(&rlimit_lock);
	if (!emulated_valid[res]) {
		getrlimit(res, &emulated[res]);
		emulated_valid[res] = true;
	}
	if (nv && nv->rlim_cur > nv->rlim_max)
		r = -EINVAL;
	else if (nv && nv->rlim_max > emulated[res].rlim_max && geteuid() != 0)
		r = -EPERM;
	if (!r && ov)
		*ov = emulated[res];
	if (!r && nv)
		emulated[res] = *nv;
	pthread_mutex_unlock(&rlimit_lock);
	return r;
}

/* The core of prlimit64/getrlimit/setrlimit; struct rlimit64 is two u64s
 * on both ABIs. */
static long rlimit_common(struct uthread *t, int pid, int res, uint64_t gnew, uint64_t gold)
{
	struct rlimit nv, ov;
	long r;

	if (res < 0 || res >= RV_RLIM_NLIMITS)
		return -EINVAL;
	if (gnew && uproc_read(t->proc, &nv, gnew, sizeof(nv)))
		return -EFAULT;
	if ((pid == 0 || pid == getpid()) && rlimit_is_emulated(res))
		r = rlimit_emulate(res, gnew ? &nv : NULL, &ov);
	else
		r = sys_ret(syscall(SYS_prlimit64, pid, res, gnew ? &nv : NULL, &ov));
	if (r)
		return r;
	if (gold && uproc_write(t->proc, gold, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

static long do_prlimit64(struct uthread *t, const uint64_t a[6])
{
	return rlimit_common(t, (int)a[0], (int)a[1], a[2], a[3]);
}

static long do_getrlimit(struct uthread *t, const uint64_t a[6])
{
	if (!a[1])
		return -EFAULT;
	return rlimit_common(t, 0, (int)a[0], 0, a[1]);
}

static long do_setrlimit(struct uthread *t, const uint64_t a[6])
{
	if (!a[1])
		return -EFAULT;
	return rlimit_common(t, 0, (int)a[0], a[1], 0);
}

static long do_getrusage(struct uthread *t, const uint64_t a[6])
{
	void *ru = sys_buf(t, a[1], RV_SIZEOF_RUSAGE);

	if (!ru)
		return -EFAULT;
	return sys_ret(syscall(SYS_getrusage, (int)a[0], ru));
}

static long do_sysinfo(struct uthread *t, const uint64_t a[6])
{
	void *si = sys_buf(t, a[0], RV_SIZEOF_SYSINFO);

	if (!si)
		return -EFAULT;
	return sys_ret(syscall(SYS_sysinfo, si));
}

static long do_getpriority(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_getpriority, (int)a[0], (int)a[1]));
}

static long do_setpriority(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_setpriority, (int)a[0], (int)a[1], (int)a[2]));
}

static long do_sched_yield(struct uthread *t, const uint64_t a[6])
{
	(void)t; (void)a;
	sched_yield();
	return 0;
}

/* The cpu mask is a plain bitmap of longs on both ABIs. */
static long do_sched_getaffinity(struct uthread *t, const uint64_t a[6])
{
	void *mask = sys_buf(t, a[2], a[1]);

	if (!mask)
		return -EFAULT;
	return sys_ret(syscall(SYS_sched_getaffinity, (int)a[0], (size_t)a[1], mask));
}

static long do_sched_setaffinity(struct uthread *t, const uint64_t a[6])
{
	void *mask = sys_buf(t, a[2], a[1]);

	if (!mask)
		return -EFAULT;
	return sys_ret(syscall(SYS_sched_setaffinity, (int)a[0], (size_t)a[1], mask));
}

static long do_sched_getscheduler(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_sched_getscheduler, (int)a[0]));
}

static long do_sched_getparam(struct uthread *t, const uint64_t a[6])
{
	void *p = sys_buf(t, a[1], sizeof(int));

	return p ? sys_ret(syscall(SYS_sched_getparam, (int)a[0], p)) : -EFAULT;
}

static long do_sched_setparam(struct uthread *t, const uint64_t a[6])
{
	void *p = sys_buf(t, a[1], sizeof(int));

	return p ? sys_ret(syscall(SYS_sched_setparam, (int)a[0], p)) : -EFAULT;
}

static long do_sched_setscheduler(struct uthread *t, const uint64_t a[6])
{
	void *p = sys_buf(t, a[2], sizeof(int));

	return p ? sys_ret(syscall(SYS_sched_setscheduler, (int)a[0], (int)a[1], p)) : -EFAULT;
}

static long do_sched_get_priority_max(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_sched_get_priority_max, (int)a[0]));
}

static long do_sched_get_priority_min(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_sched_get_priority_min, (int)a[0]));
}

static long do_getcpu(struct uthread *t, const uint64_t a[6])
{
	void *cpu, *node;

	if (sys_opt(t, a[0], sizeof(unsigned), &cpu) || sys_opt(t, a[1], sizeof(unsigned), &node))
		return -EFAULT;
	return sys_ret(syscall(SYS_getcpu, cpu, node, NULL));
}

/* The guest's personality is its own: READ_IMPLIES_EXEC or ADDR_LIMIT bits
 * must not change how the host maps popek. */
static long do_personality(struct uthread *t, const uint64_t a[6])
{
	static unsigned int persona;   /* PER_LINUX */
	unsigned int old;

	(void)t;
	old = __atomic_load_n(&persona, __ATOMIC_RELAXED);
	if ((uint32_t)a[0] != 0xffffffffu)
		__atomic_store_n(&persona, (uint32_t)a[0], __ATOMIC_RELAXED);
	return old;
}

/* Guest threads are host threads, so the host's barriers are the guest's. */
static long do_membarrier(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_membarrier, (int)a[0], (unsigned)a[1], (int)a[2]));
}

/* riscv_flush_icache(start, end, flags): flags bit 0 is
 * SYS_RISCV_FLUSH_ICACHE_LOCAL (only this hart must see the new code);
 * otherwise every thread forgets its decoded code (mm_flush_code makes the
 * other harts flush at their next block boundary). */
static long do_riscv_flush_icache(struct uthread *t, const uint64_t a[6])
{
	uint64_t start = a[0], len = a[1] - a[0];

	if (a[2] & ~1ULL)
		return -EINVAL;
	/* Linux flushes everything whatever the range; an empty or inverted
	 * range is not an error, so flush everything for it. */
	if (a[1] <= a[0]) {
		start = 0;
		len = UINT64_MAX;
	}
	if (a[2] & 1)
		rv_code_flush(&t->cpu, start, len);
	else
		mm_flush_code(t->proc, start, len);
	return 0;
}

static long do_ioprio_get(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_ioprio_get, (int)a[0], (int)a[1]));
}

static long do_ioprio_set(struct uthread *t, const uint64_t a[6])
{
	(void)t;
	return sys_ret(syscall(SYS_ioprio_set, (int)a[0], (int)a[1], (int)a[2]));
}

/* capget/capset(header {u32 version; s32 pid}, data): data is one
 * {effective, permitted, inheritable} triple of u32s for version 1 and two
 * for versions 2 and 3; the kernel writes the preferred version back into
 * the header when it does not know the one asked for. */
#define CAP_VERSION_1 0x19980330u
static long caps(struct uthread *t, const uint64_t a[6], long host_nr)
{
	uint32_t version;
	void *hdr = sys_buf(t, a[0], 8), *data;

	if (!hdr || uproc_read(t->proc, &version, a[0], sizeof(version)))
		return -EFAULT;
	if (sys_opt(t, a[1], version == CAP_VERSION_1 ? 12 : 24, &data))
		return -EFAULT;
	return sys_ret(syscall(host_nr, hdr, data));
}

static long do_capget(struct uthread *t, const uint64_t a[6]) { return caps(t, a, SYS_capget); }
static long do_capset(struct uthread *t, const uint64_t a[6]) { return caps(t, a, SYS_capset); }

/* struct timex is 208 bytes of longs and ints on both 64-bit ABIs. */
#define RV_SIZEOF_TIMEX 208

static long do_adjtimex(struct uthread *t, const uint64_t a[6])
{
	void *tx = sys_buf(t, a[0], RV_SIZEOF_TIMEX);

	return tx ? sys_ret(syscall(SYS_adjtimex, tx)) : -EFAULT;
}

static long do_clock_adjtime(struct uthread *t, const uint64_t a[6])
{
	void *tx = sys_buf(t, a[1], RV_SIZEOF_TIMEX);

	return tx ? sys_ret(syscall(SYS_clock_adjtime, (clockid_t)a[0], tx)) : -EFAULT;
}

void sys_misc_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_uname, do_uname);
	SYS_SET(tbl, RVSYS_getrandom, do_getrandom);
	SYS_SET(tbl, RVSYS_prlimit64, do_prlimit64);
	SYS_SET(tbl, RVSYS_getrlimit, do_getrlimit);
	SYS_SET(tbl, RVSYS_setrlimit, do_setrlimit);
	SYS_SET(tbl, RVSYS_getrusage, do_getrusage);
	SYS_SET(tbl, RVSYS_sysinfo, do_sysinfo);
	SYS_SET(tbl, RVSYS_getpriority, do_getpriority);
	SYS_SET(tbl, RVSYS_setpriority, do_setpriority);
	SYS_SET(tbl, RVSYS_sched_yield, do_sched_yield);
	SYS_SET(tbl, RVSYS_sched_getaffinity, do_sched_getaffinity);
	SYS_SET(tbl, RVSYS_sched_setaffinity, do_sched_setaffinity);
	SYS_SET(tbl, RVSYS_sched_getscheduler, do_sched_getscheduler);
	SYS_SET(tbl, RVSYS_sched_setscheduler, do_sched_setscheduler);
	SYS_SET(tbl, RVSYS_sched_getparam, do_sched_getparam);
	SYS_SET(tbl, RVSYS_sched_setparam, do_sched_setparam);
	SYS_SET(tbl, RVSYS_sched_get_priority_max, do_sched_get_priority_max);
	SYS_SET(tbl, RVSYS_sched_get_priority_min, do_sched_get_priority_min);
	SYS_SET(tbl, RVSYS_getcpu, do_getcpu);
	SYS_SET(tbl, RVSYS_personality, do_personality);
	SYS_SET(tbl, RVSYS_membarrier, do_membarrier);
	SYS_SET(tbl, RVSYS_riscv_flush_icache, do_riscv_flush_icache);
	SYS_SET(tbl, RVSYS_ioprio_get, do_ioprio_get);
	SYS_SET(tbl, RVSYS_ioprio_set, do_ioprio_set);
	SYS_SET(tbl, RVSYS_capget, do_capget);
	SYS_SET(tbl, RVSYS_capset, do_capset);
	SYS_SET(tbl, RVSYS_adjtimex, do_adjtimex);
	SYS_SET(tbl, RVSYS_clock_adjtime, do_clock_adjtime);
	sys_hwprobe_register(tbl);
	sys_prctl_register(tbl);
	sys_ids_register(tbl);
	sys_socket_register(tbl);
}

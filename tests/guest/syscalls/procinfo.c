/*
 * Process-level system calls from a riscv64 guest.  Prints "key=value"
 * lines the test compares with what the host knows (program path, pids,
 * ids, machine name) and checks the rest itself: getrandom, clocks and
 * sleeps, times, resource limits, sysinfo, prctl names, CPU affinity.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void report(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct utsname u;

	exe[n > 0 ? n : 0] = '\0';
	CHECK(n > 0, "readlink /proc/self/exe");
	CHECK(uname(&u) == 0, "uname");
	printf("exe=%s\nmachine=%s\nsysname=%s\npid=%d\nppid=%d\nuid=%d\ngid=%d\neuid=%d\n",
	       exe, u.machine, u.sysname, (int)getpid(), (int)getppid(), (int)getuid(),
	       (int)getgid(), (int)geteuid());
	printf("pgid=%d\nsid=%d\n", (int)getpgid(0), (int)getsid(0));
}

static void randomness(void)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };

	CHECK(getrandom(a, sizeof(a), 0) == 32 && getrandom(b, sizeof(b), GRND_NONBLOCK) == 32, "getrandom");
	CHECK(memcmp(a, b, 32) != 0, "two getrandom calls differ");
	OK("randomness");
}

static void clocks(void)
{
	struct timespec t0, t1, res;
	struct timeval tv;

	CHECK(clock_gettime(CLOCK_MONOTONIC, &t0) == 0, "clock_gettime");
	CHECK(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0, "clock_getres");
	struct timespec d = { 0, 20000000 };
	CHECK(nanosleep(&d, NULL) == 0, "nanosleep");
	CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == 0, "clock_nanosleep");
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0, "clock_gettime 2");
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 39, "slept 40ms");
	CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000, "gettimeofday");
	struct timespec rt;
	CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0 && llabs((long long)rt.tv_sec - tv.tv_sec) < 5, "realtime");
	struct tms tm;
	CHECK(times(&tm) != (clock_t)-1, "times");
	CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &rt) == 0, "cputime clock");
	struct itimerval it = { { 0, 0 }, { 100, 0 } }, old;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0 && getitimer(ITIMER_REAL, &old) == 0 &&
	      old.it_value.tv_sec >= 99, "setitimer/getitimer");
	it.it_value.tv_sec = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "disarm");
	OK("clocks");
}

static void limits(void)
{
	struct rlimit rl, rl2;

	CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 0, "getrlimit NOFILE");
	rl2 = rl;
	rl2.rlim_cur = rl.rlim_cur > 64 ? 64 : rl.rlim_cur;
	CHECK(setrlimit(RLIMIT_NOFILE, &rl2) == 0, "setrlimit NOFILE");
	CHECK(getrlimit(RLIMIT_NOFILE, &rl2) == 0 && rl2.rlim_cur <= 64, "NOFILE lowered");
	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "NOFILE restored");
	CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > 0, "getrlimit STACK");
	struct rlimit as = { 1ULL << 30, RLIM_INFINITY };
	CHECK(setrlimit(RLIMIT_AS, &as) == 0, "setrlimit AS");
	CHECK(getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur == 1ULL << 30, "RLIMIT_AS reads back");
	void *big = malloc(64 << 20);
	CHECK(big != NULL, "malloc after RLIMIT_AS");
	free(big);
	CHECK(getrlimit(99, &rl) == -1 && errno == EINVAL, "bad resource");
	struct rusage ru;
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0, "getrusage");
	struct sysinfo si;
	CHECK(sysinfo(&si) == 0 && si.uptime > 0 && si.totalram > 0, "sysinfo");
	OK("limits");
}

static void prctl_sched(void)
{
	char name[16] = { 0 };
	cpu_set_t set;

	CHECK(prctl(PR_SET_NAME, "popek-guest", 0, 0, 0) == 0, "PR_SET_NAME");
	CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && !strcmp(name, "popek-guest"), "PR_GET_NAME");
	CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0, "sched_getaffinity");
	CHECK(sched_yield() == 0, "sched_yield");
	unsigned cpu = 9999;
	CHECK(getcpu(&cpu, NULL) == 0 && cpu < 4096, "getcpu");
	CHECK(getpriority(PRIO_PROCESS, 0) >= -20, "getpriority");
	int pers = personality(0xffffffff);
	CHECK(pers >= 0, "personality query");
	gid_t groups[256];
	CHECK(getgroups(256, groups) >= 0, "getgroups");
	struct timex tx = { .modes = 0 };
	CHECK(adjtimex(&tx) >= 0 && tx.tick > 0, "adjtimex query");
	struct __user_cap_header_struct { uint32_t version; int pid; } ch = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } cd[2];
	CHECK(syscall(SYS_capget, &ch, cd) == 0, "capget");
	uid_t r, e, s;
	CHECK(getresuid(&r, &e, &s) == 0 && r == getuid(), "getresuid");
	OK("prctl_sched");
}

/* riscv_hwprobe through the raw call (glibc 2.36 has no wrapper). */
static void hwprobe(void)
{
	struct { int64_t key; uint64_t value; } pairs[3] = { { 3, 0 }, { 4, 0 }, { 99999, 5 } };

	CHECK(syscall(258, pairs, 3, 0, NULL, 0) == 0, "riscv_hwprobe");
	CHECK(pairs[0].value == 1, "base behavior IMA");
	CHECK((pairs[1].value & 3) == 3, "IMA_EXT_0 has F/D and C");
	CHECK(pairs[2].key == -1 && pairs[2].value == 0, "unknown key marked -1");
	CHECK(syscall(258, pairs, 1, 0, NULL, 1) == -1 && errno == EINVAL, "unsupported flags");
	OK("hwprobe");
}

/* Generated /proc files: the guest's own mappings and a riscv64 cpuinfo. */
static void procfs(void)
{
	pthread_attr_t attr;
	void *stack = NULL;
	size_t size = 0;
	int local = 0;
	char buf[8192] = { 0 };

	CHECK(pthread_getattr_np(pthread_self(), &attr) == 0, "pthread_getattr_np (reads /proc/self/maps)");
	CHECK(pthread_attr_getstack(&attr, &stack, &size) == 0, "getstack");
	CHECK((char *)&local >= (char *)stack && (char *)&local < (char *)stack + size,
	      "main stack from maps contains a local");
	FILE *f = fopen("/proc/self/maps", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	CHECK(n > 0 && strstr(buf, "[stack]") && strstr(buf, "r-xp"), "maps lists stack and code");
	if (f)
		fclose(f);
	f = fopen("/proc/cpuinfo", "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = 0;
	CHECK(n > 0 && strstr(buf, "isa\t\t: rv64imafdc"), "cpuinfo is riscv64's");
	if (f)
		fclose(f);
	OK("procfs");
}

int main(void)
{
	report();
	randomness();
	clocks();
	limits();
	prctl_sched();
	hwprobe();
	procfs();
	return check_done();
}

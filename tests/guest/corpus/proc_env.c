/*
 * What a process sees at start and about itself: argv (including empty
 * and spaced arguments), an environment variable, the auxiliary vector
 * entries that are the same on every Linux (page size, AT_RANDOM, secure
 * mode), /proc/self/exe, ids, clocks that move forward, nanosleep,
 * getrandom, uname's sysname and rlimits.
 * Prints facts that hold on both hosts, never the values that differ.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void arguments(int argc, char **argv)
{
	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = [%s]\n", i, argv[i]);
	printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
	const char *v = getenv("POPEK_CORPUS_VAR");
	printf("env POPEK_CORPUS_VAR = [%s]\n", v ? v : "(unset)");
	printf("basename(argv[0]) = %s\n", basename(argv[0]));
}

static void auxv(void)
{
	printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
	unsigned char *rnd = (unsigned char *)getauxval(AT_RANDOM);
	printf("AT_RANDOM present: %d\n", rnd != NULL);
	printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
	printf("AT_UID matches: %d\n", getauxval(AT_UID) == getuid());
	printf("AT_ENTRY present: %d AT_PHDR present: %d\n", getauxval(AT_ENTRY) != 0,
	       getauxval(AT_PHDR) != 0);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	printf("AT_EXECFN basename: %s\n", fn ? basename((char *)fn) : "(none)");
}

static void identity(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = 0;
	printf("/proc/self/exe basename: %s\n", n > 0 ? basename(exe) : "(failed)");
	printf("pid == tid: %d\n", getpid() == (pid_t)syscall(SYS_gettid));
	printf("ppid > 0: %d\n", getppid() > 0);
	printf("uid == euid: %d, gid == egid: %d\n", getuid() == geteuid(), getgid() == getegid());
	struct utsname u;
	uname(&u);
	printf("sysname %s\n", u.sysname);
	printf("online cpus > 0: %d\n", sysconf(_SC_NPROCESSORS_ONLN) > 0);
	struct rlimit rl;
	int r = getrlimit(RLIMIT_NOFILE, &rl);
	printf("getrlimit nofile: %d soft<=hard: %d\n", r, rl.rlim_cur <= rl.rlim_max);
}

static void clocks(void)
{
	struct timespec a, b, rt;
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec d = { 0, 2000000 };
	int s = nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	clock_gettime(CLOCK_REALTIME, &rt);
	int64_t ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	printf("nanosleep %d, slept >= 2ms: %d\n", s, ns >= 2000000);
	printf("realtime after 2024: %d\n", rt.tv_sec > 1704067200);
	struct timespec res;
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("monotonic resolution <= 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
	/* time() may read a coarse clock that lags the precise one by a tick */
	time_t t = time(NULL);
	printf("time() agrees with realtime: %d\n", t >= rt.tv_sec - 1 && t <= rt.tv_sec + 5);
	struct timespec cpu;
	printf("process cputime: %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));
}

static void randomness(void)
{
	unsigned char buf[64] = { 0 };
	ssize_t n = getrandom(buf, sizeof(buf), 0);
	int nonzero = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		nonzero += buf[i] != 0;
	printf("getrandom %zd, mostly nonzero: %d\n", n, nonzero > 32);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	arguments(argc, argv);
	auxv();
	identity();
	clocks();
	randomness();
	return 0;
}

/*
 * Hostile-argument fuzzing of the system-call translation handlers: every
 * registered handler is called many times with random registers (pointers
 * into, across and past the guest window, huge lengths and counts, odd fds
 * and flags) over random guest memory.  The process must survive (no crash,
 * no sanitizer report) and every result must be a value or -errno in
 * [-4095, -1].  Usage: sys_fuzz DIR SEED ITERATIONS (DIR becomes the cwd).
 *
 * Calls whose side effects reach beyond this process or its scratch
 * directory (setting clocks, realtime scheduling, CPU-time limits that end
 * in SIGKILL, timers that signal, sync of every file system, preallocating
 * disk, device nodes, other processes' priorities) are left out, and the
 * standard descriptors are private memfds, never shared files such as
 * /dev/null (a random fchmod as root would break the host).  Guest memory
 * never contains '/' or '.', so every path a random call builds is a plain
 * name inside DIR.  Network-sending calls run only inside a private network
 * namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/sys_numbers.h"

#include "fake_uproc.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static const int excluded[] = {
	RVSYS_settimeofday, RVSYS_clock_settime, RVSYS_setitimer, RVSYS_timer_create,
	RVSYS_timer_settime, RVSYS_sched_setscheduler, RVSYS_sched_setparam,
	RVSYS_setpriority, RVSYS_chroot, RVSYS_setrlimit, RVSYS_prlimit64, RVSYS_sync,
	RVSYS_syncfs, RVSYS_fallocate, RVSYS_prctl, RVSYS_sched_setaffinity,
	RVSYS_adjtimex, RVSYS_clock_adjtime, RVSYS_capset,
	/* reach other processes or real devices */
	RVSYS_ioprio_set, RVSYS_mknodat,
	/* dropping root would lock us out of the scratch directory */
	RVSYS_setuid, RVSYS_setgid, RVSYS_setreuid, RVSYS_setregid, RVSYS_setresuid,
	RVSYS_setresgid, RVSYS_setfsuid, RVSYS_setfsgid, RVSYS_setgroups,
};
/* The fuzzing runs in a child whose descriptors random calls may close or
 * replace; it reports through this shared buffer, printed by the parent. */
#define REPORT_SIZE 65536
static char *report;
static size_t report_len;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(report + report_len, REPORT_SIZE - report_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		report_len = report_len + (size_t)n < REPORT_SIZE ? report_len + (size_t)n : REPORT_SIZE - 1;
}
static const int network_send[] = {
	RVSYS_connect, RVSYS_sendto, RVSYS_sendmsg, RVSYS_sendmmsg,
};

static bool in(const int *set, size_t n, int nr)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == nr)
			return true;
	return false;
}

static uint64_t random_arg(void)
{
	switch (rnd() % 10) {
	case 0: return 0;
	case 1: return rnd() % 16;                                /* small ints, fds */
	case 2: return (uint64_t)(int64_t)-100;                   /* AT_FDCWD */
	case 3: return rnd();                                     /* anything */
	case 4: return G_BASE + rnd() % G_SIZE;                   /* inside guest memory */
	case 5: return G_BASE + G_SIZE - rnd() % 64;              /* straddling its end */
	case 6: return UPROC_WINDOW - rnd() % 64;                 /* the window's end */
	case 7: return (uint64_t)-1 - rnd() % 16;                 /* near 2^64 */
	case 8: return 1ULL << (rnd() % 64);                      /* powers of two */
	default: return rnd() % 4096;                             /* lengths */
	}
}

static void randomize_memory(void)
{
	uint8_t *m = P->window + G_BASE;

	for (uint64_t i = 0; i < G_SIZE; i++) {
		uint8_t b = (uint8_t)rnd();
		/* short strings: plenty of NULs, never a path separator or dot */
		m[i] = (b < 40) ? 0 : (b == '/' || b == '.') ? 'a' : b;
	}
}

static void on_alarm(int sig)
{
	(void)sig;   /* only there to interrupt blocking calls with EINTR */
}

/* Keep the process alive whatever the random calls arm. */
static void tame_signals(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART */
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };

	for (int s = 1; s < NSIG; s++)
		if (s != SIGSEGV && s != SIGBUS && s != SIGILL && s != SIGABRT && s != SIGFPE &&
		    s != SIGKILL && s != SIGSTOP && s != SIGALRM && s < SIGRTMIN)
			signal(s, SIG_IGN);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Random calls may chmod, chown, write or close 0-2: give them a private
 * anonymous file each time (never a shared host file like /dev/null). */
static void reset_std_fds(void)
{
	int fd = (int)syscall(SYS_memfd_create, "fuzz-stdio", 0);

	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static int fuzz(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s DIR SEED ITERATIONS\n", argv[0]);
		return 2;
	}
	if (chdir(argv[1]) || fake_uproc_init("/nonexistent-guest"))
		return 2;
	rng_state = strtoull(argv[2], NULL, 0) | 1;
	long iters = strtol(argv[3], NULL, 0);
	bool private_net = unshare(CLONE_NEWNET) == 0;
	int nrs[SYS_TABLE_SIZE], n = 0, bad = 0;

	for (int i = 0; i < SYS_TABLE_SIZE; i++)
		if (tbl[i].fn && !in(excluded, sizeof(excluded) / sizeof(*excluded), i) &&
		    (private_net || !in(network_send, sizeof(network_send) / sizeof(*network_send), i)))
			nrs[n++] = i;
	reset_std_fds();
	tame_signals();
	for (long it = 0; it < iters; it++) {
		if (it % 64 == 0) {
			randomize_memory();
			syscall(SYS_close_range, 3, ~0U, 0);   /* don't run out of fds */
			reset_std_fds();
			if (chdir(argv[1]))
				return 2;
		}
		int nr = nrs[rnd() % (uint64_t)n];
		const uint64_t a[6] = { random_arg(), random_arg(), random_arg(),
					random_arg(), random_arg(), random_arg() };
		long r = tbl[nr].fn(T, a);
		if (r < 0 && r < -4095) {
			say("FAIL %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", tbl[nr].name,
			       (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5], r);
			bad++;
		}
	}
	say("fuzzed %ld calls over %d handlers (private net: %s): %d bad result(s)\n",
	       iters, n, private_net ? "yes" : "no", bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	report = mmap(NULL, REPORT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (report == MAP_FAILED)
		return 2;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fuzz(argc, argv));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 2;
	fputs(report, stdout);
	if (WIFSIGNALED(status)) {
		printf("FAIL: fuzzing child killed by signal %d\n", WTERMSIG(status));
		return 1;
	}
	printf("child exit status %d\n", WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

/*
 * Signals that interrupt blocking system calls, with outcomes that do not
 * depend on timing: a timer signal arrives while read() blocks on an empty
 * pipe.  Without SA_RESTART the read fails with EINTR; with SA_RESTART it
 * restarts, and the handler's own write to the pipe is what it returns.
 * Also nanosleep interrupted (EINTR and a remaining time), sigtimedwait
 * timing out (EAGAIN), and pause() returning after a handler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int pipe_fds[2];
static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	write(pipe_fds[1], "!", 1);   /* async-signal-safe */
}

static void arm(int restart, long usec)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 0 }, { 0, usec } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void blocking_read(int restart)
{
	pipe(pipe_fds);
	arm(restart, 20000);
	char c = 0;
	errno = 0;
	ssize_t n = read(pipe_fds[0], &c, 1);
	int err = errno;
	if (n < 0)
		printf("read %s SA_RESTART: -1 %s (alarms %d)\n", restart ? "with" : "without",
		       strerrorname_np(err), (int)alarms);
	else
		printf("read %s SA_RESTART: %zd [%c] (alarms %d)\n", restart ? "with" : "without",
		       n, c, (int)alarms);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	alarms = 0;
}

static void interrupted_sleep(void)
{
	pipe(pipe_fds);
	arm(1, 20000);     /* nanosleep is never restarted, SA_RESTART or not */
	struct timespec want = { 5, 0 }, left = { 0, 0 };
	int r = nanosleep(&want, &left);
	int err = errno;
	printf("nanosleep: %d %s, remaining between 4 and 5 s: %d\n", r, r ? strerrorname_np(err) : "",
	       left.tv_sec >= 4 && left.tv_sec <= 5);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	alarms = 0;
}

static void timed_wait(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct timespec ts = { 0, 30000000 };
	errno = 0;
	int r = sigtimedwait(&set, NULL, &ts);
	printf("sigtimedwait with nothing pending: %d %s\n", r, strerrorname_np(errno));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void pausing(void)
{
	pipe(pipe_fds);
	arm(0, 10000);
	int r = pause();
	int err = errno;
	printf("pause: %d %s (alarms %d)\n", r, strerrorname_np(err), (int)alarms);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	blocking_read(0);
	blocking_read(1);
	interrupted_sleep();
	timed_wait();
	pausing();
	return 0;
}

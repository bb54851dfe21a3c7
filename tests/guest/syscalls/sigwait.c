/*
 * Blocking calls meeting signals in a riscv64 guest: ppoll, pselect and
 * epoll_pwait with a temporary signal mask (the handler must run, the call
 * must fail with EINTR and the old mask must be back afterwards), a signal
 * already pending when such a call starts, a read restarted by SA_RESTART,
 * and a nanosleep interrupted with the remaining time reported.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t handled;
static pthread_t main_thread;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *kick_later(void *arg)
{
	struct timespec d = { 0, 50 * 1000000 };

	nanosleep(&d, NULL);
	pthread_kill(main_thread, (int)(long)arg);
	return NULL;
}

static void kick(int sig)
{
	pthread_t th;

	pthread_create(&th, NULL, kick_later, (void *)(long)sig);
	pthread_detach(th);
}

static void *write_later(void *arg)
{
	struct timespec d = { 0, 150 * 1000000 };

	nanosleep(&d, NULL);
	if (write(*(int *)arg, "r", 1) != 1)
		return (void *)1;
	return NULL;
}

static int usr1_blocked(void)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, SIGUSR1);
}

static void waits_with_mask(void)
{
	int p[2], ep = epoll_create1(0);
	sigset_t open;
	struct pollfd pf;
	struct timespec ts = { 5, 0 };
	struct epoll_event ev = { .events = EPOLLIN }, out;

	CHECK(pipe(p) == 0 && ep >= 0, "setup");
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	sigemptyset(&open);

	handled = 0;
	kick(SIGUSR1);
	CHECK(ppoll(&pf, 1, &ts, &open) == -1 && errno == EINTR, "ppoll interrupted");
	CHECK(handled == 1 && usr1_blocked(), "ppoll: handler ran, mask restored");

	fd_set rs;
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	handled = 0;
	kick(SIGUSR1);
	CHECK(pselect(p[0] + 1, &rs, NULL, NULL, &ts, &open) == -1 && errno == EINTR, "pselect interrupted");
	CHECK(handled == 1 && usr1_blocked(), "pselect: handler ran, mask restored");

	CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl");
	handled = 0;
	kick(SIGUSR1);
	CHECK(epoll_pwait(ep, &out, 1, 5000, &open) == -1 && errno == EINTR, "epoll_pwait interrupted");
	CHECK(handled == 1 && usr1_blocked(), "epoll_pwait: handler ran, mask restored");

	/* Already pending and blocked: the temporary mask lets it in at once. */
	handled = 0;
	raise(SIGUSR1);
	CHECK(handled == 0, "blocked signal stays pending");
	CHECK(ppoll(&pf, 1, &ts, &open) == -1 && errno == EINTR && handled == 1, "pending signal wakes ppoll");
	CHECK(usr1_blocked(), "mask restored after pending delivery");
	close(p[0]); close(p[1]); close(ep);
	OK("waits_with_mask");
}

static void restart_and_sleep(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	int p[2];
	char c = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	CHECK(pipe(p) == 0, "pipe");
	handled = 0;
	kick(SIGUSR2);
	/* The writer arrives after the signal: read must restart, not fail. */
	pthread_t th;
	CHECK(pthread_create(&th, NULL, write_later, &p[1]) == 0, "writer thread");
	CHECK(read(p[0], &c, 1) == 1 && c == 'r', "read restarted after SA_RESTART handler");
	CHECK(handled == 1, "SA_RESTART handler ran");
	pthread_join(th, NULL);
	close(p[0]); close(p[1]);

	/* nanosleep interrupted by a handler without SA_RESTART */
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	handled = 0;
	sigset_t open;
	sigemptyset(&open);
	sigaddset(&open, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &open, NULL);
	kick(SIGUSR1);
	CHECK(nanosleep(&req, &rem) == -1 && errno == EINTR, "nanosleep interrupted");
	CHECK(handled == 1 && rem.tv_sec >= 1 && rem.tv_sec <= 2, "remaining time reported");
	OK("restart_and_sleep");
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };   /* no SA_RESTART */
	sigset_t block;

	main_thread = pthread_self();
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	waits_with_mask();
	restart_and_sleep();
	return check_done();
}

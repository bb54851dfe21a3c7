/*
 * A guest that spins in a tight loop until a timer signal's handler sets a
 * flag: under the binary translator the loop is a chain of translated
 * blocks that never returns to the dispatcher on its own, so the signal
 * is only delivered if translated code notices exit_request.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t fired;

static void on_alarm(int sig)
{
	(void)sig;
	fired = 1;
}

int main(void)
{
	struct itimerval it = { .it_value = { 0, 200000 } };
	unsigned long spins = 0;

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	while (!fired)
		spins++;
	printf("signal delivered after spinning (%s)\n", spins ? "spun" : "no spin");
	return 0;
}

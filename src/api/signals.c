/*
 * Clean stops on termination signals (see signals.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "api/signals.h"

static struct api_instance *signal_instance;

static void termination_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

static void *signal_main(void *arg)
{
	sigset_t set;
	(void)arg;
	termination_set(&set);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		char msg[64];
		snprintf(msg, sizeof(msg), "stopped by signal %s", sigabbrev_np(sig));
		api_instance_stop(signal_instance, 128 + sig, msg);
	}
	return NULL;
}

int api_signals_start(struct api_instance *in, pthread_t *thread)
{
	sigset_t set;
	termination_set(&set);
	signal_instance = in;
	int ret = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (ret == 0)
		ret = pthread_create(thread, NULL, signal_main, NULL);
	if (ret != 0)
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return -ret;
}

void api_signals_stop(pthread_t thread)
{
	pthread_cancel(thread);    /* sigwait() is a cancellation point */
	pthread_join(thread, NULL);
}

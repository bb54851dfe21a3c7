/*
 * Termination signals for a VM under API control: SIGINT, SIGTERM and
 * SIGHUP stop the machine cleanly (as InstanceStop does, with exit status
 * 128 + the signal number), so the API socket and the runtime-directory
 * entry are removed instead of left behind for `popek list` to find.
 *
 * The signals are blocked in every thread and taken synchronously by one
 * thread with sigwait(), so the stop runs in ordinary thread context where
 * locks may be taken.
 */
#ifndef POPEK_API_SIGNALS_H
#define POPEK_API_SIGNALS_H

#include <pthread.h>

#include "api/instance.h"

/* Call before any other thread is created: they inherit the blocked set.
 * Returns 0 or -errno. */
int api_signals_start(struct api_instance *in, pthread_t *thread);
/* End the signal thread.  The signals stay blocked: one arriving during
 * the last of the clean-up must not kill the process half way. */
void api_signals_stop(pthread_t thread);

#endif

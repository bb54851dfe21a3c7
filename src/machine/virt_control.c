/*
 * Pause, resume and run state of the virt machine (see virt_control.h).
 *
 * A pause sets pause_req and kicks every hart; each hart notices at its
 * next block boundary, parks in virt_control_pause_point() and counts
 * itself in `parked`.  virt_pause() waits until all harts are parked, then
 * freezes the CLINT.  A kick can be lost when it lands between a hart's
 * check of pause_req and its clearing of exit_request, so the waiter kicks
 * again every millisecond rather than relying on one kick.
 */
#include <errno.h>
#include <time.h>

#include "machine/virt.h"
#include "machine/virt_control.h"

_Static_assert(VIRT_CONTROL_MAX_HARTS >= VIRT_MAX_HARTS, "hart counters too small");

/* How long a pause may wait for every hart to reach a block boundary. */
#define PAUSE_TIMEOUT_MS 5000
/* Parked harts re-check the stop flag this often (a stop needs no wake-up). */
#define PARK_POLL_MS 20

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

void virt_control_init(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, &attr);
	pthread_condattr_destroy(&attr);
	c->initialized = true;
	c->state = VIRT_STATE_NOT_STARTED;
}

void virt_control_destroy(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	if (!c->initialized)
		return;
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	c->initialized = false;
}

static void set_state(struct virt_machine *vm, enum virt_run_state s)
{
	pthread_mutex_lock(&vm->ctl.lock);
	vm->ctl.state = s;
	pthread_mutex_unlock(&vm->ctl.lock);
}

void virt_control_set_running(struct virt_machine *vm)
{
	set_state(vm, VIRT_STATE_RUNNING);
}

void virt_control_set_stopped(struct virt_machine *vm)
{
	set_state(vm, VIRT_STATE_STOPPED);
}

enum virt_run_state virt_state(struct virt_machine *vm)
{
	if (!vm->ctl.initialized)
		return VIRT_STATE_NOT_STARTED;
	pthread_mutex_lock(&vm->ctl.lock);
	enum virt_run_state s = vm->ctl.state;
	pthread_mutex_unlock(&vm->ctl.lock);
	if (s != VIRT_STATE_NOT_STARTED && __atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE))
		s = VIRT_STATE_STOPPED;
	return s;
}

static void kick_all(struct virt_machine *vm)
{
	for (int h = 0; h < vm->cfg.nharts; h++)
		virt_kick_hart(vm, h);
}

/* Called with the lock held: wait until every hart is parked. */
static int wait_until_parked(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	struct timespec give_up, tick;
	deadline_in(&give_up, PAUSE_TIMEOUT_MS);
	while (c->parked < vm->cfg.nharts) {
		if (__atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE))
			return -EINVAL;
		kick_all(vm);
		deadline_in(&tick, 1);
		pthread_cond_timedwait(&c->cond, &c->lock, &tick);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > give_up.tv_sec ||
		    (now.tv_sec == give_up.tv_sec && now.tv_nsec >= give_up.tv_nsec))
			return -ETIMEDOUT;
	}
	return 0;
}

int virt_pause(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	if (virt_state(vm) != VIRT_STATE_RUNNING)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	__atomic_store_n(&c->pause_req, 1, __ATOMIC_RELEASE);
	int ret = wait_until_parked(vm);
	if (ret == 0) {
		/* Harts are parked first so none reads a clock about to freeze. */
		clint_pause(&vm->clint);
		c->state = VIRT_STATE_PAUSED;
		c->pauses++;
	} else {
		__atomic_store_n(&c->pause_req, 0, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

int virt_resume(struct virt_machine *vm)
{
	struct virt_control *c = &vm->ctl;
	if (virt_state(vm) != VIRT_STATE_PAUSED)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	clint_resume(&vm->clint);
	c->state = VIRT_STATE_RUNNING;
	__atomic_store_n(&c->pause_req, 0, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	/* Timers that fell due while the clock was frozen are raised now. */
	clint_update(&vm->clint);
	return 0;
}

void virt_control_stop(struct virt_machine *vm, int code, const char *message)
{
	virt_request_exit(vm, code, message);
	if (!vm->ctl.initialized)
		return;
	pthread_mutex_lock(&vm->ctl.lock);
	pthread_cond_broadcast(&vm->ctl.cond);
	pthread_mutex_unlock(&vm->ctl.lock);
}

bool virt_control_pause_point(struct virt_hart *h)
{
	struct virt_machine *vm = h->vm;
	struct virt_control *c = &vm->ctl;
	if (h->id >= 0 && h->id < VIRT_CONTROL_MAX_HARTS)
		__atomic_fetch_add(&c->hart_exits[h->id], 1, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&c->pause_req, __ATOMIC_ACQUIRE) || !c->initialized)
		return true;
	pthread_mutex_lock(&c->lock);
	c->parked++;
	pthread_cond_broadcast(&c->cond);
	while (c->pause_req && !__atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE)) {
		struct timespec ts;
		deadline_in(&ts, PARK_POLL_MS);
		pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	}
	c->parked--;
	pthread_mutex_unlock(&c->lock);
	return !__atomic_load_n(&vm->stop, __ATOMIC_ACQUIRE);
}

/*
 * Run control of the virt machine from outside the guest: pause, resume
 * and the run state the control API reports, plus per-hart exit counters.
 *
 * Pausing parks every hart at a block boundary (the hart loop calls
 * virt_control_pause_point() each time the core returns) and freezes the
 * CLINT clock, so the guest sees no time jump and its console stops
 * advancing.  The state is embedded in struct virt_machine and works from
 * all-zero memory: a machine nobody pauses never takes the lock.
 */
#ifndef POPEK_MACHINE_VIRT_CONTROL_H
#define POPEK_MACHINE_VIRT_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define VIRT_CONTROL_MAX_HARTS 64

enum virt_run_state { VIRT_STATE_NOT_STARTED, VIRT_STATE_RUNNING, VIRT_STATE_PAUSED,
		      VIRT_STATE_STOPPED };

struct virt_control {
	pthread_mutex_t lock;       /* set up by virt_control_init() */
	pthread_cond_t cond;        /* parked count changed, or pause lifted */
	bool initialized;
	volatile int pause_req;     /* harts must park */
	int parked;                 /* harts sleeping in the pause point */
	enum virt_run_state state;
	uint64_t pauses;            /* completed pause requests */
	uint64_t hart_exits[VIRT_CONTROL_MAX_HARTS];   /* core returns to the hart loop */
};

struct virt_machine;
struct virt_hart;

/* Call after virt_create() and before virt_run(). */
void virt_control_init(struct virt_machine *vm);
void virt_control_destroy(struct virt_machine *vm);
/* Bracket virt_run(): the machine is running between these. */
void virt_control_set_running(struct virt_machine *vm);
void virt_control_set_stopped(struct virt_machine *vm);

/* Park every hart and freeze guest time.  Returns 0, -EINVAL when the
 * machine is not running (not started, already paused, stopped) or
 * -ETIMEDOUT when a hart did not reach a block boundary in time (the
 * machine is then resumed again). */
int virt_pause(struct virt_machine *vm);
/* Unfreeze time and let the harts go.  0, or -EINVAL when not paused. */
int virt_resume(struct virt_machine *vm);
enum virt_run_state virt_state(struct virt_machine *vm);
/* Stop the machine from the host side; works while paused too. */
void virt_control_stop(struct virt_machine *vm, int code, const char *message);

/* hart.c: called by each hart every time the core returns; false when
 * the machine is stopping and the hart must leave its loop. */
bool virt_control_pause_point(struct virt_hart *h);

#endif

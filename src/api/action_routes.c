/*
 * Run-time resources: GET / (instance info), PUT /actions (start, stop,
 * SendCtrlAltDel), PATCH /vm (pause, resume) and GET /metrics.
 *
 * InstanceStart is answered only after the main thread has built the
 * machine (or failed to), so the client learns whether its configuration
 * booted.  The API thread waits on the instance's condition variable;
 * nothing else needs it meanwhile because the server runs one thread.
 */
#include <errno.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/json.h"
#include "api/routes.h"
#include "cli/cli.h"

static const char *state_name(struct api_instance *in)
{
	if (in->exited || in->phase == API_START_QUIT)
		return "Stopped";
	if (!in->vm)
		return "Not started";
	switch (virt_state(in->vm)) {
	case VIRT_STATE_RUNNING: return "Running";
	case VIRT_STATE_PAUSED: return "Paused";
	case VIRT_STATE_STOPPED: return "Stopped";
	case VIRT_STATE_NOT_STARTED: break;
	}
	return "Not started";
}

static void reply_json(struct api_response *rs, cJSON *o)
{
	rs->body = o ? cJSON_PrintUnformatted(o) : NULL;
	rs->status = rs->body ? 200 : 500;
	cJSON_Delete(o);
}

void api_get_info(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	(void)rq;
	cJSON *o = cJSON_CreateObject();
	pthread_mutex_lock(&in->lock);
	cJSON_AddStringToObject(o, "id", in->id);
	cJSON_AddStringToObject(o, "state", state_name(in));
	cJSON_AddStringToObject(o, "vmm_version", POPEK_VERSION);
	cJSON_AddStringToObject(o, "app_name", "popek");
	pthread_mutex_unlock(&in->lock);
	reply_json(rs, o);
}

/* Called with the lock held. */
static void start_instance(struct api_instance *in, struct api_response *rs)
{
	if (in->exited || in->phase == API_START_QUIT) {
		api_fault(rs, 400, "the machine has stopped");
		return;
	}
	if (in->phase == API_START_DONE || in->phase == API_START_REQUESTED) {
		api_fault(rs, 400, "the machine has already started");
		return;
	}
	in->phase = API_START_REQUESTED;
	pthread_cond_broadcast(&in->cond);
	while (in->phase == API_START_REQUESTED)
		pthread_cond_wait(&in->cond, &in->lock);
	if (in->phase == API_START_DONE)
		rs->status = 204;
	else if (in->phase == API_START_QUIT)
		api_fault(rs, 400, "the machine was stopped while starting");
	else
		api_fault(rs, 400, "cannot start the machine: %s", in->start_error);
}

/* Called with the lock held.  Before start, the process just ends. */
static void stop_instance(struct api_instance *in, struct api_response *rs)
{
	if (in->exited || (!in->vm && in->phase == API_START_QUIT)) {
		api_fault(rs, 400, "the machine has already stopped");
		return;
	}
	api_instance_stop_locked(in, 0, in->vm ? "stopped through the API" : NULL);
	rs->status = 204;
}

/* Called with the lock held.  riscv virt has no keyboard controller to
 * deliver Ctrl-Alt-Del to: this is the board's power-off, exactly as if the
 * guest had written the syscon power-off word (exit status 0). */
static void ctrl_alt_del(struct api_instance *in, struct api_response *rs)
{
	if (!in->vm) {
		api_fault(rs, 400, "the machine is not running");
		return;
	}
	virt_control_stop(in->vm, 0, NULL);
	rs->status = 204;
}

void api_put_actions(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	char action[32], err[256];
	const struct api_json_field f[] = {
		{ "action_type", API_JSON_STRING, true, action, sizeof(action), 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 1, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	pthread_mutex_lock(&in->lock);
	if (strcmp(action, "InstanceStart") == 0)
		start_instance(in, rs);
	else if (strcmp(action, "InstanceStop") == 0)
		stop_instance(in, rs);
	else if (strcmp(action, "SendCtrlAltDel") == 0)
		ctrl_alt_del(in, rs);
	else
		api_fault(rs, 400, "unknown action_type '%s' (InstanceStart, InstanceStop, SendCtrlAltDel)",
			  action);
	pthread_mutex_unlock(&in->lock);
}

/* Called with the lock held. */
static void change_state(struct api_instance *in, const char *want, struct api_response *rs)
{
	bool pause = strcmp(want, "Paused") == 0;
	if (!pause && strcmp(want, "Resumed") != 0) {
		api_fault(rs, 400, "state must be Paused or Resumed, not '%s'", want);
		return;
	}
	if (!in->vm) {
		api_fault(rs, 400, "the machine is not running (state: %s)", state_name(in));
		return;
	}
	int ret = pause ? virt_pause(in->vm) : virt_resume(in->vm);
	if (ret == 0)
		rs->status = 204;
	else if (ret == -ETIMEDOUT)
		api_fault(rs, 500, "a hart did not stop in time; the machine keeps running");
	else
		api_fault(rs, 400, "cannot %s: the machine is %s", pause ? "pause" : "resume",
			  state_name(in));
}

void api_patch_vm(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	char state[16], err[256];
	const struct api_json_field f[] = {
		{ "state", API_JSON_STRING, true, state, sizeof(state), 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 1, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	pthread_mutex_lock(&in->lock);
	change_state(in, state, rs);
	pthread_mutex_unlock(&in->lock);
}

static cJSON *harts_json(struct virt_machine *vm)
{
	cJSON *a = cJSON_CreateArray();
	for (int h = 0; vm && h < vm->cfg.nharts; h++) {
		cJSON *o = cJSON_CreateObject();
		/* Read while the hart runs: a relaxed snapshot is all a counter needs. */
		uint64_t instret = __atomic_load_n(&vm->harts[h].cpu.instret, __ATOMIC_RELAXED);
		uint64_t exits = __atomic_load_n(&vm->ctl.hart_exits[h], __ATOMIC_RELAXED);
		cJSON_AddNumberToObject(o, "id", h);
		cJSON_AddNumberToObject(o, "instructions", (double)instret);
		cJSON_AddNumberToObject(o, "exits", (double)exits);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

void api_get_metrics(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	(void)rq;
	cJSON *o = cJSON_CreateObject(), *api = cJSON_CreateObject(), *vm = cJSON_CreateObject();
	pthread_mutex_lock(&in->lock);
	cJSON_AddNumberToObject(api, "requests", (double)in->requests);
	cJSON_AddNumberToObject(api, "faults", (double)in->faults);
	cJSON_AddStringToObject(vm, "state", state_name(in));
	cJSON_AddNumberToObject(vm, "pauses", in->vm ? (double)in->vm->ctl.pauses : 0);
	cJSON_AddItemToObject(o, "api", api);
	cJSON_AddItemToObject(o, "vm", vm);
	cJSON_AddItemToObject(o, "harts", harts_json(in->vm));
	pthread_mutex_unlock(&in->lock);
	reply_json(rs, o);
}

/*
 * Snapshot resources of the control API, shaped like Firecracker's:
 *   PUT /snapshot/create {snapshot_type: "Full", snapshot_path, mem_file_path}
 *       on a paused machine: writes the state file and the memory file.
 *   PUT /snapshot/load {snapshot_path, mem_file_path?, resume_vm?}
 *       on a VM that has not started (--no-boot): rebuilds the saved
 *       machine, which then runs (resume_vm true) or stays paused.
 * The files are checked before anything changes, so a bad snapshot costs
 * a 400 and the VM stays as it was.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "api/json.h"
#include "api/routes.h"
#include "machine/snapshot.h"

void api_put_snapshot_create(struct api_instance *in, const struct api_request *rq,
			     struct api_response *rs)
{
	static char state[PATH_MAX], mem[PATH_MAX];   /* one request at a time */
	char type[16] = "Full", err[PATH_MAX + 128];
	const struct api_json_field f[] = {
		{ "snapshot_type", API_JSON_STRING, false, type, sizeof(type), 0, NULL },
		{ "snapshot_path", API_JSON_STRING, true, state, sizeof(state), 0, NULL },
		{ "mem_file_path", API_JSON_STRING, true, mem, sizeof(mem), 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 3, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	if (strcmp(type, "Full") != 0) {
		api_fault(rs, 400, "snapshot_type must be Full, not '%s'", type);
		return;
	}
	if (!state[0] || !mem[0]) {
		api_fault(rs, 400, "snapshot_path and mem_file_path must not be empty");
		return;
	}
	pthread_mutex_lock(&in->lock);
	if (!in->vm)
		api_fault(rs, 400, "the machine is not running");
	else if (snapshot_create(in->vm, state, mem, err, sizeof(err)) < 0)
		api_fault(rs, 400, "%s", err);
	else
		rs->status = 204;
	pthread_mutex_unlock(&in->lock);
}

/* Called with the lock held: hand the build to the main thread, as
 * InstanceStart does, and wait for the outcome. */
static void start_restored(struct api_instance *in, struct api_response *rs)
{
	in->phase = API_START_REQUESTED;
	pthread_cond_broadcast(&in->cond);
	while (in->phase == API_START_REQUESTED)
		pthread_cond_wait(&in->cond, &in->lock);
	if (in->phase == API_START_DONE)
		rs->status = 204;
	else if (in->phase == API_START_QUIT)
		api_fault(rs, 400, "the machine was stopped while loading");
	else
		api_fault(rs, 400, "cannot load the snapshot: %s", in->start_error);
	if (in->phase != API_START_DONE)
		in->restore_state[0] = in->restore_mem[0] = '\0';   /* a later boot is a boot */
}

void api_put_snapshot_load(struct api_instance *in, const struct api_request *rq,
			   struct api_response *rs)
{
	static char state[PATH_MAX], mem[PATH_MAX];
	char err[PATH_MAX + 128];
	bool resume = false;
	struct snapshot_image *img;
	mem[0] = '\0';
	const struct api_json_field f[] = {
		{ "snapshot_path", API_JSON_STRING, true, state, sizeof(state), 0, NULL },
		{ "mem_file_path", API_JSON_STRING, false, mem, sizeof(mem), 0, NULL },
		{ "resume_vm", API_JSON_BOOL, false, &resume, 0, 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 3, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	if (snapshot_open(state, &img, err, sizeof(err)) < 0) {   /* refuse before any change */
		api_fault(rs, 400, "%s", err);
		return;
	}
	snapshot_close(img);
	pthread_mutex_lock(&in->lock);
	if (in->vm || in->exited || (in->phase != API_START_IDLE && in->phase != API_START_FAILED)) {
		api_fault(rs, 400, "a snapshot loads only into a VM that has not started (--no-boot)");
	} else {
		memcpy(in->restore_state, state, sizeof(state));
		memcpy(in->restore_mem, mem, sizeof(mem));
		in->restore_paused = !resume;
		start_restored(in, rs);
	}
	pthread_mutex_unlock(&in->lock);
}

/*
 * The machine under API control (see run_api.h).
 *
 * The main thread owns the machine's life: it builds it when the API asks
 * (or at once without --no-boot), runs it, and destroys it.  The API
 * thread only ever sees the machine between api_instance_start_result()
 * and api_instance_detach(), under the instance lock.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/instance.h"
#include "api/registry.h"
#include "api/run_api.h"
#include "api/server.h"
#include "api/signals.h"
#include "cli/run_args.h"
#include "machine/snapshot.h"
#include "machine/virt.h"

static char boot_args[API_BOOT_ARGS_MAX + 64];   /* the machine's cfg.append */

/* A snapshot instead of a boot: on failure the machine is already gone. */
static int restore_machine(struct api_instance *in, const struct virt_config *base,
			   struct virt_machine *vm, char *err, size_t errlen)
{
	int ret = snapshot_build_machine(vm, base, in->restore_state,
					 in->restore_mem[0] ? in->restore_mem : NULL, err, errlen);
	if (ret < 0)
		return ret;
	virt_control_init(vm);
	virt_control_set_running(vm);
	if (in->restore_paused)
		snapshot_start_paused(vm);
	return 0;
}

static int build_machine(struct api_instance *in, const struct virt_config *base,
			 struct virt_machine *vm, char *err, size_t errlen)
{
	if (in->restore_state[0])
		return restore_machine(in, base, vm, err, errlen);
	struct virt_config vc = *base;
	int ret = api_instance_virt_config(in, &vc, boot_args, sizeof(boot_args), err, errlen);
	if (ret < 0)
		return ret;
	ret = virt_create(vm, &vc, err, errlen);
	if (ret < 0) {
		virt_destroy(vm);
		return ret;
	}
	virt_control_init(vm);
	virt_control_set_running(vm);
	return 0;
}

/* --no-boot: build when asked, report failures to the API and wait again. */
static int build_when_asked(struct api_instance *in, const struct virt_config *base,
			    struct virt_machine *vm)
{
	char err[512];
	for (;;) {
		if (api_instance_wait_start(in) < 0)
			return -ECANCELED;
		int ret = build_machine(in, base, vm, err, sizeof(err));
		api_instance_start_result(in, ret < 0 ? NULL : vm, err);
		if (ret == 0)
			return 0;
	}
}

/* InstanceStop (status 0, silent) or a signal before the machine ran. */
static int stopped_before_start(struct api_instance *in)
{
	if (in->quit_message[0])
		fprintf(stderr, "popek: %s\n", in->quit_message);
	return in->quit_code;
}

static int run_machine(struct api_instance *in, const struct virt_config *base, bool wait)
{
	static struct virt_machine vm;
	char err[512];
	int ret;
	if (wait) {
		ret = build_when_asked(in, base, &vm);
		if (ret == -ECANCELED)
			return stopped_before_start(in);
	} else {
		api_instance_claim_start(in);
		ret = build_machine(in, base, &vm, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "popek: %s\n", err);
			return 1;
		}
		api_instance_start_result(in, &vm, NULL);
	}
	int code = virt_run(&vm);
	virt_control_set_stopped(&vm);
	api_instance_detach(in);
	virt_control_destroy(&vm);
	virt_destroy(&vm);
	return code;
}

static bool pick_name(const struct run_args *a, char *name, size_t len)
{
	if (a->id)
		snprintf(name, len, "%s", a->id);
	else
		registry_default_name(a->api_sock, name, len);
	if (registry_name_valid(name) && (!a->id || strlen(a->id) < len))
		return true;
	fprintf(stderr, "popek: run: VM name '%s' must be 1-%d letters, digits, '.', '_' or '-'%s\n",
		a->id ? a->id : name, REGISTRY_NAME_MAX - 1, a->id ? "" : " (set one with --id)");
	return false;
}

int api_run_machine(struct run_args *a, const struct virt_config *base)
{
	static struct api_instance in;
	char name[REGISTRY_NAME_MAX], err[512];
	if (!pick_name(a, name, sizeof(name)))
		return 2;
	if (!a->no_boot && !a->restore && run_args_validate(a) < 0) {
		fprintf(stderr, "popek: %s\n", a->error);
		return 1;
	}
	if (api_instance_init(&in, name, a) < 0) {
		fprintf(stderr, "popek: run: --append is too long for the API (at most %d bytes)\n",
			API_BOOT_ARGS_MAX - 1);
		return 2;
	}
	if (a->restore) {
		snprintf(in.restore_state, sizeof(in.restore_state), "%s", a->restore);
		snprintf(in.restore_mem, sizeof(in.restore_mem), "%s", a->restore_mem ? a->restore_mem : "");
	}
	pthread_t sig_thread;
	if (api_signals_start(&in, &sig_thread) < 0) {
		fprintf(stderr, "popek: cannot start the signal thread\n");
		api_instance_destroy(&in);
		return 1;
	}
	struct api_server *srv = api_server_start(a->api_sock, &in, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "popek: %s\n", err);
		api_signals_stop(sig_thread);
		api_instance_destroy(&in);
		return 1;
	}
	int code = 1;
	if (registry_add(name, a->api_sock, err, sizeof(err)) < 0)
		fprintf(stderr, "popek: %s\n", err);
	else
		code = run_machine(&in, base, a->no_boot);
	registry_remove(name);
	api_server_stop(srv);
	api_signals_stop(sig_thread);
	api_instance_destroy(&in);
	return code;
}

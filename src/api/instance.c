/*
 * The API's view of the VMM instance (see instance.h): configuration
 * defaults from the command line, the start hand-off between the API
 * thread and the main thread, and the machine configuration built from it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/instance.h"
#include "cli/run_args.h"

int api_instance_init(struct api_instance *in, const char *id, const struct run_args *a)
{
	memset(in, 0, sizeof(*in));
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->cond, NULL);
	snprintf(in->id, sizeof(in->id), "%s", id);
	struct api_config *c = &in->cfg;
	snprintf(c->kernel_image_path, sizeof(c->kernel_image_path), "%s", a->kernel);
	snprintf(c->initrd_path, sizeof(c->initrd_path), "%s", a->initrd);
	snprintf(c->firmware, sizeof(c->firmware), "%s", a->bios);
	if (strlen(a->append) >= sizeof(c->boot_args))
		return -ENAMETOOLONG;
	snprintf(c->boot_args, sizeof(c->boot_args), "%s", a->append);
	c->vcpu_count = (uint64_t)a->cpus;
	c->mem_size_mib = a->mem >> 20;
	c->console_stdio = a->console == RUN_CONSOLE_STDIO;
	for (int i = 0; i < a->ndisks && i < VIRT_MAX_DISKS; i++) {
		struct api_drive *d = &c->drives[c->ndrives++];
		snprintf(d->drive_id, sizeof(d->drive_id), "drive%d", i);
		snprintf(d->path_on_host, sizeof(d->path_on_host), "%s", a->disks[i].path);
		d->is_read_only = a->disks[i].readonly;
	}
	return 0;
}

void api_instance_destroy(struct api_instance *in)
{
	pthread_cond_destroy(&in->cond);
	pthread_mutex_destroy(&in->lock);
}

int api_instance_wait_start(struct api_instance *in)
{
	pthread_mutex_lock(&in->lock);
	while (in->phase != API_START_REQUESTED && in->phase != API_START_QUIT)
		pthread_cond_wait(&in->cond, &in->lock);
	int ret = in->phase == API_START_QUIT ? -ECANCELED : 0;
	pthread_mutex_unlock(&in->lock);
	return ret;
}

void api_instance_claim_start(struct api_instance *in)
{
	pthread_mutex_lock(&in->lock);
	if (in->phase == API_START_IDLE)
		in->phase = API_START_REQUESTED;
	pthread_mutex_unlock(&in->lock);
}

void api_instance_start_result(struct api_instance *in, struct virt_machine *vm, const char *error)
{
	pthread_mutex_lock(&in->lock);
	bool quit = in->phase == API_START_QUIT;   /* a stop came while building */
	in->vm = vm;
	if (vm) {
		in->phase = API_START_DONE;
		if (quit)
			virt_control_stop(vm, in->quit_code, in->quit_message[0] ? in->quit_message : NULL);
	} else if (!quit) {
		in->phase = API_START_FAILED;
		snprintf(in->start_error, sizeof(in->start_error), "%s", error ? error : "cannot start");
	}
	pthread_cond_broadcast(&in->cond);
	pthread_mutex_unlock(&in->lock);
}

void api_instance_stop_locked(struct api_instance *in, int code, const char *message)
{
	if (in->vm) {
		virt_control_stop(in->vm, code, message);
		return;
	}
	if (in->exited || in->phase == API_START_QUIT)
		return;
	/* Not built yet, or being built: start_result() stops it on arrival. */
	in->quit_code = code;
	snprintf(in->quit_message, sizeof(in->quit_message), "%s", message ? message : "");
	in->phase = API_START_QUIT;
	pthread_cond_broadcast(&in->cond);
}

void api_instance_stop(struct api_instance *in, int code, const char *message)
{
	pthread_mutex_lock(&in->lock);
	api_instance_stop_locked(in, code, message);
	pthread_mutex_unlock(&in->lock);
}

void api_instance_detach(struct api_instance *in)
{
	pthread_mutex_lock(&in->lock);
	in->vm = NULL;
	in->exited = true;
	pthread_mutex_unlock(&in->lock);
}

/* The root drive becomes /dev/vda (virtio slots are filled in order), the
 * others follow in the order they were configured. */
static int order_drives(const struct api_config *c, struct virt_config *vc, int *root,
			char *err, size_t errlen)
{
	*root = -1;
	for (int i = 0; i < c->ndrives; i++) {
		if (!c->drives[i].is_root_device)
			continue;
		if (*root >= 0) {
			snprintf(err, errlen, "drives '%s' and '%s' are both root devices",
				 c->drives[*root].drive_id, c->drives[i].drive_id);
			return -EINVAL;
		}
		*root = i;
	}
	vc->ndisks = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < c->ndrives; i++) {
			if ((i == *root) != (pass == 0))
				continue;
			vc->disks[vc->ndisks].path = c->drives[i].path_on_host;
			vc->disks[vc->ndisks].readonly = c->drives[i].is_read_only;
			vc->ndisks++;
		}
	}
	return 0;
}

int api_instance_virt_config(const struct api_instance *in, struct virt_config *vc,
			     char *boot_args_buf, size_t buflen, char *err, size_t errlen)
{
	const struct api_config *c = &in->cfg;
	int root;
	int ret = order_drives(c, vc, &root, err, errlen);
	if (ret)
		return ret;
	/* As Firecracker does: the root drive is named on the command line. */
	int n = root < 0 ? snprintf(boot_args_buf, buflen, "%s", c->boot_args)
			 : snprintf(boot_args_buf, buflen, "%s root=/dev/vda %s", c->boot_args,
				    c->drives[root].is_read_only ? "ro" : "rw");
	if (n < 0 || (size_t)n >= buflen) {
		snprintf(err, errlen, "boot_args is too long");
		return -EINVAL;
	}
	vc->mem_size = c->mem_size_mib << 20;
	vc->nharts = (int)c->vcpu_count;
	vc->firmware = c->firmware[0] ? c->firmware : NULL;
	vc->kernel = c->kernel_image_path;
	vc->initrd = c->initrd_path[0] ? c->initrd_path : NULL;
	vc->append = boot_args_buf;
	vc->console_stdio = c->console_stdio;
	return 0;
}

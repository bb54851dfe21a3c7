/*
 * Pre-boot configuration resources: /boot-source, /machine-config,
 * /drives/{id}, and the read-only /vm/config summary.  Files named in a
 * request are checked when it arrives, so a wrong path is a 400 on that
 * request rather than a failed InstanceStart later.  Configuration is
 * refused once the machine has started: it is built from it only once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "api/json.h"
#include "api/routes.h"
#include "cli/run_args.h"

#define MIN_MEM_MIB (RUN_MIN_MEM >> 20)

/* Called with the lock held. */
static bool configurable(struct api_instance *in, struct api_response *rs)
{
	if (in->phase == API_START_IDLE || in->phase == API_START_FAILED)
		return true;
	api_fault(rs, 400, "the machine has already started: configuration cannot change");
	return false;
}

/* Open path as the machine will; false (and a 400) when it cannot. */
static bool file_usable(struct api_response *rs, const char *what, const char *path,
			bool writable, bool allow_blockdev)
{
	struct stat sb;
	int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0) {
		api_fault(rs, 400, "cannot open %s '%.512s': %s", what, path, strerror(errno));
		return false;
	}
	int ret = fstat(fd, &sb);
	close(fd);
	if (ret == 0 && (S_ISREG(sb.st_mode) || (allow_blockdev && S_ISBLK(sb.st_mode))))
		return true;
	api_fault(rs, 400, "%s '%.512s' is not a regular file", what, path);
	return false;
}

static void reply_json(struct api_response *rs, cJSON *o)
{
	rs->body = o ? cJSON_PrintUnformatted(o) : NULL;
	rs->status = rs->body ? 200 : 500;
	cJSON_Delete(o);
}

void api_put_boot_source(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	struct api_config *c = &in->cfg;
	char kernel[sizeof(c->kernel_image_path)], initrd[sizeof(c->initrd_path)] = "";
	char args[sizeof(c->boot_args)] = RUN_DEFAULT_APPEND;
	char err[256];
	const struct api_json_field f[] = {
		{ "kernel_image_path", API_JSON_STRING, true, kernel, sizeof(kernel), 0, NULL },
		{ "initrd_path", API_JSON_STRING, false, initrd, sizeof(initrd), 0, NULL },
		{ "boot_args", API_JSON_STRING, false, args, sizeof(args), 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 3, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	if (!file_usable(rs, "kernel", kernel, false, false) ||
	    (initrd[0] && !file_usable(rs, "initrd", initrd, false, false)))
		return;
	pthread_mutex_lock(&in->lock);
	if (configurable(in, rs)) {
		memcpy(c->kernel_image_path, kernel, sizeof(kernel));
		memcpy(c->initrd_path, initrd, sizeof(initrd));
		memcpy(c->boot_args, args, sizeof(args));
		rs->status = 204;
	}
	pthread_mutex_unlock(&in->lock);
}

static uint64_t host_ram_mib(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return UINT64_MAX >> 20;
	return ((uint64_t)si.totalram * si.mem_unit) >> 20;
}

void api_put_machine_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	uint64_t vcpus = 0, mib = 0;
	char err[256];
	const struct api_json_field f[] = {
		{ "vcpu_count", API_JSON_UINT, true, &vcpus, 0, RUN_MAX_CPUS, NULL },
		{ "mem_size_mib", API_JSON_UINT, true, &mib, 0, host_ram_mib(), NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 2, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	if (vcpus < 1 || vcpus > VIRT_MAX_HARTS) {
		api_fault(rs, 400, "vcpu_count must be from 1 to %d", VIRT_MAX_HARTS);
		return;
	}
	if (mib < MIN_MEM_MIB) {
		api_fault(rs, 400, "mem_size_mib must be at least %llu", MIN_MEM_MIB);
		return;
	}
	pthread_mutex_lock(&in->lock);
	if (configurable(in, rs)) {
		in->cfg.vcpu_count = vcpus;
		in->cfg.mem_size_mib = mib;
		rs->status = 204;
	}
	pthread_mutex_unlock(&in->lock);
}

static cJSON *machine_config_json(const struct api_config *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "vcpu_count", (double)c->vcpu_count);
	cJSON_AddNumberToObject(o, "mem_size_mib", (double)c->mem_size_mib);
	return o;
}

void api_get_machine_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	(void)rq;
	pthread_mutex_lock(&in->lock);
	cJSON *o = machine_config_json(&in->cfg);
	pthread_mutex_unlock(&in->lock);
	reply_json(rs, o);
}

static bool drive_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n >= API_DRIVE_ID_MAX)
		return false;
	for (; *id; id++)
		if (!(*id == '_' || (*id >= '0' && *id <= '9') || (*id >= 'a' && *id <= 'z') ||
		      (*id >= 'A' && *id <= 'Z')))
			return false;
	return true;
}

/* Replace the drive with the same id, or add a new one. */
static void store_drive(struct api_instance *in, const struct api_drive *d, struct api_response *rs)
{
	struct api_config *c = &in->cfg;
	int slot = c->ndrives;
	for (int i = 0; i < c->ndrives; i++)
		if (strcmp(c->drives[i].drive_id, d->drive_id) == 0)
			slot = i;
	if (slot == VIRT_MAX_DISKS) {
		api_fault(rs, 400, "at most %d drives", VIRT_MAX_DISKS);
		return;
	}
	c->drives[slot] = *d;
	if (slot == c->ndrives)
		c->ndrives++;
	rs->status = 204;
}

void api_put_drive(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	static struct api_drive d;   /* PATH_MAX inside; only the API thread runs this */
	const char *path_id = rq->path + strlen("/drives/");
	char err[256];
	memset(&d, 0, sizeof(d));
	const struct api_json_field f[] = {
		{ "drive_id", API_JSON_STRING, true, d.drive_id, sizeof(d.drive_id), 0, NULL },
		{ "path_on_host", API_JSON_STRING, true, d.path_on_host, sizeof(d.path_on_host), 0, NULL },
		{ "is_root_device", API_JSON_BOOL, true, &d.is_root_device, 0, 0, NULL },
		{ "is_read_only", API_JSON_BOOL, false, &d.is_read_only, 0, 0, NULL },
	};
	if (api_json_parse_object(rq->body, rq->len, f, 4, err, sizeof(err)) < 0) {
		api_fault(rs, 400, "%s", err);
		return;
	}
	if (!drive_id_valid(d.drive_id)) {
		api_fault(rs, 400, "drive_id must be 1 to %d letters, digits or '_'",
				 API_DRIVE_ID_MAX - 1);
		return;
	}
	if (strcmp(d.drive_id, path_id) != 0) {
		api_fault(rs, 400, "drive_id '%s' does not match the path", d.drive_id);
		return;
	}
	if (!file_usable(rs, "drive", d.path_on_host, !d.is_read_only, true))
		return;
	pthread_mutex_lock(&in->lock);
	if (configurable(in, rs))
		store_drive(in, &d, rs);
	pthread_mutex_unlock(&in->lock);
}

static cJSON *drives_json(const struct api_config *c)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < c->ndrives; i++) {
		const struct api_drive *d = &c->drives[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "drive_id", d->drive_id);
		cJSON_AddStringToObject(o, "path_on_host", d->path_on_host);
		cJSON_AddBoolToObject(o, "is_root_device", d->is_root_device);
		cJSON_AddBoolToObject(o, "is_read_only", d->is_read_only);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *boot_source_json(const struct api_config *c)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kernel_image_path", c->kernel_image_path);
	if (c->initrd_path[0])
		cJSON_AddStringToObject(o, "initrd_path", c->initrd_path);
	else
		cJSON_AddNullToObject(o, "initrd_path");
	cJSON_AddStringToObject(o, "boot_args", c->boot_args);
	return o;
}

void api_get_vm_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	(void)rq;
	cJSON *o = cJSON_CreateObject();
	pthread_mutex_lock(&in->lock);
	cJSON_AddItemToObject(o, "boot-source", boot_source_json(&in->cfg));
	cJSON_AddItemToObject(o, "machine-config", machine_config_json(&in->cfg));
	cJSON_AddItemToObject(o, "drives", drives_json(&in->cfg));
	pthread_mutex_unlock(&in->lock);
	reply_json(rs, o);
}

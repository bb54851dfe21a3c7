/*
 * Request dispatch for the control API: the route table, path matching
 * (exact paths and the one templated resource, /drives/{id}), and the
 * answers for unknown paths (404) and wrong methods (405), all as JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/json.h"
#include "api/routes.h"

typedef void (*api_handler)(struct api_instance *, const struct api_request *, struct api_response *);

struct api_route_entry {
	const char *method;
	const char *path;       /* ending in '/' means "this prefix plus one segment" */
	api_handler handler;
};

static const struct api_route_entry routes[] = {
	{ "GET",   "/",               api_get_info },
	{ "PUT",   "/boot-source",    api_put_boot_source },
	{ "PUT",   "/machine-config", api_put_machine_config },
	{ "GET",   "/machine-config", api_get_machine_config },
	{ "PUT",   "/drives/",        api_put_drive },
	{ "PUT",   "/actions",        api_put_actions },
	{ "PATCH", "/vm",             api_patch_vm },
	{ "GET",   "/vm/config",      api_get_vm_config },
	{ "GET",   "/metrics",        api_get_metrics },
	{ "PUT",   "/snapshot/create", api_put_snapshot_create },
	{ "PUT",   "/snapshot/load",  api_put_snapshot_load },
};

void api_fault(struct api_response *rs, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(rs->body);
	rs->status = status;
	rs->body = api_json_fault(msg);
}

static bool path_matches(const char *pattern, const char *path)
{
	size_t n = strlen(pattern);
	if (n > 1 && pattern[n - 1] == '/')
		return strncmp(path, pattern, n) == 0 && path[n] && !strchr(path + n, '/');
	return strcmp(pattern, path) == 0;
}

void api_route(struct api_instance *in, const struct api_request *rq, struct api_response *rs)
{
	bool path_known = false;
	rs->status = 500;
	rs->body = NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_matches(routes[i].path, rq->path))
			continue;
		path_known = true;
		if (strcmp(routes[i].method, rq->method) == 0) {
			routes[i].handler(in, rq, rs);
			return;
		}
	}
	if (path_known)
		api_fault(rs, 405, "method %.16s is not allowed on %.256s", rq->method, rq->path);
	else
		api_fault(rs, 404, "no resource at %.256s", rq->path);
}

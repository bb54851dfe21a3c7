/*
 * The control API's resources: one table maps (method, path) to a
 * handler.  Handlers see a complete request (the server has collected and
 * size-checked the body) and fill in a status and an optional JSON body.
 */
#ifndef POPEK_API_ROUTES_H
#define POPEK_API_ROUTES_H

#include <stdarg.h>
#include <stddef.h>

#include "api/instance.h"

struct api_request {
	const char *method;
	const char *path;
	const char *body;
	size_t len;
};

struct api_response {
	unsigned status;
	char *body;     /* malloc'd JSON text, or NULL for no body (204) */
};

/* Handle one request; never fails (errors become 4xx responses). */
void api_route(struct api_instance *in, const struct api_request *rq, struct api_response *rs);

/* For handlers: a {"fault_message": ...} response. */
void api_fault(struct api_response *rs, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Handlers (config_routes.c, action_routes.c). */
void api_put_boot_source(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_put_machine_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_get_machine_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_put_drive(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_get_vm_config(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_put_actions(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_patch_vm(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_get_info(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_get_metrics(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
/* snapshot_routes.c */
void api_put_snapshot_create(struct api_instance *in, const struct api_request *rq, struct api_response *rs);
void api_put_snapshot_load(struct api_instance *in, const struct api_request *rq, struct api_response *rs);

#endif

/*
 * Strict JSON request bodies for the control API: a body must be one JSON
 * object whose members are all declared in a field table, each of the
 * declared type; anything else is refused with a one-line reason that the
 * API returns as its fault_message.  Built on cJSON.
 */
#ifndef POPEK_API_JSON_H
#define POPEK_API_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum api_json_type { API_JSON_STRING, API_JSON_BOOL, API_JSON_UINT };

struct api_json_field {
	const char *name;
	enum api_json_type type;
	bool required;
	void *dst;          /* char[dst_size], bool, or uint64_t */
	size_t dst_size;    /* strings: buffer size including the NUL */
	uint64_t max;       /* integers: largest accepted value */
	bool *present;      /* optional: set when the member appeared */
};

/* Parse body[0..len) into the fields.  Returns 0 or -EINVAL with the reason
 * in err.  Destination buffers are written only when the whole body is
 * valid, so a refused request changes nothing. */
int api_json_parse_object(const char *body, size_t len, const struct api_json_field *fields,
			  size_t nfields, char *err, size_t errlen);

/* {"fault_message": msg} as a malloc'd string (NULL when out of memory). */
char *api_json_fault(const char *msg);

#endif

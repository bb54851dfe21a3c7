/*
 * Strict parsing of API request bodies (see json.h).
 *
 * Validation runs in two passes over the parsed tree: first every member
 * is checked (known name, no duplicate, right type, in range), then the
 * values are copied out.  A request is therefore all or nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api/json.h"

/* Integers must be exact in a double, which is how cJSON keeps numbers. */
#define JSON_MAX_EXACT_INT (1ULL << 53)

static const struct api_json_field *find_field(const struct api_json_field *f, size_t n,
					       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

static const char *type_name(enum api_json_type t)
{
	switch (t) {
	case API_JSON_STRING: return "a string";
	case API_JSON_BOOL: return "a boolean";
	case API_JSON_UINT: return "a non-negative integer";
	}
	return "?";
}

static bool uint_ok(const cJSON *item, uint64_t max)
{
	double v = item->valuedouble;
	if (!cJSON_IsNumber(item) || !isfinite(v) || v < 0 || v != floor(v))
		return false;
	return v <= (double)JSON_MAX_EXACT_INT && (uint64_t)v <= max;
}

static int check_member(const cJSON *item, const struct api_json_field *f, char *err, size_t errlen)
{
	bool ok = false;
	switch (f->type) {
	case API_JSON_STRING:
		ok = cJSON_IsString(item) && strlen(item->valuestring) < f->dst_size;
		if (cJSON_IsString(item) && !ok) {
			snprintf(err, errlen, "field '%s' is too long (at most %zu bytes)",
				 f->name, f->dst_size - 1);
			return -EINVAL;
		}
		break;
	case API_JSON_BOOL:
		ok = cJSON_IsBool(item);
		break;
	case API_JSON_UINT:
		ok = uint_ok(item, f->max);
		if (cJSON_IsNumber(item) && !ok) {
			snprintf(err, errlen, "field '%s' must be an integer from 0 to %llu",
				 f->name, (unsigned long long)f->max);
			return -EINVAL;
		}
		break;
	}
	if (!ok)
		snprintf(err, errlen, "field '%s' must be %s", f->name, type_name(f->type));
	return ok ? 0 : -EINVAL;
}

static int check_object(const cJSON *obj, const struct api_json_field *fields, size_t n,
			char *err, size_t errlen)
{
	const cJSON *item;
	cJSON_ArrayForEach(item, obj) {
		const struct api_json_field *f = find_field(fields, n, item->string);
		if (!f) {
			snprintf(err, errlen, "unknown field '%.64s'", item->string);
			return -EINVAL;
		}
		if (cJSON_GetObjectItemCaseSensitive(obj, item->string) != item) {
			snprintf(err, errlen, "field '%s' appears twice", f->name);
			return -EINVAL;
		}
		int ret = check_member(item, f, err, errlen);
		if (ret)
			return ret;
	}
	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && !cJSON_GetObjectItemCaseSensitive(obj, fields[i].name)) {
			snprintf(err, errlen, "missing field '%s'", fields[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

static void copy_member(const cJSON *item, const struct api_json_field *f)
{
	switch (f->type) {
	case API_JSON_STRING:
		snprintf(f->dst, f->dst_size, "%s", item->valuestring);
		break;
	case API_JSON_BOOL:
		*(bool *)f->dst = cJSON_IsTrue(item);
		break;
	case API_JSON_UINT:
		*(uint64_t *)f->dst = (uint64_t)item->valuedouble;
		break;
	}
	if (f->present)
		*f->present = true;
}

/* cJSON stops after the first value: anything but whitespace after it is
 * a malformed body, not something to ignore. */
static bool only_space(const char *p, const char *end)
{
	for (; p && p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
	return p != NULL;
}

int api_json_parse_object(const char *body, size_t len, const struct api_json_field *fields,
			  size_t nfields, char *err, size_t errlen)
{
	if (len == 0) {
		snprintf(err, errlen, "the request needs a JSON body");
		return -EINVAL;
	}
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(body, len, &end, false);
	if (root && !only_space(end, body + len)) {
		cJSON_Delete(root);
		root = NULL;
	}
	if (!root) {
		snprintf(err, errlen, "the body is not valid JSON");
		return -EINVAL;
	}
	int ret = 0;
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "the body must be a JSON object");
		ret = -EINVAL;
	}
	if (!ret)
		ret = check_object(root, fields, nfields, err, errlen);
	for (size_t i = 0; !ret && i < nfields; i++) {
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(root, fields[i].name);
		if (item)
			copy_member(item, &fields[i]);
	}
	cJSON_Delete(root);
	return ret;
}

char *api_json_fault(const char *msg)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	char *s = NULL;
	if (cJSON_AddStringToObject(o, "fault_message", msg))
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

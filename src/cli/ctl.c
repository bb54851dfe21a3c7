/*
 * `popek list | pause NAME | resume NAME | stop NAME | snapshot NAME PATH`:
 * front-ends to the control API of VMs started with `popek run --api-sock`.
 * VMs are found in the runtime directory (src/api/registry.h); NAME may
 * also be the path of an API socket.  Exit status: 0 done, 1 the VMM
 * refused or could not be reached (with its fault_message), 2 usage.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "api/client.h"
#include "api/registry.h"
#include "cli/cli.h"

#define CTL_TIMEOUT_MS 10000
#define STOP_WAIT_MS 10000
#define SNAPSHOT_TIMEOUT_MS 600000   /* writing gigabytes of RAM takes a while */

/* The "state" (or "fault_message") member of a JSON answer. */
static void json_member(const char *body, const char *key, char *out, size_t len)
{
	cJSON *o = cJSON_Parse(body);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	snprintf(out, len, "%s", cJSON_IsString(v) ? v->valuestring : "");
	cJSON_Delete(o);
}

static void print_vm(const struct registry_entry *e, void *opaque)
{
	char body[4096], state[64] = "unreachable";
	int status;
	(void)opaque;
	if (api_client_request(e->api_sock, "GET", "/", NULL, 2000, &status, body, sizeof(body)) == 0 &&
	    status == 200)
		json_member(body, "state", state, sizeof(state));
	printf("%-20s %-8d %-12s %s\n", e->name, (int)e->pid, state, e->api_sock);
}

static int list_vms(void)
{
	printf("%-20s %-8s %-12s %s\n", "NAME", "PID", "STATE", "API SOCKET");
	int n = registry_each(print_vm, NULL);
	if (n < 0) {
		fprintf(stderr, "popek: cannot read the runtime directory: %s\n", strerror(-n));
		return 1;
	}
	return 0;
}

/* NAME from the registry, or a socket path given directly. */
static int resolve(const char *name, struct registry_entry *e)
{
	if (strchr(name, '/')) {
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%.*s", (int)sizeof(e->name) - 1, name);
		if (strlen(name) >= sizeof(e->api_sock))
			return -ENAMETOOLONG;
		strcpy(e->api_sock, name);
		return 0;
	}
	int ret = registry_find(name, e);
	if (ret == -ENOENT || ret == -EINVAL)
		fprintf(stderr, "popek: no running VM named '%s' (see popek list)\n", name);
	else if (ret < 0)
		fprintf(stderr, "popek: cannot look up VM '%s': %s\n", name, strerror(-ret));
	return ret;
}

static int request_within(const struct registry_entry *e, const char *method, const char *path,
			  const char *body, int timeout_ms)
{
	char answer[4096], fault[1024];
	int status;
	int ret = api_client_request(e->api_sock, method, path, body, timeout_ms, &status,
				     answer, sizeof(answer));
	if (ret < 0) {
		fprintf(stderr, "popek: cannot reach VM '%s' at %s: %s\n", e->name, e->api_sock,
			strerror(-ret));
		return 1;
	}
	if (status >= 200 && status < 300)
		return 0;
	json_member(answer, "fault_message", fault, sizeof(fault));
	fprintf(stderr, "popek: VM '%s': %s (HTTP %d)\n", e->name, fault[0] ? fault : "request refused",
		status);
	return 1;
}

static int request(const struct registry_entry *e, const char *method, const char *path,
		   const char *body)
{
	return request_within(e, method, path, body, CTL_TIMEOUT_MS);
}

/* `popek snapshot NAME PATH`: state file PATH, memory file PATH.mem, both
 * absolute (the VMM's working directory is not ours).  A running VM is
 * paused for the snapshot and resumed afterwards; a paused one stays so. */
static int snapshot_vm(const struct registry_entry *e, const char *path)
{
	char abs[PATH_MAX], mem[PATH_MAX + 8], cwd[PATH_MAX], body[256], state[64] = "";
	int status;
	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return 1;
	if (snprintf(abs, sizeof(abs), "%s%s%s", path[0] == '/' ? "" : cwd,
		     path[0] == '/' ? "" : "/", path) >= (int)sizeof(abs)) {
		fprintf(stderr, "popek: snapshot: file name too long\n");
		return 2;
	}
	snprintf(mem, sizeof(mem), "%s.mem", abs);
	if (api_client_request(e->api_sock, "GET", "/", NULL, CTL_TIMEOUT_MS, &status, body,
			       sizeof(body)) == 0 && status == 200)
		json_member(body, "state", state, sizeof(state));
	bool was_running = !strcmp(state, "Running");
	if (was_running && request(e, "PATCH", "/vm", "{\"state\":\"Paused\"}"))
		return 1;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "snapshot_type", "Full");
	cJSON_AddStringToObject(o, "snapshot_path", abs);
	cJSON_AddStringToObject(o, "mem_file_path", mem);
	char *req = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	int ret = req ? request_within(e, "PUT", "/snapshot/create", req, SNAPSHOT_TIMEOUT_MS) : 1;
	free(req);
	if (was_running && request(e, "PATCH", "/vm", "{\"state\":\"Resumed\"}"))
		ret = 1;
	if (ret == 0)
		printf("%s\n%s\n", abs, mem);
	return ret;
}

/* Gone, or a zombie its parent has not reaped yet: either way it has
 * finished with its disks and sockets. */
static bool process_gone(pid_t pid)
{
	char path[64], stat[512];
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true;
	size_t n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	const char *end = strrchr(stat, ')');   /* the command name may hold anything */
	return end && end[1] == ' ' && (end[2] == 'Z' || end[2] == 'X');
}

/* stop returns once the VMM process is gone, so scripts can rely on it. */
static void wait_for_exit(pid_t pid)
{
	struct timespec ts = { 0, 20 * 1000000L };
	for (int waited = 0; pid > 0 && waited < STOP_WAIT_MS; waited += 20) {
		if (process_gone(pid))
			return;
		nanosleep(&ts, NULL);
	}
}

static void ctl_usage(FILE *f)
{
	fputs("usage: popek list\n"
	      "       popek pause|resume|stop NAME|SOCKET\n"
	      "       popek snapshot NAME|SOCKET PATH   (state PATH, memory PATH.mem)\n", f);
}

int cli_ctl(int argc, char **argv)
{
	const char *cmd = argv[0];
	if (!strcmp(cmd, "list")) {
		if (argc != 1) {
			ctl_usage(stderr);
			return 2;
		}
		return list_vms();
	}
	bool snapshot = !strcmp(cmd, "snapshot");
	if (argc != (snapshot ? 3 : 2)) {
		ctl_usage(stderr);
		return 2;
	}
	struct registry_entry e;
	if (resolve(argv[1], &e) < 0)
		return 1;
	if (snapshot)
		return snapshot_vm(&e, argv[2]);
	if (!strcmp(cmd, "pause"))
		return request(&e, "PATCH", "/vm", "{\"state\":\"Paused\"}");
	if (!strcmp(cmd, "resume"))
		return request(&e, "PATCH", "/vm", "{\"state\":\"Resumed\"}");
	int ret = request(&e, "PUT", "/actions", "{\"action_type\":\"InstanceStop\"}");
	if (ret == 0)
		wait_for_exit(e.pid);
	return ret;
}

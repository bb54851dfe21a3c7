/*
 * HTTP over a Unix socket for the control API (see server.h).
 *
 * We bind the socket ourselves and give it to libmicrohttpd, which runs
 * one internal polling thread: requests are handled one at a time, which
 * keeps the instance's state changes simple to reason about.  A request
 * body arrives in pieces; it is collected into a buffer capped at
 * API_MAX_BODY, and a larger one (announced or actual) is answered 413
 * without being stored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "api/json.h"
#include "api/routes.h"
#include "api/server.h"

struct api_server {
	struct MHD_Daemon *daemon;
	struct api_instance *in;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* One request being received. */
struct api_conn {
	char *body;
	size_t len;
	bool too_large;
};

static int make_address(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/* A socket file left by a VMM that died is replaced; a live one is not. */
static int clear_stale_socket(const struct sockaddr_un *sa)
{
	struct stat sb;
	if (lstat(sa->sun_path, &sb) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(sb.st_mode))
		return -EEXIST;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int live = connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
	close(fd);
	if (live)
		return -EADDRINUSE;
	return unlink(sa->sun_path) < 0 ? -errno : 0;
}

static int listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int ret = make_address(path, &sa);
	if (ret == 0)
		ret = clear_stale_socket(&sa);
	if (ret < 0) {
		snprintf(err, errlen, "cannot use API socket '%s': %s", path,
			 ret == -EADDRINUSE ? "another VMM is listening on it" : strerror(-ret));
		return ret;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* Whoever can connect controls the VM: only its owner may. */
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, 16) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot listen on API socket '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	return fd;
}

/* Content-Length over the limit: refuse before the body is sent. */
static bool announced_too_large(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return cl && strtoull(cl, NULL, 10) > API_MAX_BODY;
}

static void take_body(struct api_conn *rc, const char *data, size_t size)
{
	if (rc->too_large || size > API_MAX_BODY - rc->len) {
		rc->too_large = true;
		return;
	}
	char *grown = realloc(rc->body, rc->len + size + 1);
	if (!grown) {
		rc->too_large = true;   /* cannot hold it: same answer */
		return;
	}
	memcpy(grown + rc->len, data, size);
	rc->body = grown;
	rc->len += size;
	rc->body[rc->len] = '\0';
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct api_response *rs)
{
	struct MHD_Response *r;
	if (rs->body)
		r = MHD_create_response_from_buffer(strlen(rs->body), rs->body, MHD_RESPMEM_MUST_FREE);
	else
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(rs->body);
		return MHD_NO;
	}
	if (rs->body)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result ret = MHD_queue_response(c, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void count(struct api_instance *in, unsigned status)
{
	pthread_mutex_lock(&in->lock);
	in->requests++;
	if (status >= 400)
		in->faults++;
	pthread_mutex_unlock(&in->lock);
}

static enum MHD_Result answer_too_large(struct api_instance *in, struct MHD_Connection *c)
{
	struct api_response rs = { 0 };
	api_fault(&rs, 413, "the request body is larger than %d bytes", API_MAX_BODY);
	count(in, rs.status);
	return send_response(c, &rs);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct api_instance *in = cls;
	struct api_conn *rc = *con_cls;
	(void)version;
	if (!rc) {
		if (announced_too_large(c))
			return answer_too_large(in, c);
		rc = calloc(1, sizeof(*rc));
		*con_cls = rc;
		return rc ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		take_body(rc, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rc->too_large)
		return answer_too_large(in, c);
	struct api_request rq = { .method = method, .path = url, .body = rc->body, .len = rc->len };
	struct api_response rs = { 0 };
	api_route(in, &rq, &rs);
	count(in, rs.status);
	return send_response(c, &rs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct api_conn *rc = *con_cls;
	(void)cls, (void)c, (void)why;
	if (rc) {
		free(rc->body);
		free(rc);
		*con_cls = NULL;
	}
}

struct api_server *api_server_start(const char *sock_path, struct api_instance *in,
				    char *err, size_t errlen)
{
	struct api_server *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->in = in;
	s->fd = listen_unix(sock_path, err, errlen);
	if (s->fd < 0) {
		errno = -s->fd;
		free(s);
		return NULL;
	}
	snprintf(s->path, sizeof(s->path), "%s", sock_path);
	s->daemon = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, on_request, in,
				     MHD_OPTION_LISTEN_SOCKET, s->fd,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)API_IDLE_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)API_MAX_CONNECTIONS,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				     MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot start the API server on '%s'", sock_path);
		close(s->fd);
		unlink(s->path);
		free(s);
		errno = EIO;
		return NULL;
	}
	return s;
}

/* The last answer (e.g. to InstanceStop) may still be on its way out when
 * the machine is gone: stop accepting, let open connections finish for a
 * moment, then tear down. */
static void drain_connections(struct api_server *s)
{
	struct timespec step = { 0, 10 * 1000000L };
	for (int ms = 0; ms < API_DRAIN_MS; ms += 10) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections == 0)
			return;
		nanosleep(&step, NULL);
	}
}

void api_server_stop(struct api_server *s)
{
	if (!s)
		return;
	int fd = MHD_quiesce_daemon(s->daemon);
	unlink(s->path);
	drain_connections(s);
	MHD_stop_daemon(s->daemon);
	/* After a quiesce the listening socket is ours to close again. */
	if (fd >= 0)
		close(fd);
	free(s);
}

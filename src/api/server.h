/*
 * The control API's HTTP/1.1 server: libmicrohttpd on a Unix socket, on
 * its own thread.  It collects each request body (refusing bodies over
 * API_MAX_BODY with 413), hands complete requests to api_route(), and
 * closes connections that stay silent for API_IDLE_TIMEOUT_S seconds.
 */
#ifndef POPEK_API_SERVER_H
#define POPEK_API_SERVER_H

#include "api/instance.h"

#define API_MAX_BODY (64 * 1024)
#define API_IDLE_TIMEOUT_S 5
#define API_MAX_CONNECTIONS 32
#define API_DRAIN_MS 1000      /* how long stopping waits for answers in flight */

struct api_server;

/* Listen on sock_path (replacing a stale socket nobody listens on) and
 * serve in. Returns NULL with errno set and a reason in err. */
struct api_server *api_server_start(const char *sock_path, struct api_instance *in,
				    char *err, size_t errlen);
/* Stop serving and remove the socket. */
void api_server_stop(struct api_server *s);

#endif

/*
 * A minimal HTTP/1.1 client for the control API's Unix socket, used by
 * `popek list|pause|resume|stop`: one request per connection
 * (Connection: close), the whole answer read until the server closes.
 */
#ifndef POPEK_API_CLIENT_H
#define POPEK_API_CLIENT_H

#include <stddef.h>

/* Send method path with an optional JSON body; on success returns 0 with
 * the HTTP status in *status and the response body (NUL-terminated,
 * truncated to outlen - 1) in out.  -errno when the VMM cannot be reached
 * or does not answer within timeout_ms. */
int api_client_request(const char *sock_path, const char *method, const char *path,
		       const char *body, int timeout_ms, int *status, char *out, size_t outlen);

#endif

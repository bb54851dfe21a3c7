/*
 * HTTP over a Unix socket, client side (see client.h).  The answer is
 * small JSON, so it is read whole into a fixed buffer and split at the
 * blank line; only the status code of the first line is interpreted.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api/client.h"

#define RESPONSE_MAX 65536

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until the server closes; -ETIMEDOUT past the deadline. */
static ssize_t recv_all(int fd, char *buf, size_t cap, long long deadline)
{
	size_t len = 0;
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			return -ETIMEDOUT;
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0 || len + (size_t)n == cap)
			return (ssize_t)(len + (size_t)n);
		len += (size_t)n;
	}
}

static int parse_response(char *resp, size_t len, int *status, char *out, size_t outlen)
{
	resp[len] = '\0';
	if (sscanf(resp, "HTTP/1.%*d %d", status) != 1)
		return -EPROTO;
	char *body = strstr(resp, "\r\n\r\n");
	snprintf(out, outlen, "%s", body ? body + 4 : "");
	return 0;
}

int api_client_request(const char *sock_path, const char *method, const char *path,
		       const char *body, int timeout_ms, int *status, char *out, size_t outlen)
{
	static char resp[RESPONSE_MAX + 1];
	char head[1024];
	size_t blen = body ? strlen(body) : 0;
	int hn = snprintf(head, sizeof(head),
			  "%s %s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
			  "Content-Type: application/json\r\nContent-Length: %zu\r\n"
			  "Connection: close\r\n\r\n", method, path, blen);
	if (hn < 0 || (size_t)hn >= sizeof(head))
		return -ENAMETOOLONG;
	int fd = connect_unix(sock_path);
	if (fd < 0)
		return fd;
	int ret = send_all(fd, head, (size_t)hn);
	if (!ret && blen)
		ret = send_all(fd, body, blen);
	ssize_t n = ret ? ret : recv_all(fd, resp, RESPONSE_MAX, now_ms() + timeout_ms);
	close(fd);
	if (n < 0)
		return (int)n;
	return parse_response(resp, (size_t)n, status, out, outlen);
}

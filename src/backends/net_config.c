/*
 * Parsing of --net values (see net_config.h).  The string is split at
 * commas: the first word is the backend kind, the rest are key=value
 * options, each checked here so that a typo never reaches a running guest.
 */
#include "backends/net_config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal port 1..65535 filling all of s. */
static bool parse_port(const char *s, uint16_t *port)
{
	char *end;
	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "[ADDR]:PORT" (ADDR may be empty); s is modified. */
static bool parse_addr_port(char *s, struct in_addr *addr, uint16_t *port)
{
	char *colon = strrchr(s, ':');
	if (!colon)
		return false;
	*colon = '\0';
	addr->s_addr = htonl(INADDR_ANY);
	if (s[0] && inet_pton(AF_INET, s, addr) != 1)
		return false;
	return parse_port(colon + 1, port);
}

/* [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static int parse_hostfwd(const char *v, struct net_config *c, char *err, size_t errlen)
{
	char buf[128];
	if (c->nfwd == NET_MAX_HOSTFWD)
		return fail(err, errlen, "--net: at most %d hostfwd rules", NET_MAX_HOSTFWD);
	if (strlen(v) >= sizeof(buf))
		return fail(err, errlen, "--net: hostfwd '%s' is too long", v);
	strcpy(buf, v);
	struct net_hostfwd *f = &c->fwd[c->nfwd];
	memset(f, 0, sizeof(*f));
	char *p = buf;
	if (strncmp(p, "tcp:", 4) == 0 || strncmp(p, "udp:", 4) == 0) {
		f->udp = p[0] == 'u';
		p += 4;
	} else if (p[0] == ':') {
		p++;   /* protocol omitted: tcp, as in QEMU */
	}
	char *dash = strchr(p, '-');
	if (!dash)
		goto bad;
	*dash = '\0';
	if (!parse_addr_port(p, &f->host_addr, &f->host_port) ||
	    !parse_addr_port(dash + 1, &f->guest_addr, &f->guest_port))
		goto bad;
	c->nfwd++;
	return 0;
bad:
	return fail(err, errlen, "--net: malformed hostfwd '%s' (expected "
		    "tcp:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT)", v);
}

static int parse_mac(const char *v, struct net_config *c, char *err, size_t errlen)
{
	unsigned b[6];
	char tail;
	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6 || strlen(v) != 17)
		return fail(err, errlen, "--net: mac '%s' is not XX:XX:XX:XX:XX:XX", v);
	if (b[0] & 1)
		return fail(err, errlen, "--net: mac '%s' is a multicast address", v);
	for (int i = 0; i < 6; i++)
		c->mac[i] = (uint8_t)b[i];
	c->mac_set = true;
	return 0;
}

static int parse_ifname(const char *v, struct net_config *c, char *err, size_t errlen)
{
	if (v[0] == '\0' || strlen(v) >= IFNAMSIZ || strchr(v, '/'))
		return fail(err, errlen, "--net: ifname '%s' is not a valid interface name", v);
	strcpy(c->ifname, v);
	return 0;
}

static int parse_option(char *opt, struct net_config *c, char *err, size_t errlen)
{
	char *eq = strchr(opt, '=');
	if (!eq)
		return fail(err, errlen, "--net: option '%s' needs a value", opt);
	*eq = '\0';
	const char *v = eq + 1;
	if (strcmp(opt, "mac") == 0)
		return parse_mac(v, c, err, errlen);
	if (strcmp(opt, "hostfwd") == 0 && c->kind == NET_KIND_USER)
		return parse_hostfwd(v, c, err, errlen);
	if (strcmp(opt, "ifname") == 0 && c->kind == NET_KIND_TAP)
		return parse_ifname(v, c, err, errlen);
	return fail(err, errlen, "--net %s: unknown option '%s'",
		    c->kind == NET_KIND_USER ? "user" : "tap", opt);
}

int net_config_parse(const char *s, struct net_config *c, char *err, size_t errlen)
{
	char buf[1024];
	memset(c, 0, sizeof(*c));
	if (strlen(s) >= sizeof(buf))
		return fail(err, errlen, "--net: value too long");
	strcpy(buf, s);
	char *save, *kind = strtok_r(buf, ",", &save);
	if (kind && strcmp(kind, "user") == 0)
		c->kind = NET_KIND_USER;
	else if (kind && strcmp(kind, "tap") == 0)
		c->kind = NET_KIND_TAP;
	else
		return fail(err, errlen, "--net: unknown kind '%s' (expected user or tap)", kind ? kind : "");
	for (char *opt; (opt = strtok_r(NULL, ",", &save));) {
		int ret = parse_option(opt, c, err, errlen);
		if (ret)
			return ret;
	}
	if (c->kind == NET_KIND_TAP && !c->ifname[0])
		return fail(err, errlen, "--net tap needs ifname=NAME");
	return 0;
}

/*
 * What one --net option asks for: the backend kind (user-mode NAT through
 * libslirp, or a host tap device), the guest's MAC address and, for user
 * networking, the host-to-guest port forwards.  Parsed from the command
 * line before any guest state exists, so every mistake is one line.
 *
 *   user[,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...[,mac=XX:XX:XX:XX:XX:XX]
 *   tap,ifname=NAME[,mac=XX:XX:XX:XX:XX:XX]
 */
#ifndef POPEK_BACKENDS_NET_CONFIG_H
#define POPEK_BACKENDS_NET_CONFIG_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_MAX_HOSTFWD 8

enum net_kind { NET_KIND_USER, NET_KIND_TAP };

struct net_hostfwd {
	bool udp;
	struct in_addr host_addr;    /* INADDR_ANY when not given */
	uint16_t host_port;
	struct in_addr guest_addr;   /* 0: the guest's DHCP address */
	uint16_t guest_port;
};

struct net_config {
	enum net_kind kind;
	uint8_t mac[6];
	bool mac_set;                /* else the machine picks 52:54:00:12:34:5N */
	char ifname[IFNAMSIZ];       /* tap only */
	struct net_hostfwd fwd[NET_MAX_HOSTFWD];
	int nfwd;
};

/* Parse one --net value.  Returns 0, or -EINVAL with a one-line reason in
 * err (without a "popek:" prefix). */
int net_config_parse(const char *s, struct net_config *c, char *err, size_t errlen);

#endif

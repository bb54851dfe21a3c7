/*
 * The runtime directory where VMs with an API socket announce themselves,
 * so `popek list|pause|resume|stop NAME` can find them:
 * $XDG_RUNTIME_DIR/popek/, else /tmp/popek-<uid>/ (mode 0700).  Each VM
 * writes NAME.json, {"name", "pid", "api_sock"}, and removes it on exit;
 * entries whose process is gone are stale and are removed by readers.
 */
#ifndef POPEK_API_REGISTRY_H
#define POPEK_API_REGISTRY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define REGISTRY_NAME_MAX 64

struct registry_entry {
	char name[REGISTRY_NAME_MAX];
	pid_t pid;
	char api_sock[PATH_MAX];
};

/* Names are 1-63 of [A-Za-z0-9._-], not starting with '.'. */
bool registry_name_valid(const char *name);
/* The default name of a VM: its socket's file name without ".sock". */
void registry_default_name(const char *sock_path, char *name, size_t len);

/* Announce this process.  -EEXIST when a live VM already has the name. */
int registry_add(const char *name, const char *sock_path, char *err, size_t errlen);
void registry_remove(const char *name);

/* Look a live VM up by name: 0, -ENOENT, or another -errno. */
int registry_find(const char *name, struct registry_entry *e);
/* Call fn for every live VM, in name order; removes stale entries.
 * Returns the number of VMs or -errno. */
int registry_each(void (*fn)(const struct registry_entry *e, void *opaque), void *opaque);

#endif

/*
 * The runtime directory of running VMs (see registry.h).  Entries are
 * written to a temporary file and renamed into place, so a reader never
 * sees half an entry.  Under /tmp the directory is checked to be ours
 * before anything is written to it: another user could have made it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "api/registry.h"

#define ENTRY_MAX_BYTES 16384

static int registry_dir(char *dir, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n = xdg && xdg[0] == '/' ? snprintf(dir, len, "%s/popek", xdg)
				     : snprintf(dir, len, "/tmp/popek-%u", (unsigned)getuid());
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	struct stat sb;
	if (lstat(dir, &sb) < 0)
		return -errno;
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != getuid())
		return -EPERM;
	return 0;
}

bool registry_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= REGISTRY_NAME_MAX || name[0] == '.')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

void registry_default_name(const char *sock_path, char *name, size_t len)
{
	const char *base = strrchr(sock_path, '/');
	base = base ? base + 1 : sock_path;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".sock") == 0)
		n -= 5;
	snprintf(name, len, "%.*s", (int)n, base);
}

static int entry_path(const char *name, char *path, size_t len)
{
	char dir[PATH_MAX];
	int ret = registry_dir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	int n = snprintf(path, len, "%s/%s.json", dir, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static bool process_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static int read_entry(const char *path, struct registry_entry *e)
{
	char buf[ENTRY_MAX_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	cJSON *o = cJSON_ParseWithLength(buf, (size_t)n);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
	const cJSON *sock = cJSON_GetObjectItemCaseSensitive(o, "api_sock");
	int ret = -EINVAL;
	if (cJSON_IsString(name) && cJSON_IsNumber(pid) && cJSON_IsString(sock) &&
	    strlen(name->valuestring) < sizeof(e->name) && strlen(sock->valuestring) < sizeof(e->api_sock)) {
		strcpy(e->name, name->valuestring);
		strcpy(e->api_sock, sock->valuestring);
		e->pid = (pid_t)pid->valueint;
		ret = 0;
	}
	cJSON_Delete(o);
	return ret;
}

static int write_entry(const char *path, const char *name, const char *sock)
{
	char tmp[PATH_MAX + 32];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddNumberToObject(o, "pid", getpid());
	cJSON_AddStringToObject(o, "api_sock", sock);
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		return -ENOMEM;
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	int ret = 0;
	FILE *f = fopen(tmp, "wx");
	if (!f || fprintf(f, "%s\n", text) < 0)
		ret = -errno;
	if (f && fclose(f) != 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	free(text);
	return ret;
}

int registry_add(const char *name, const char *sock_path, char *err, size_t errlen)
{
	char path[PATH_MAX], sock[PATH_MAX];
	struct registry_entry old = { .pid = 0 };
	int ret = entry_path(name, path, sizeof(path));
	if (ret == 0 && read_entry(path, &old) == 0 && old.pid != getpid() && process_alive(old.pid))
		ret = -EEXIST;
	if (ret == 0 && !realpath(sock_path, sock))
		ret = -errno;
	if (ret == 0)
		ret = write_entry(path, name, sock);
	if (ret == -EEXIST)
		snprintf(err, errlen, "a VM named '%s' is already running (pid %d)", name, (int)old.pid);
	else if (ret < 0)
		snprintf(err, errlen, "cannot register VM '%s' in the runtime directory: %s",
			 name, strerror(-ret));
	return ret;
}

void registry_remove(const char *name)
{
	char path[PATH_MAX];
	struct registry_entry e;
	/* Only our own entry: a VM started later may own the name now. */
	if (entry_path(name, path, sizeof(path)) == 0 && read_entry(path, &e) == 0 && e.pid == getpid())
		unlink(path);
}

int registry_find(const char *name, struct registry_entry *e)
{
	char path[PATH_MAX];
	if (!registry_name_valid(name))
		return -EINVAL;
	int ret = entry_path(name, path, sizeof(path));
	if (ret == 0)
		ret = read_entry(path, e);
	if (ret == 0 && !process_alive(e->pid)) {
		unlink(path);
		ret = -ENOENT;
	}
	return ret;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_entry(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 5 && d->d_name[0] != '.' && strcmp(d->d_name + n - 5, ".json") == 0;
}

int registry_each(void (*fn)(const struct registry_entry *e, void *opaque), void *opaque)
{
	char dir[PATH_MAX];
	struct dirent **list;
	int ret = registry_dir(dir, sizeof(dir));
	if (ret < 0)
		return ret;
	int n = scandir(dir, &list, is_entry, by_name), count = 0;
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		char name[REGISTRY_NAME_MAX];
		struct registry_entry e;
		size_t len = strlen(list[i]->d_name) - 5;
		if (len < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)len, list[i]->d_name);
			if (registry_find(name, &e) == 0) {
				fn(&e, opaque);
				count++;
			}
		}
		free(list[i]);
	}
	free(list);
	return count;
}

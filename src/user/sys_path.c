/*
 * Guest path names: copying them out of guest memory and the two rewrites a
 * process VM needs for lookups, /proc/self/exe (which on the host names
 * popek, not the guest program) and the -L sysroot (where a dynamically
 * linked guest's loader and libraries live).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/sys_common.h"

int sys_path_copy(struct uthread *t, uint64_t gpath, char *buf)
{
	long n = uproc_strncpy(t->proc, buf, gpath, PATH_MAX);

	return n < 0 ? (int)n : 0;
}

int sys_path_is_self_exe(const char *path)
{
	char own[64];

	if (!strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/thread-self/exe"))
		return 1;
	snprintf(own, sizeof(own), "/proc/%d/exe", (int)getpid());
	return !strcmp(path, own);
}

/* Prefix an absolute path with the sysroot when the result exists there.
 * "/" itself stays the host root: listing / should not show the sysroot. */
static void apply_sysroot(const struct uproc *p, char *buf)
{
	char tmp[PATH_MAX];
	size_t rl = strnlen(p->sysroot, sizeof(p->sysroot));

	if (rl == 0 || buf[0] != '/' || buf[1] == '\0')
		return;
	if (rl == 1 && p->sysroot[0] == '/')
		return;
	if (rl + strlen(buf) + 1 > sizeof(tmp))
		return;
	memcpy(tmp, p->sysroot, rl);
	strcpy(tmp + rl, buf);
	if (faccessat(AT_FDCWD, tmp, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		strcpy(buf, tmp);
}

int sys_path_lookup(struct uthread *t, uint64_t gpath, char *buf)
{
	const struct uproc *p = t->proc;
	int r = sys_path_copy(t, gpath, buf);

	if (r)
		return r;
	if (sys_path_is_self_exe(buf)) {
		size_t n = strnlen(p->exe_path, sizeof(p->exe_path));

		if (n > 0 && n < PATH_MAX) {
			memcpy(buf, p->exe_path, n);
			buf[n] = '\0';
		}
		return 0;
	}
	apply_sysroot(p, buf);
	return 0;
}

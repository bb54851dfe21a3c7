/*
 * execve/execveat: a guest program replaces itself by re-executing popek.
 *
 * When the target is a riscv64 ELF (or a #! script whose interpreter is
 * one), we execve our own binary as
 *   popek user -L SYSROOT [--strace] --engine E -0 ARGV0 -- TARGET ARGV1...
 * with the guest's environment, so the new program starts in a fresh popek
 * exactly as if the kernel had loaded it; the host pid stays the same.
 * Ignored signals and the blocked mask are carried across like Linux does
 * (host SIG_IGN dispositions and the host mask are inherited by execve).
 * Any other format fails with ENOEXEC, as Linux does for a foreign ELF.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rv64/dbt/dbt.h"
#include "user/syscall.h"
#include "user/uproc_priv.h"

#define MAX_ARGS 65536
#define MAX_ARG_STRLEN (128 * 1024)
#define MAX_ARG_TOTAL (32 * 1024 * 1024)

struct strvec {
	char **v;
	size_t n, bytes;
};

static void strvec_free(struct strvec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Copy a NULL-terminated guest array of string pointers. */
static int strvec_copy(struct uproc *p, uint64_t gvec, struct strvec *s, char *tmp)
{
	s->v = calloc(1, sizeof(char *));
	if (!s->v)
		return -ENOMEM;
	for (size_t i = 0; gvec; i++) {
		uint64_t ptr;
		if (i >= MAX_ARGS)
			return -E2BIG;
		if (uproc_read(p, &ptr, gvec + i * 8, 8))
			return -EFAULT;
		if (!ptr)
			break;
		long len = uproc_strncpy(p, tmp, ptr, MAX_ARG_STRLEN);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		s->bytes += (size_t)len + 1;
		if (s->bytes > MAX_ARG_TOTAL)
			return -E2BIG;
		char **nv = realloc(s->v, (s->n + 2) * sizeof(char *));
		if (!nv)
			return -ENOMEM;
		s->v = nv;
		if (!(s->v[s->n] = strdup(tmp)))
			return -ENOMEM;
		s->v[++s->n] = NULL;
	}
	return 0;
}

static bool is_self_exe(const char *path)
{
	char mine[64];
	snprintf(mine, sizeof(mine), "/proc/%d/exe", (int)getpid());
	return !strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/thread-self/exe") ||
	       !strcmp(path, mine);
}

/* Host path of the program the guest asked for, checked like execve. */
static int resolve_target(struct uproc *p, const char *path, char *out, size_t outlen)
{
	if (!path[0])
		return -ENOENT;
	if (is_self_exe(path))
		snprintf(out, outlen, "%s", p->exe_path);
	else
		elf_resolve(p, path, out, outlen);
	struct stat st;
	if (stat(out, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || access(out, X_OK))
		return -EACCES;   /* directories included, as on Linux */
	return elf_check_exec(p, out);
}

static char **host_argv(struct uproc *p, const char *target, const struct strvec *args)
{
	char **v = calloc(args->n + 12, sizeof(char *));
	if (!v)
		return NULL;
	size_t n = 0;
	v[n++] = p->popek_path;
	v[n++] = "user";
	v[n++] = "-L";
	v[n++] = p->sysroot;
	if (p->strace)
		v[n++] = "--strace";
	v[n++] = "--engine";   /* the new program keeps this one's engine */
	v[n++] = rv_user_engine_dbt ? "dbt" : "interp";
	if (args->n > 0) {
		v[n++] = "-0";
		v[n++] = args->v[0];
	}
	v[n++] = "--";
	v[n++] = (char *)target;
	for (size_t i = 1; i < args->n; i++)
		v[n++] = args->v[i];
	v[n] = NULL;
	return v;
}

static long do_exec(struct uthread *t, uint64_t gpath, uint64_t gargv, uint64_t genvp)
{
	struct uproc *p = t->proc;
	char *path = malloc(PATH_MAX), *target = malloc(PATH_MAX), *tmp = malloc(MAX_ARG_STRLEN);
	struct strvec args = { 0 }, env = { 0 };
	char **hargv = NULL;
	long r = -ENOMEM;
	if (!path || !target || !tmp)
		goto out;
	r = uproc_strncpy(p, path, gpath, PATH_MAX);
	if (r >= 0)
		r = resolve_target(p, path, target, PATH_MAX);
	if (r >= 0)
		r = strvec_copy(p, gargv, &args, tmp);
	if (r >= 0)
		r = strvec_copy(p, genvp, &env, tmp);
	if (r >= 0 && !(hargv = host_argv(p, target, &args)))
		r = -ENOMEM;
	if (r >= 0) {
		sigset_t saved;
		usig_prepare_exec(t, &saved);
		execve(p->popek_path, hargv, env.v);
		r = -errno;
		usig_undo_exec(&saved);
	}
out:
	free(hargv);
	strvec_free(&args);
	strvec_free(&env);
	free(path);
	free(target);
	free(tmp);
	return r;
}

static long sys_execve(struct uthread *t, const uint64_t a[6])
{
	return do_exec(t, a[0], a[1], a[2]);
}

/* execveat: only the forms that name a path (AT_FDCWD or absolute). */
static long sys_execveat(struct uthread *t, const uint64_t a[6])
{
	int dirfd = (int)(int32_t)a[0];
	char first;
	if (uproc_read(t->proc, &first, a[1], 1))
		return -EFAULT;
	if (a[4] & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (dirfd != AT_FDCWD && first != '/')
		return -ENOSYS;
	return do_exec(t, a[1], a[2], a[3]);
}

void sys_exec_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, 221, sys_execve);
	SYS_SET(tbl, 281, sys_execveat);
}

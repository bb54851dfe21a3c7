/*
 * prctl: the options a libc or a runtime commonly uses.  Option numbers and
 * argument meanings are architecture-independent.  Anything touching
 * popek's own execution (seccomp, the memory-map options, speculation
 * control, tagged addresses) is refused with -EINVAL, which is what a
 * kernel without the feature answers.
 */
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/sys_common.h"
#include "user/sys_numbers.h"

#define TASK_COMM_LEN 16

/* PR_SET_NAME copies at most 15 bytes and needs no terminator in range. */
static long set_name(struct uthread *t, uint64_t gname)
{
	char name[TASK_COMM_LEN];
	size_t i;

	for (i = 0; i < TASK_COMM_LEN - 1; i++) {
		if (uproc_read(t->proc, &name[i], gname + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	name[i] = '\0';
	return sys_ret(prctl(PR_SET_NAME, name, 0, 0, 0));
}

static long get_name(struct uthread *t, uint64_t gname)
{
	char name[TASK_COMM_LEN] = { 0 };

	if (prctl(PR_GET_NAME, name, 0, 0, 0) < 0)
		return -errno;
	return uproc_write(t->proc, gname, name, sizeof(name)) ? -EFAULT : 0;
}

/* Options that return an int through arg2. */
static long get_int(struct uthread *t, int option, uint64_t gptr)
{
	int v;

	if (prctl(option, &v, 0, 0, 0) < 0)
		return -errno;
	return uproc_write(t->proc, gptr, &v, sizeof(v)) ? -EFAULT : 0;
}

static long do_prctl(struct uthread *t, const uint64_t a[6])
{
	int option = (int)a[0];

	switch (option) {
	case PR_SET_NAME:
		return set_name(t, a[1]);
	case PR_GET_NAME:
		return get_name(t, a[1]);
	case PR_GET_PDEATHSIG:
	case PR_GET_CHILD_SUBREAPER:
		return get_int(t, option, a[1]);
	case PR_SET_PDEATHSIG:
	case PR_GET_DUMPABLE:
	case PR_SET_DUMPABLE:
	case PR_SET_NO_NEW_PRIVS:
	case PR_GET_NO_NEW_PRIVS:
	case PR_SET_CHILD_SUBREAPER:
	case PR_GET_TIMERSLACK:
	case PR_SET_TIMERSLACK:
	case PR_CAPBSET_READ:
	case PR_GET_KEEPCAPS:
	case PR_SET_KEEPCAPS:
	case PR_GET_SECUREBITS:
		return sys_ret(prctl(option, (unsigned long)a[1], (unsigned long)a[2],
				     (unsigned long)a[3], (unsigned long)a[4]));
	default:
		return -EINVAL;
	}
}

void sys_prctl_register(struct sys_entry *tbl)
{
	SYS_SET(tbl, RVSYS_prctl, do_prctl);
}

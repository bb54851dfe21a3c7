/*
 * Tiny check helpers for the riscv64 system-call test programs: every
 * CHECK prints "FAIL file:line: what (errno text)" on failure and the
 * program exits 1 at the end if anything failed; "ok" lines name what
 * passed so a failing run shows how far it got.
 */
#ifndef SYSCALL_TEST_CHECK_H
#define SYSCALL_TEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond, what) do { \
	if (!(cond)) { \
		printf("FAIL %s:%d: %s (errno %d %s)\n", __FILE__, __LINE__, what, errno, strerror(errno)); \
		check_failures++; \
	} \
} while (0)

#define OK(name) do { printf("ok %s\n", name); fflush(stdout); } while (0)

static inline int check_done(void)
{
	printf(check_failures ? "FAILED %d\n" : "ALL OK\n", check_failures);
	fflush(stdout);
	return check_failures ? 1 : 0;
}

#endif
